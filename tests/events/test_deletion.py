"""Deleting an event takes it out of participants' calendars, as unpublishing does."""

from datetime import time, timedelta

import icalendar
import pytest
from django.core import mail
from django.utils import translation

from events import services
from events.models import EventPage, EventSeries, Registration
from tests.events.factories import (
    ApplicantFactory,
    EventPageFactory,
    NetworkMeetingFactory,
    RegistrationFactory,
    future,
)
from tests.events.helpers import delete_in_admin, register


@pytest.fixture
def meeting(world):
    return NetworkMeetingFactory(parent=world.space)


def calendar_of(message):
    _name, content, mimetype = message.attachments[0]
    return icalendar.Calendar.from_ical(content), mimetype


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_deleting_a_future_event_cancels_it_for_confirmed_and_waitlisted_holders(
    seminar, superuser, client
):
    register(seminar, 1)  # the one place
    register(seminar, 2)  # the queue
    services.registration_cancel(registration=register(seminar, 3))
    services.registration_create(event=seminar, applicant=ApplicantFactory(n=4))  # never confirmed
    mail.outbox.clear()
    client.force_login(superuser)

    delete_in_admin(client, seminar)

    assert recipients() == ["d1@example.org", "d2@example.org"]
    with translation.override("sv"):
        subject = translation.gettext("Cancelled: %(title)s") % {"title": seminar.title}
    assert {message.subject for message in mail.outbox} == {subject}
    assert not Registration.objects.exists()


def test_the_cancellation_removes_the_invitation_from_the_calendar(seminar, superuser, client):
    register(seminar, 1)
    invitation = calendar_of(mail.outbox[-1])[0].walk("VEVENT")[0]
    mail.outbox.clear()
    client.force_login(superuser)

    delete_in_admin(client, seminar)

    calendar, mimetype = calendar_of(mail.outbox[0])
    vevent = calendar.walk("VEVENT")[0]
    assert "method=CANCEL" in mimetype
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert str(vevent["UID"]) == str(invitation["UID"])
    assert vevent["SEQUENCE"] > invitation["SEQUENCE"]


def test_deleting_a_meeting_cancels_it_once_for_every_invited_member(world, meeting):
    mail.outbox.clear()
    delete_in_admin(world.client("superuser"), meeting)
    assert recipients() == ["coordinator@example.org", "member@example.org"]
    assert all(str(calendar_of(m)[0]["METHOD"]) == "CANCEL" for m in mail.outbox)


def test_deleting_a_meeting_tells_no_one_who_may_no_longer_see_it(world, meeting):
    from networks.models import Membership
    from networks.services import membership_end

    membership = Membership.objects.get(user=world.users["member"], network=world.network)
    membership_end(membership=membership, on=membership.start_date)
    mail.outbox.clear()
    delete_in_admin(world.client("superuser"), meeting)
    assert recipients() == ["coordinator@example.org"]


def test_deleting_a_network_cancels_its_upcoming_meetings(world, meeting):
    mail.outbox.clear()
    delete_in_admin(world.client("superuser"), world.network)
    assert not EventPage.objects.filter(pk=meeting.pk).exists()
    assert recipients() == ["coordinator@example.org", "member@example.org"]


def test_deleting_a_past_event_mails_nothing(index, superuser, client):
    past = EventPageFactory(parent=index, title="Förra årets seminarium", start=future(days=-30))
    RegistrationFactory(event=past)
    mail.outbox.clear()
    client.force_login(superuser)
    delete_in_admin(client, past)
    assert mail.outbox == []


def test_deleting_an_unpublished_event_mails_nothing_more(seminar, superuser, client):
    register(seminar, 1)
    seminar.unpublish()
    mail.outbox.clear()
    client.force_login(superuser)
    delete_in_admin(client, seminar)
    assert mail.outbox == []


def test_deleting_one_occurrence_of_a_series_cancels_only_that_one(index, superuser, client):
    series = EventSeries.objects.create(title="Telefonkonferenser")
    first, second = services.series_schedule(
        series=series,
        parent=index,
        dates=[future(days=14).date(), future(days=28).date()],
        starts_at=time(9, 0),
        duration=timedelta(hours=1),
        kind="telephone_conference",
        registration_enabled=True,
    )
    register(first, 1)
    register(second, 2)
    mail.outbox.clear()
    client.force_login(superuser)
    delete_in_admin(client, first)
    assert recipients() == ["d1@example.org"]
    assert second.registrations.confirmed().count() == 1
