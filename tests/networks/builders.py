"""Networks with many members, built fast (bulk inserts, no password hashing): for the
query-count test and the benchmark."""

from networks.models import Membership
from networks.services import membership_add, network_create
from portal.models import Organisation, User
from tests.factories import OrganisationFactory, UserFactory
from tests.networks.factories import MembershipFactory, NetworkIndexPageFactory


def network_with_members(count: int, slug: str):
    """A network with `count` active members; returns it and one coordinator to view it as."""
    network = network_create(index=NetworkIndexPageFactory(), title=f"Nätverk {slug}", slug=slug)
    organisations = Organisation.objects.bulk_create(
        [OrganisationFactory.build(name=f"{slug} kommun {n}") for n in range(10)]
    )
    users = User.objects.bulk_create(
        [
            UserFactory.build(
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
        [MembershipFactory.build(network=network, user=user) for user in users]
    )
    viewer = UserFactory(email=f"viewer-{slug}@example.org")
    membership_add(network=network, user=viewer, role="coordinator")
    return network, viewer
