"""The public iCalendar feed at 10,000 events: cold (every VEVENT serialised), warm (assembled
from stored VEVENTs), after one event changed, and a conditional request (304); against plain
icalendar building and serialising the same 10,000 events in the same run. Goal: warm < 0.5 s."""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar, Event

from events.models import EventPage, FeedEntry
from tests.events.bulk import bulk_events
from tests.events.factories import EventIndexPageFactory
from tests.factories import make_home_page

EVENTS = 10_000
FEED = "/tjanster/kalender/kalender.ics"


def plain_icalendar(events) -> bytes:
    """What a feed costs without the stored VEVENTs: icalendar builds and serialises them all."""
    calendar = Calendar()
    calendar.add("prodid", "-//bench//")
    calendar.add("version", "2.0")
    for event in events:
        vevent = Event()
        vevent.add("uid", f"{event.pk}@bench")
        vevent.add("dtstamp", event.last_published_at)
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end)
        vevent.add("summary", event.title)
        vevent.add("description", event.description)
        vevent.add("location", event.venue)
        vevent.add("url", f"https://example.org{event.url_path}")
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def seconds(fn):
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def run(report):
    index = EventIndexPageFactory(parent=make_home_page())
    bulk_events(index, EVENTS)
    client = Client()

    events = list(EventPage.objects.live())
    baseline, _body = seconds(lambda: plain_icalendar(events))
    report("plain icalendar, 10,000 events", baseline, "s", "build + serialise, no database")

    cold, response = seconds(lambda: client.get(FEED))
    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == EVENTS
    report("public feed, cold (10,000 VEVENTs serialised and stored)", cold, "s")

    warm_runs = []
    for _ in range(7):
        elapsed, response = seconds(lambda: client.get(FEED))
        assert response.status_code == 200
        warm_runs.append(elapsed)
    warm = statistics.median(warm_runs)
    report("public feed, warm: median of 7", warm, "s", "goal < 0.5 s")
    report("public feed, warm: max of 7", max(warm_runs), "s")
    report("plain icalendar / warm feed", baseline / warm, "x", "how many times faster")
    report("feed size", len(response.content) / 1e6, "MB")
    with CaptureQueriesContext(connection) as queries:
        client.get(FEED)
    report("public feed, warm: SQL queries", len(queries), "queries")

    one = FeedEntry.objects.order_by("pk").first()
    FeedEntry.objects.filter(pk=one.pk).update(cache_key="")
    incremental, response = seconds(lambda: client.get(FEED))
    assert response.status_code == 200
    report("public feed after one event changed", incremental, "s", "1 VEVENT serialised again")

    etag = response["ETag"]
    not_modified_runs = []
    for _ in range(20):
        elapsed, response = seconds(lambda: client.get(FEED, HTTP_IF_NONE_MATCH=etag))
        assert response.status_code == 304
        not_modified_runs.append(elapsed)
    report(
        "conditional request (304): median of 20", statistics.median(not_modified_runs) * 1000, "ms"
    )

    listing = []
    for _ in range(10):
        elapsed, response = seconds(lambda: client.get(index.url))
        assert response.status_code == 200
        listing.append(elapsed)
    report("calendar list page at 10,000 events: median", statistics.median(listing) * 1000, "ms")
