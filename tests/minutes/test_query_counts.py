"""A minutes page costs the same number of queries with 1 action item as with 20."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from networks.services import membership_add
from tests.factories import UserFactory
from tests.minutes.helpers import approved_minutes


def queries_for(client, url) -> int:
    client.get(url)  # warm the per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def minutes_with_items(world, approver, count: int, title: str):
    """Minutes whose `count` action items each belong to another member of the network."""
    owners = [UserFactory(email=f"{title}-{n}@example.org") for n in range(count)]
    for owner in owners:
        membership_add(network=world.network, user=owner)
    due = timezone.localdate() + timedelta(days=7)
    items = [
        {"what": f"Uppgift {n}", "owner": owner, "due_date": due} for n, owner in enumerate(owners)
    ]
    items[0]["owner"] = world.users["member"]
    return approved_minutes(world, approver=approver, action_items=items, meeting_title=title)


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_the_minutes_page_costs_the_same_with_1_and_20_action_items(world, approver, role):
    one = minutes_with_items(world, approver, 1, "Möte ett")
    twenty = minutes_with_items(world, approver, 20, "Möte tjugo")
    client = world.client(role)
    assert queries_for(client, one.url) == queries_for(client, twenty.url)
