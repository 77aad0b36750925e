"""The minutes app's part of "download my data" and "delete my account"."""

import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Revision, TaskState

from networks.minutes import selectors, services
from networks.minutes.models import ActionItem, MinutesApproval, MinutesGuest, MinutesPage
from networks.services import membership_add
from tests.factories import UserFactory
from tests.minutes.factories import AnswerFactory, MeetingFactory
from tests.minutes.helpers import approved_minutes, stepped_up, write_minutes
from tests.privacy import erase, personal_data


@pytest.fixture
def second_approver(world):
    person = UserFactory(email="andra.justerare@example.org", first_name="Ali", last_name="Andra")
    membership_add(network=world.network, user=person)
    return person


def submitted(world, *approvers, guest=None):
    """Minutes of a meeting the approvers attended, with Eva Expert from Migrationsverket (and
    `guest`, an account holder outside the network) as guests, submitted to the approvers."""
    meeting = MeetingFactory(parent=world.space)
    for person in approvers:
        AnswerFactory(event=meeting, user=person)
    AnswerFactory(event=meeting, guest=True)
    if guest is not None:
        AnswerFactory(event=meeting, user=guest, organisation="Länsstyrelsen Stockholm")
    author = world.users["coordinator"]
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    minutes = write_minutes(minutes, user=author, approvers=approvers, notes="<p>Anteckningar</p>")
    services.minutes_submit(minutes=minutes, user=author)
    return MinutesPage.objects.get(pk=minutes.pk)


def assert_approval_publishes(minutes, approver):
    """The approver's approval is the last one needed: the minutes are published."""
    assert (
        services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
        is True
    )
    assert MinutesPage.objects.get(pk=minutes.pk).live


def workflow_status(minutes) -> str:
    return selectors.workflow_state(minutes).status


# --- download my data -----------------------------------------------------------------------------


def test_export_lists_the_persons_action_items_and_no_one_elses(world, approver):
    member = world.users["member"]
    approved_minutes(
        world,
        approver=approver,
        action_items=[
            {"what": "Boka lokal i Flemingsberg", "owner": member},
            {"what": "Skicka ut bilderna", "owner": approver},
        ],
    )

    items = personal_data(member)["action_items"]

    assert [(i["what"], i["due"], i["done"], i["assigned_to_me"]) for i in items] == [
        ("Boka lokal i Flemingsberg", None, False, True)
    ]


def test_export_lists_the_minutes_naming_the_person_with_their_roles(
    world, approver, second_approver
):
    minutes = approved_minutes(world, approver=approver)
    approved_minutes(world, approver=second_approver, meeting_title="Ett möte utan Maja")

    roles = personal_data(approver)["minutes_roles"]

    assert roles == [
        {
            "minutes": minutes.title,
            "meeting_date": minutes.meeting_date.isoformat(),
            "roles": ["present", "approver"],
        }
    ]


def test_export_lists_minutes_waiting_for_the_persons_approval(world, approver):
    minutes = submitted(world, approver)

    assert [r["minutes"] for r in personal_data(approver)["minutes_roles"]] == [minutes.title]


def test_export_lists_the_persons_justering_decisions(world, approver):
    approved = approved_minutes(world, approver=approver)
    sent_back = submitted(world, approver)
    services.minutes_send_back(
        minutes=sent_back,
        user=approver,
        comment="Rätta deltagarlistan.",
        authentication=stepped_up(),
    )

    decisions = personal_data(approver)["minutes_approvals"]

    assert [(d["minutes"], d["decision"], d["comment"]) for d in decisions] == [
        (approved.title, "approved", ""),
        (sent_back.title, "sent_back", "Rätta deltagarlistan."),
    ]
    assert all(d["at"] for d in decisions)


def test_export_lists_minutes_naming_the_person_as_a_guest(world, approver):
    strategist = world.users["strategist"]  # no member of the network: a guest in its minutes
    minutes = submitted(world, approver, guest=strategist)

    roles = personal_data(strategist)["minutes_roles"]

    assert [(r["minutes"], r["roles"]) for r in roles] == [(minutes.title, ["guest"])]


def test_export_leaves_out_the_other_people_in_the_minutes(world, approver):
    submitted(world, approver)

    exported = json.dumps(personal_data(approver))

    assert "Eva Expert" not in exported
    assert world.users["coordinator"].last_name not in exported


def test_export_takes_as_many_queries_for_many_minutes_as_for_one(world, approver):
    item = {"what": "Boka lokal", "owner": approver}
    approved_minutes(world, approver=approver, action_items=[item])
    with CaptureQueriesContext(connection) as one:
        personal_data(approver)
    approved_minutes(world, approver=approver, action_items=[item], meeting_title="Andra mötet")
    submitted(world, approver)
    with CaptureQueriesContext(connection) as three:
        personal_data(approver)

    assert len(three) == len(one)


# --- delete my account: justering in progress -----------------------------------------------------


def test_erasing_the_only_pending_approver_sends_the_minutes_back_to_the_author(world, approver):
    minutes = submitted(world, approver)
    author = world.users["coordinator"]
    mail.outbox.clear()

    erase(approver)

    minutes.refresh_from_db()
    assert not minutes.live
    assert workflow_status(minutes) == "needs_changes"
    review_url = minutes.review_url
    assert [m.to for m in mail.outbox if review_url in m.body] == [[author.email]]


def test_minutes_sent_back_for_an_erased_approver_are_approved_by_a_new_one(
    world, approver, second_approver
):
    minutes = submitted(world, approver)
    erase(approver)
    author = world.users["coordinator"]
    minutes = write_minutes(
        minutes, user=author, approvers=[second_approver], present=[second_approver]
    )

    services.minutes_submit(minutes=minutes, user=author)
    assert_approval_publishes(minutes, second_approver)


def test_when_one_of_two_approvers_is_erased_the_other_decides_alone(
    world, approver, second_approver
):
    minutes = submitted(world, approver, second_approver)

    erase(approver)

    assert workflow_status(minutes) == "in_progress"
    assert_approval_publishes(minutes, second_approver)


def test_erasing_the_last_approver_to_decide_sends_the_minutes_back_unpublished(
    world, approver, second_approver
):
    minutes = submitted(world, approver, second_approver)
    services.minutes_approve(minutes=minutes, user=second_approver, authentication=stepped_up())

    erase(approver)

    assert not MinutesPage.objects.get(pk=minutes.pk).live
    assert workflow_status(minutes) == "needs_changes"


def test_an_approver_who_already_approved_leaves_the_decision_to_the_others(
    world, approver, second_approver
):
    minutes = submitted(world, approver, second_approver)
    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())

    erase(approver)

    assert workflow_status(minutes) == "in_progress"
    assert (
        services.minutes_approve(minutes=minutes, user=second_approver, authentication=stepped_up())
        is True
    )


# --- delete my account: what the minutes keep -----------------------------------------------------


def test_an_erased_member_leaves_the_lists_of_published_minutes(world, approver):
    minutes = approved_minutes(world, approver=approver)

    erase(approver)

    minutes = MinutesPage.objects.get(pk=minutes.pk)
    assert minutes.live
    assert list(minutes.present_members.all()) == []
    assert list(minutes.approvers.all()) == []
    assert not MinutesApproval.objects.exists()
    assert TaskState.objects.filter(workflow_state__object_id=str(minutes.pk)).exists()


def test_an_erased_persons_action_items_stay_unassigned(world, approver):
    member = world.users["member"]
    minutes = approved_minutes(
        world, approver=approver, action_items=[{"what": "Boka lokal", "owner": member}]
    )

    erase(member)

    assert [(i.what, i.owner_id) for i in ActionItem.objects.filter(minutes=minutes)] == [
        ("Boka lokal", None)
    ]


def test_an_erased_guests_name_leaves_the_minutes_and_their_revisions(world, approver):
    strategist = world.users["strategist"]
    minutes = submitted(world, approver, guest=strategist)
    name = strategist.get_full_name()
    assert MinutesGuest.objects.filter(page=minutes, name=name).exists()

    erase(strategist)

    assert list(MinutesGuest.objects.values_list("name", flat=True)) == ["Eva Expert"]
    revisions = Revision.page_revisions.filter(object_id=str(minutes.pk))
    assert all(name not in json.dumps(r.content) for r in revisions)
    assert "Länsstyrelsen Stockholm" not in json.dumps([r.content for r in revisions])
