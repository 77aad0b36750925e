"""The events demo: seed dates around "today", a waitlist, a cancelled occurrence, meetings."""

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from events.models import EventPage, EventSeries, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_demo_calendar_has_past_and_future_events_from_the_seeds(demo):
    now = timezone.now()
    events = EventPage.objects.live()
    assert events.filter(start__gt=now).count() >= 10
    assert events.filter(end__lt=now).count() >= 3
    series = EventSeries.objects.get(title="Samverkanskonferens via telefon")
    occurrences = series.occurrences.order_by("start")
    assert [e.start.date().isoformat()[5:] for e in occurrences] == [
        "03-15",
        "04-19",
        "05-17",
        "06-14",
        "08-30",
    ]
    assert [e.status for e in occurrences].count("cancelled") == 1


def test_demo_has_a_full_seminar_with_a_waitlist(demo):
    seminar = EventPage.objects.get(slug="seminarium-kvotflyktingar-2027")
    assert seminar.registrations.confirmed().count() == seminar.capacity
    assert seminar.registrations.filter(status=RegistrationStatus.WAITLISTED).count() == 2


def test_demo_has_network_meetings_in_member_spaces_and_norwegian_time(demo):
    meetings = EventPage.objects.filter(kind="network_meeting")
    assert meetings.filter(title__contains="Flemingsberg").exists()
    assert meetings.filter(title__contains="Tumba").exists()
    assert EventPage.objects.filter(tz_name="Europe/Oslo").count() >= 4
    # Members were invited when the meetings were published.
    flemingsberg = meetings.get(slug="natverksmote-2026-12-flemingsberg")
    assert flemingsberg.registrations.filter(email="medlem@example.org", response="yes").exists()


def test_demo_public_feed_parses_and_keeps_meetings_private(demo):
    body = Client().get("/tjanster/kalender/kalender.ics").content
    calendar = icalendar.Calendar.from_ical(body)
    titles = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert "Seminarium om mottagande av kvotflyktingar" in titles
    assert not any("Nätverksmöte" in t or "Nettverksmøte" in t for t in titles)
    assert "CANCELLED" in {str(e["STATUS"]) for e in calendar.walk("VEVENT")}
