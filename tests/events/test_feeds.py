"""iCalendar feeds: parse with two independent parsers, stable UIDs, DST, cancellations, 304."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from django.test import Client

from events import ical, services
from events.models import EventSeries, FeedEntry
from tests.events.factories import STOCKHOLM, EventPageFactory
from tests.events.helpers import republish
from tests.factories import OrganisationFactory

FEED = "/tjanster/kalender/kalender.ics"
OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def telephone_series(index):
    series = EventSeries.objects.create(title="Telefonkonferens bosättning")
    return services.series_schedule(
        series=series,
        parent=index,
        dates=[date(2027, 3, 15), date(2027, 4, 19), date(2027, 5, 17), date(2027, 6, 14)],
        starts_at=time(9, 0),
        duration=timedelta(hours=1),
        kind="telephone_conference",
    )


def fetch(client, url=FEED, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/calendar")
    return response


def test_feed_parses_with_icalendar_and_vobject(index, telephone_series):
    EventPageFactory(
        parent=index, title="Kommunbesök Fredrikstad", tz_name="Europe/Oslo", kind="study_visit"
    )
    body = fetch(Client()).content

    calendar = icalendar.Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 5
    parsed = vobject.readOne(body.decode())
    assert len(parsed.vevent_list) == 5
    assert {str(e["UID"]) for e in events} == {e.uid.value for e in parsed.vevent_list}


def test_every_feed_property_the_issue_demands_is_present(index, telephone_series):
    body = fetch(Client()).content
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"])
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    for vevent in calendar.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "LAST-MODIFIED", "SEQUENCE", "URL", "STATUS"):
            assert prop in vevent, prop
        assert str(vevent["URL"]).endswith("/")


def test_every_tzid_used_has_a_vtimezone(index):
    EventPageFactory(parent=index, title="Stockholmsmöte")
    EventPageFactory(parent=index, title="Nettverksmøte Østfold", tz_name="Europe/Oslo")
    calendar = icalendar.Calendar.from_ical(fetch(Client()).content)
    used = {vevent["DTSTART"].params["TZID"] for vevent in calendar.walk("VEVENT")}
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    assert used == {"Europe/Stockholm", "Europe/Oslo"}
    assert used <= defined
    assert calendar.get_missing_tzids() == set()


def test_uids_are_identical_across_fetches_and_republishing(index, telephone_series):
    first = icalendar.Calendar.from_ical(fetch(Client()).content)
    republish(telephone_series[0], description="<p>Ny dagordning.</p>")
    second = icalendar.Calendar.from_ical(fetch(Client()).content)
    assert sorted(str(e["UID"]) for e in first.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in second.walk("VEVENT")
    )


def test_times_convert_correctly_across_the_daylight_saving_switch(index):
    # Sweden switches to summer time on Sunday 28 March 2027 at 02:00.
    EventPageFactory(
        parent=index, title="Före", start=datetime(2027, 3, 27, 9, 0, tzinfo=STOCKHOLM)
    )
    EventPageFactory(
        parent=index, title="Efter", start=datetime(2027, 3, 29, 9, 0, tzinfo=STOCKHOLM)
    )
    body = fetch(Client()).content.decode()
    by_title = {e.summary.value: e for e in vobject.readOne(body).vevent_list}
    assert by_title["Före"].dtstart.value.astimezone(UTC).hour == 8
    assert by_title["Efter"].dtstart.value.astimezone(UTC).hour == 7
    occurrences = recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(
        datetime(2027, 3, 26, tzinfo=UTC), datetime(2027, 3, 30, tzinfo=UTC)
    )
    local_hours = {
        str(e["SUMMARY"]): e["DTSTART"].dt.astimezone(STOCKHOLM).hour for e in occurrences
    }
    assert local_hours == {"Före": 9, "Efter": 9}


def test_cancelled_occurrence_stays_in_the_feed_with_status_cancelled(index, telephone_series):
    cancelled = republish(
        telephone_series[1], status="cancelled", status_reason="Inställt på grund av påsklov."
    )
    uid = FeedEntry.objects.get(event=cancelled).uid
    calendar = icalendar.Calendar.from_ical(fetch(Client()).content)
    by_uid = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(by_uid) == 4
    assert str(by_uid[uid]["STATUS"]) == "CANCELLED"
    # Subscribers already hold version 0; only a higher SEQUENCE makes them apply the change.
    assert by_uid[uid]["SEQUENCE"] == 1
    others = [e for u, e in by_uid.items() if u != uid]
    assert {str(e["STATUS"]) for e in others} == {"CONFIRMED"}
    assert {e["SEQUENCE"] for e in others} == {0}


def test_moving_an_occurrence_raises_its_sequence_only(index, telephone_series):
    moved = republish(
        telephone_series[2],
        start=datetime(2027, 5, 18, 9, 0, tzinfo=STOCKHOLM),
        end=datetime(2027, 5, 18, 10, 0, tzinfo=STOCKHOLM),
        status="moved",
    )
    calendar = icalendar.Calendar.from_ical(fetch(Client()).content)
    sequences = {
        str(e["SUMMARY"]) + str(e["DTSTART"].dt.date()): e["SEQUENCE"]
        for e in calendar.walk("VEVENT")
    }
    assert sequences[f"{moved.title}2027-05-18"] == 1
    assert sorted(sequences.values()) == [0, 0, 0, 1]


def test_all_day_events_are_dates(index):
    EventPageFactory(
        parent=index,
        title="Nyckeltalskonferens",
        start=datetime(2027, 10, 26, 0, 0, tzinfo=STOCKHOLM),
        end=datetime(2027, 10, 26, 23, 0, tzinfo=STOCKHOLM),
        all_day=True,
    )
    vevent = icalendar.Calendar.from_ical(fetch(Client()).content).walk("VEVENT")[0]
    assert vevent["DTSTART"].dt == date(2027, 10, 26)
    assert vevent["DTEND"].dt == date(2027, 10, 27)


def test_unchanged_feed_answers_304_to_etag_and_to_last_modified(index, telephone_series):
    client = Client()
    response = fetch(client)
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(FEED, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    republish(telephone_series[0], title="Telefonkonferens (ny rubrik)")
    changed = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Telefonkonferens (ny rubrik)" in changed.content


def test_feed_is_assembled_from_stored_vevents(index, telephone_series):
    """The incremental path: an unchanged event is not serialised again, its stored text is used."""
    entry = FeedEntry.objects.get(event=telephone_series[0])
    marked = entry.vevent_public.replace("SUMMARY:", "SUMMARY:Lagrad ")
    FeedEntry.objects.filter(pk=entry.pk).update(vevent_public=marked)
    assert b"SUMMARY:Lagrad " in fetch(Client()).content


def test_filtered_feeds_by_kind_and_organiser(index, telephone_series):
    skane = OrganisationFactory(name="Kommunförbundet Skåne")
    EventPageFactory(
        parent=index, title="Strategiskt forum: Nya arbetssätt", kind="conference", organiser=skane
    )
    by_kind = icalendar.Calendar.from_ical(fetch(Client(), FEED + "?typ=conference").content)
    assert [str(e["SUMMARY"]) for e in by_kind.walk("VEVENT")] == [
        "Strategiskt forum: Nya arbetssätt"
    ]
    by_org = icalendar.Calendar.from_ical(fetch(Client(), f"{FEED}?arrangor={skane.pk}").content)
    assert len(by_org.walk("VEVENT")) == 1
    nothing = icalendar.Calendar.from_ical(fetch(Client(), FEED + "?typ=nonsense").content)
    assert nothing.walk("VEVENT") == []


def test_per_event_ics_download_parses(index):
    event = EventPageFactory(parent=index, title="Kick-off Etablering Södertörn", kind="kick_off")
    response = Client().get(event.url + "ics/")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar.walk("VEVENT")[0]["SUMMARY"]) == "Kick-off Etablering Södertörn"
    assert calendar.get_missing_tzids() == set()


def test_line_breaks_and_control_characters_never_break_a_calendar(index, user):
    event = EventPageFactory(
        parent=index,
        title="Kick-off\r\nEtablering\x1b Södertörn",
        venue="Tumba\x01\nbibliotek",
        description="<p>Rad ett</p>\n<p>Rad två</p>",
    )
    for url in (event.url + "ics/", FEED):
        response = Client().get(url)
        assert response.status_code == 200, url
        assert b"\x1b" not in response.content and b"\x01" not in response.content
        calendar = icalendar.Calendar.from_ical(response.content)
        vevent = calendar.walk("VEVENT")[0]
        assert str(vevent["SUMMARY"]) == "Kick-off Etablering Södertörn"
        assert str(vevent["LOCATION"]) == "Tumba bibliotek"
        assert "Rad ett" in str(vevent["DESCRIPTION"]) and "Rad två" in str(vevent["DESCRIPTION"])
    invitation = ical.event_ics(
        event, with_join_details=False, method="REQUEST", attendee=(user.email, "Karin\nK")
    )
    attendee = icalendar.Calendar.from_ical(invitation).walk("VEVENT")[0]["ATTENDEE"]
    assert attendee.params["CN"] == "Karin K"


def test_monthly_rule_gives_the_same_weekday_of_the_same_week():
    dates = services.series_dates(rule="monthly", first=date(2027, 1, 19), count=3)
    assert dates == [date(2027, 1, 19), date(2027, 2, 16), date(2027, 3, 16)]
    assert {d.weekday() for d in dates} == {1}
    assert services.series_dates(rule="biweekly", first=date(2027, 1, 5), count=3)[-1] == date(
        2027, 2, 2
    )


def test_series_occurrences_are_separate_pages_with_their_own_registrations(
    index, telephone_series
):
    assert len({e.pk for e in telephone_series}) == 4
    assert [e.start.astimezone(OSLO).hour for e in telephone_series] == [9, 9, 9, 9]
    # Scheduling again adds nothing: the dates already have occurrences.
    again = services.series_schedule(
        series=telephone_series[0].series,
        parent=index,
        dates=[date(2027, 3, 15)],
        starts_at=time(9, 0),
        duration=timedelta(hours=1),
        kind="telephone_conference",
    )
    assert again == []


@pytest.fixture
def two_members_feeds(world):
    from datetime import timedelta as days

    from django.utils import timezone

    from tests.minutes.factories import MeetingFactory

    meeting = MeetingFactory(
        parent=world.space, day=timezone.localdate() + days(days=7), title="Nätverksmöte"
    )
    urls = {
        role: f"/tjanster/kalender/min/{services.feed_token_rotate(user=world.users[role]).token}/kalender.ics"
        for role in ("member", "coordinator")
    }
    return meeting, urls


def test_a_personal_feed_answers_304_to_its_own_etag_only(two_members_feeds):
    _meeting, urls = two_members_feeds
    member, coordinator = (fetch(Client(), urls[role]) for role in ("member", "coordinator"))
    assert b"N\xc3\xa4tverksm\xc3\xb6te" in member.content and b"tverksm" in coordinator.content
    assert member["ETag"] != coordinator["ETag"]  # the same events, never the same validator
    assert Client().get(urls["member"], HTTP_IF_NONE_MATCH=member["ETag"]).status_code == 304
    other = Client().get(urls["coordinator"], HTTP_IF_NONE_MATCH=member["ETag"])
    assert other.status_code == 200 and other["ETag"] == coordinator["ETag"]


def test_a_personal_feed_gets_a_new_etag_when_its_events_change(world, two_members_feeds):
    meeting, urls = two_members_feeds
    etag = fetch(Client(), urls["member"])["ETag"]
    republish(meeting, title="Nätverksmöte (flyttat)")
    changed = Client().get(urls["member"], HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert b"(flyttat)" in changed.content


def test_a_personal_feed_is_never_304_by_date_alone(world, two_members_feeds):
    # Joining a network adds its older meetings without any event changing after that date.
    _meeting, urls = two_members_feeds
    last_modified = fetch(Client(), urls["member"])["Last-Modified"]
    assert Client().get(urls["member"], HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 200
