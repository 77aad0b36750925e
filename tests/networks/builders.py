"""Networks with many members, built fast (bulk inserts, no password hashing): for the
query-count test and the benchmark."""

from networks.models import Membership, NetworkIndexPage
from networks.services import membership_add, network_create
from portal.models import Organisation, User
from tests.factories import UserFactory, make_home_page


def network_with_members(count: int, slug: str):
    """A network with `count` active members; returns it and one coordinator to view it as."""
    home = make_home_page()
    index = NetworkIndexPage.objects.first()
    if index is None:
        index = NetworkIndexPage(title="Nätverk", slug="natverk")
        home.add_child(instance=index)
        index.save_revision().publish()
    network = network_create(index=index, title=f"Nätverk {slug}", slug=slug)
    organisations = Organisation.objects.bulk_create(
        [Organisation(name=f"{slug} kommun {n}", kind="municipality") for n in range(10)]
    )
    users = User.objects.bulk_create(
        [
            User(
                email=f"{slug}-{n}@example.org",
                first_name=f"Förnamn{n}",
                last_name="Efternamn",
                organisation=organisations[n % 10],
                job_title="Handläggare",
            )
            for n in range(count - 1)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, user=user, organisation=user.organisation) for user in users]
    )
    viewer = UserFactory(email=f"viewer-{slug}@example.org")
    membership_add(network=network, user=viewer, role="coordinator")
    return network, viewer
