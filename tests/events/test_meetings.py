"""Network meetings: invitations to every member, RSVP, updates with SEQUENCE, cancellation."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail

from events.models import FeedEntry, Registration
from tests.events.factories import EventPageFactory, future
from tests.events.helpers import republish


@pytest.fixture
def meeting(world):
    mail.outbox.clear()
    return EventPageFactory(
        parent=world.space,
        title="Nätverksmöte i Tumba",
        kind="network_meeting",
        venue="Tumba kommunhus",
        join_details="Ring 08-530 610 99, kod 4711",
    )


def invitation(message):
    name, content, mimetype = message.attachments[0]
    return icalendar.Calendar.from_ical(content), mimetype


def test_publishing_a_meeting_invites_every_active_member(world, meeting):
    invited = sorted(m.to[0] for m in mail.outbox)
    assert invited == ["coordinator@example.org", "member@example.org"]
    calendar, mimetype = invitation(mail.outbox[0])
    assert "method=REQUEST" in mimetype
    assert str(calendar["METHOD"]) == "REQUEST"
    vevent = calendar.walk("VEVENT")[0]
    assert vevent["SEQUENCE"] == 0
    assert "kod 4711" in str(vevent["DESCRIPTION"])  # members may see the dial-in
    assert "ORGANIZER" in vevent


def test_republishing_without_changes_sends_nothing(world, meeting):
    mail.outbox.clear()
    republish(meeting, description="<p>Dagordning kommer.</p>")
    assert mail.outbox == []


def test_moving_a_meeting_sends_an_update_with_higher_sequence(world, meeting):
    mail.outbox.clear()
    start = future(days=40)
    republish(meeting, start=start, end=start + timedelta(hours=2), status="moved")
    assert sorted(m.to[0] for m in mail.outbox) == ["coordinator@example.org", "member@example.org"]
    calendar, _mimetype = invitation(mail.outbox[0])
    vevent = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST"
    assert vevent["SEQUENCE"] == 1
    assert vevent["DTSTART"].dt == start
    assert FeedEntry.objects.get(event=meeting).sequence == 1


def test_cancelling_a_meeting_sends_method_cancel(world, meeting):
    mail.outbox.clear()
    republish(meeting, status="cancelled", status_reason="För få anmälda.")
    calendar, mimetype = invitation(mail.outbox[0])
    assert "method=CANCEL" in mimetype
    assert str(calendar["METHOD"]) == "CANCEL"
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert vevent["SEQUENCE"] == 1
    assert str(vevent["UID"]) == FeedEntry.objects.get(event=meeting).uid


def test_member_answers_yes_no_maybe_in_the_portal(world, meeting):
    client = world.client("member")
    page = client.get(meeting.url)
    assert page.status_code == 200
    assert "kod 4711" in page.content.decode()
    client.post(meeting.url + "svar/", {"response": "maybe"})
    assert Registration.objects.get(event=meeting, user=world.users["member"]).response == "maybe"
    client.post(meeting.url + "svar/", {"response": "yes"})
    assert Registration.objects.get(event=meeting, user=world.users["member"]).response == "yes"


def test_outsiders_cannot_answer(world, meeting):
    response = world.client("other_member").post(meeting.url + "svar/", {"response": "yes"})
    assert response.status_code == 403
    assert not Registration.objects.filter(user=world.users["other_member"]).exists()


def test_members_see_upcoming_meetings_in_the_member_space(world, meeting):
    page = world.client("member").get(world.space.url).content.decode()
    assert "Nätverksmöte i Tumba" in page


def test_coordinator_sees_answers_in_the_participant_list(world, meeting):
    world.client("member").post(meeting.url + "svar/", {"response": "no"})
    page = world.client("coordinator").get(meeting.url + "deltagare/")
    assert page.status_code == 200
    assert "Member Testsson" in page.content.decode()


def test_new_member_is_invited_when_the_meeting_is_published_again(world, meeting):
    from networks.services import membership_add

    membership_add(network=world.network, user=world.users["outsider"])
    mail.outbox.clear()
    republish(meeting, description="<p>Välkommen!</p>")
    assert [m.to for m in mail.outbox] == [["outsider@example.org"]]


def test_past_meeting_invites_nobody(world):
    mail.outbox.clear()
    EventPageFactory(parent=world.space, kind="network_meeting", start=future(days=-30))
    assert mail.outbox == []


def test_a_member_who_left_gets_no_update_about_the_meeting(world, meeting):
    from networks.models import Membership
    from networks.services import membership_end

    membership = Membership.objects.get(user=world.users["member"], network=world.network)
    membership_end(membership=membership, on=membership.start_date)
    mail.outbox.clear()
    republish(meeting, status="cancelled", status_reason="Flyttas till våren.")
    recipients = [m.to[0] for m in mail.outbox]
    assert recipients == ["coordinator@example.org"]


def test_unpublishing_a_meeting_cancels_it_in_everyones_calendar(world, meeting):
    mail.outbox.clear()
    meeting.unpublish()
    assert sorted(m.to[0] for m in mail.outbox) == ["coordinator@example.org", "member@example.org"]
    calendar, mimetype = invitation(mail.outbox[0])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
    mail.outbox.clear()
    meeting.unpublish()
    assert mail.outbox == []
