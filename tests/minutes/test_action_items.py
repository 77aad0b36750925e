"""Action items: owners mark them done, and reminders go out once, however often the task runs."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from networks.minutes import services
from networks.minutes.models import ActionItem, ActionItemReminder, MinutesCorrection
from tests.helpers import at_the_same_moment
from tests.minutes.helpers import approved_minutes, written_draft


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def items(world, approver, today):
    owner = world.users["member"]
    minutes = approved_minutes(
        world,
        approver=approver,
        action_items=[
            {"what": "Boka lokal i Flemingsberg", "owner": owner, "due_date": today + timedelta(3)},
            {"what": "Kontakta brandförsvaret", "owner": owner, "due_date": today - timedelta(1)},
            {"what": "Skicka ut bilderna", "owner": owner, "due_date": today + timedelta(10)},
        ],
    )
    return {item.what: item for item in minutes.action_items.all()}


def reminders_to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_reminders_go_three_days_before_and_when_overdue(world, items, today):
    mail.outbox.clear()
    assert services.action_reminders_send(today=today) == 2
    kinds = dict(ActionItemReminder.objects.values_list("action_item__what", "kind").order_by("pk"))
    assert kinds == {"Boka lokal i Flemingsberg": "due_soon", "Kontakta brandförsvaret": "overdue"}
    assert len(reminders_to(world.users["member"].email)) == 2


def test_a_reminder_carries_no_item_text(world, items, today):
    mail.outbox.clear()
    services.action_reminders_send(today=today)
    for message in reminders_to(world.users["member"].email):
        assert "Kontakta brandförsvaret" not in message.body
        assert "/mina-sidor/atgarder/" in message.body


def test_running_the_task_twice_sends_each_reminder_once(world, items, today):
    mail.outbox.clear()
    services.action_reminders_send(today=today)
    services.action_reminders_send(today=today)
    call_command("send_action_reminders")
    assert len(reminders_to(world.users["member"].email)) == 2
    assert ActionItemReminder.objects.count() == 2


def test_the_daily_command_can_send_in_its_own_process(world, items, capsys):
    mail.outbox.clear()
    call_command("send_action_reminders", "--now")
    assert "Sent 2 reminders." in capsys.readouterr().out
    assert len(reminders_to(world.users["member"].email)) == 2


def test_two_workers_that_read_the_same_items_send_once(world, items, today):
    # Both workers have read the same due items before either has sent anything: the race a
    # check-then-act would lose. The claim (a unique row) lets only one of them send.
    mail.outbox.clear()
    first_view = services.action_reminders_due(today=today)
    second_view = services.action_reminders_due(today=today)
    assert len(first_view) == len(second_view) == 2
    sent = [services.action_reminder_send(item=i, kind=k, today=today) for i, k in first_view]
    sent += [services.action_reminder_send(item=i, kind=k, today=today) for i, k in second_view]
    assert sent.count(True) == 2
    assert len(reminders_to(world.users["member"].email)) == 2


@pytest.mark.postgres_only
# Serialized rollback: the flush after this test must give back what migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_the_same_moment_send_once(world, items, today):
    mail.outbox.clear()

    def work():
        services.action_reminders_send(today=today)

    errors = at_the_same_moment(work, work)
    assert errors == []
    assert ActionItemReminder.objects.count() == 2
    assert len(reminders_to(world.users["member"].email)) == 2


def test_an_overdue_item_is_reminded_again_only_when_it_becomes_overdue(world, items, today):
    services.action_reminders_send(today=today)
    mail.outbox.clear()
    later = today + timedelta(days=4)
    assert services.action_reminders_send(today=later) == 1  # the first item is now overdue
    assert services.action_reminders_send(today=later + timedelta(days=1)) == 0


def test_done_items_and_former_members_get_no_reminders(world, items, today):
    from networks.models import Membership
    from networks.services import membership_end

    owner = world.users["member"]
    services.action_item_mark(item=items["Kontakta brandförsvaret"], user=owner, done=True)
    assert services.action_reminders_send(today=today) == 1
    membership_end(membership=Membership.objects.get(user=owner, network=world.network))
    assert services.action_reminders_send(today=today + timedelta(days=8)) == 0


def test_status_survives_a_corrected_republication(world, items, approver):
    owner = world.users["member"]
    item = items["Boka lokal i Flemingsberg"]
    services.action_item_mark(item=item, user=owner, done=True)
    minutes = item.minutes
    corrected = minutes.get_latest_revision_as_object()
    corrected.corrections = [MinutesCorrection(date=timezone.localdate(), note="rättat datum")]
    coordinator = world.users["coordinator"]
    corrected.save_revision(user=coordinator).publish(user=coordinator)
    item.refresh_from_db()
    assert item.status == "done"
    assert ActionItem.objects.get(pk=item.pk).done_by == owner


def test_items_of_unpublished_minutes_are_nobodys_task_yet(world, approver, today):
    written_draft(
        world, [approver], action_items=[{"what": "Utkast", "owner": approver, "due_date": today}]
    )
    assert services.action_reminders_send(today=today) == 0
    from networks.minutes.selectors import action_items_for

    assert list(action_items_for(approver)) == []


def test_the_housekeeping_command_sends_the_days_reminders(world, items):
    mail.outbox.clear()
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "queue_action_reminders: 2 action-item reminders queued" in out.getvalue()
    assert len(reminders_to(world.users["member"].email)) == 2


def test_a_long_list_of_action_items_comes_in_pages_on_mina_sidor_and_my_action_items(db):
    from django.test import Client
    from django.urls import reverse

    from networks.minutes.selectors import ACTION_ITEMS_PER_PAGE
    from tests.minutes.bulk import bulk_minutes
    from tests.networks.builders import network_with_members

    network, member = network_with_members(2, "sidor")
    count = ACTION_ITEMS_PER_PAGE + 3
    bulk_minutes(network, 1, author=member, action_items=count, owner=member)
    client = Client()
    client.force_login(member)
    last = f"({ACTION_ITEMS_PER_PAGE})"  # the items are numbered in the order they are listed
    for url in ("/mina-sidor/", reverse("portal:my_action_items")):
        first = client.get(url).content.decode()
        assert "(1)" in first and last in first and f"({count})" not in first
        assert 'rel="next"' in first and "Sida 1 av 2" in first
        second = client.get(url + "?sida=2").content.decode()
        assert f"({count})" in second and last not in second
        assert 'rel="prev"' in second
