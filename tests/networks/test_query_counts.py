"""Member-space pages cost the same number of queries for 10 members as for 1,000."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.models import Membership
from tests.networks.builders import network_with_members


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_member_space_and_directory_use_constant_queries(client, db):
    small, small_viewer = network_with_members(10, "liten")
    large, large_viewer = network_with_members(1000, "stor")
    assert Membership.objects.active().filter(network=large).count() == 1000
    counts = {}
    for name, network, viewer in (("small", small, small_viewer), ("large", large, large_viewer)):
        client.force_login(viewer)
        space_url = network.member_space.url
        for kind, url in (
            ("overview", space_url),
            ("directory", space_url + "kontaktlista/"),
            ("csv", space_url + "kontaktlista/csv/"),
            ("vcard", space_url + "kontaktlista/vcard/"),
            ("documents", space_url + "dokument/"),
            ("manage", network.member_space.screen_url("manage")),
            ("history", network.member_space.screen_url("membership_history")),
            ("history_xlsx", network.member_space.screen_url("membership_history_export", "xlsx")),
        ):
            queries_for(client, url)  # warm per-process caches (site root, content types)
            counts[(kind, name)] = queries_for(client, url)
        client.logout()
    kinds = ("overview", "directory", "csv", "vcard", "documents", "manage", "history")
    for kind in (*kinds, "history_xlsx"):
        assert counts[(kind, "small")] == counts[(kind, "large")], (kind, counts)


def test_member_space_costs_the_same_with_1_and_10_meetings_and_documents(world):
    from datetime import timedelta

    from django.utils import timezone

    from networks.services import document_from_bytes, membership_add
    from tests.minutes.factories import MeetingFactory

    viewer = world.users["member"]
    membership_add(network=world.other_network, user=viewer)
    for network, count in ((world.network, 1), (world.other_network, 10)):
        for n in range(count):
            MeetingFactory(
                parent=network.member_space, day=timezone.localdate() + timedelta(days=n + 1)
            )
            document_from_bytes(
                network=network,
                title=f"Bilaga {n}",
                name=f"bilaga-{n}.txt",
                data=b"text",
                uploaded_by=world.users["coordinator"],
            )
    client = world.client("member")
    counts = {}
    for network in (world.network, world.other_network):
        queries_for(client, network.member_space.url)  # warm per-process caches
        counts[network.slug] = queries_for(client, network.member_space.url)
    assert counts[world.network.slug] == counts[world.other_network.slug], counts
