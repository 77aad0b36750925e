"""Member-space fragments shared by a network's members (portal/member_fragments.py): built once
and kept in the shared cache, shown afresh after every change, and never to a non-member."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from networks.minutes.models import ActionItem
from networks.models import Membership
from networks.services import membership_add, membership_end
from tests.factories import UserFactory
from tests.minutes.bulk import bulk_minutes

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_overview_is_built_once_for_every_member(world):
    url = world.space.url
    page(world.client("coordinator"), url)
    page(world.client("member"), url)  # a member's first visit: the fragment is there already
    member = world.client("member")
    page(member, url)
    with CaptureQueriesContext(connection) as captured:
        page(member, url)
    assert not [q for q in captured.captured_queries if "networks_membership" in q["sql"]][1:]
    assert not [q for q in captured.captured_queries if "wagtaildocs_document" in q["sql"]]


def test_a_renamed_coordinator_and_an_ended_membership_show_at_once(world):
    member = world.client("member")
    before = page(member, world.space.url)
    assert "Coordinator Testsson" in before and "har 2 medlemmar" in before
    coordinator = world.users["coordinator"]
    coordinator.first_name = "Kerstin"
    coordinator.save()
    after = page(member, world.space.url)
    assert "Kerstin Testsson" in after and "Coordinator Testsson" not in after
    membership_end(membership=Membership.objects.get(user=coordinator, network=world.network))
    assert "har 1 medlem." in page(member, world.space.url)
    mine = Membership.objects.get(user=world.users["member"], network=world.network)
    membership_end(membership=mine)
    assert member.get(world.space.url).status_code == 403


def test_a_non_member_never_gets_the_kept_overview(world):
    coordinator = world.client("coordinator")
    assert world.document.title in page(coordinator, world.space.url)
    for role in ("outsider", "other_member", "former_member", "anonymous"):
        response = world.client(role).get(world.space.url)
        assert response.status_code in (302, 403), role
        assert world.document.title not in response.content.decode(), role


def test_the_calendar_key_stays_personal(world):
    from events.services import feed_token_rotate

    member_token = feed_token_rotate(user=world.users["member"]).token
    coordinator_token = feed_token_rotate(user=world.users["coordinator"]).token
    assert member_token in page(world.client("member"), world.space.url)
    seen = page(world.client("coordinator"), world.space.url)
    assert coordinator_token in seen and member_token not in seen


def test_the_minutes_text_is_kept_but_the_action_items_are_not(world):
    member = world.users["member"]
    (minutes,) = bulk_minutes(world.network, 1, author=world.users["coordinator"])
    ActionItem.objects.create(
        minutes=minutes,
        sort_order=1,
        what="Ring Migrationsverket",
        owner=world.users["coordinator"],
    )
    client = world.client("member")
    assert "Ring Migrationsverket" in page(client, minutes.url)
    item = ActionItem.objects.get()
    item.what = "Ring Arbetsförmedlingen"
    item.owner = member
    item.save()
    shown = page(client, minutes.url)
    assert "Ring Arbetsförmedlingen" in shown
    assert "Ring Migrationsverket" not in shown


def test_a_membership_in_one_network_leaves_another_networks_overview_kept(world):
    newcomer = UserFactory()
    other = world.client("other_member")
    other_space = world.other_network.member_space.url
    page(other, other_space)
    member = world.client("member")
    assert "har 2 medlemmar" in page(member, world.space.url)

    membership_add(network=world.network, user=newcomer)

    with CaptureQueriesContext(connection) as captured:
        page(other, other_space)
    assert not [q for q in captured.captured_queries if "wagtaildocs_document" in q["sql"]]
    assert "har 3 medlemmar" in page(member, world.space.url)
