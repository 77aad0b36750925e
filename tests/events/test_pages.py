"""Calendar pages: list, month, archive, filters, subscription links, and constant SQL queries."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.events.bulk import bulk_events
from tests.events.factories import STOCKHOLM, EventPageFactory
from tests.factories import OrganisationFactory


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_calendar_pages_use_the_same_number_of_queries_at_100_and_10000_events(index):
    bulk_events(index, 50)
    bulk_events(index, 50, first_start=timezone.now() - timedelta(days=60), prefix="past")
    first = timezone.localdate() + timedelta(days=1)
    urls = [
        index.url,
        index.url + "?typ=knowledge_meeting",
        index.url + f"manad/{first.year}/{first.month}/",
        index.url + "arkiv/",
        "/",
    ]
    client = Client()

    def warm_counts():
        # The first request after a change fills the per-version caches (portal/versioned.py);
        # the counts compared are those of the requests after it, at each size.
        for url in urls:
            client.get(url)
        return {url: query_count(client, url) for url in urls}

    small = warm_counts()
    bulk_events(index, 9_900, first_start=timezone.now() - timedelta(days=5000), prefix="old")
    large = warm_counts()
    assert large == small


def test_list_shows_upcoming_events_and_filters_by_kind_and_organiser(index):
    skane = OrganisationFactory(name="Kommunförbundet Skåne")
    EventPageFactory(
        parent=index, title="Kunskapsträff: migration och hälsa", kind="knowledge_meeting"
    )
    EventPageFactory(parent=index, title="Strategiskt forum", kind="conference", organiser=skane)
    EventPageFactory(
        parent=index, title="Gammalt seminarium", start=datetime(2017, 6, 15, 9, tzinfo=STOCKHOLM)
    )
    client = Client()
    page = client.get(index.url).content.decode()
    knowledge = "Kunskapsträff: migration och hälsa"
    assert knowledge in page and "Strategiskt forum" in page
    assert "Gammalt seminarium" not in page
    only_kind = client.get(index.url, {"typ": "knowledge_meeting"}).content.decode()
    assert knowledge in only_kind and "Strategiskt forum" not in only_kind
    only_org = client.get(index.url, {"arrangor": skane.pk}).content.decode()
    assert "Strategiskt forum" in only_org and knowledge not in only_org


def test_archive_lists_past_events_with_their_documentation(index):
    EventPageFactory(
        parent=index,
        title="Seminarium om kvotflyktingar",
        start=datetime(2017, 6, 15, 9, tzinfo=STOCKHOLM),
        documentation=[
            ("link", {"title": "Presentation från Östersund", "url": "https://example.org/p.pdf"})
        ],
    )
    archive = Client().get(index.url + "arkiv/").content.decode()
    assert "Seminarium om kvotflyktingar" in archive
    assert "#dokumentation" in archive


def test_members_only_documentation_is_hidden_from_the_public(index, user):
    event = EventPageFactory(
        parent=index,
        title="Kick-off",
        documentation=[("link", {"title": "Bilder för deltagare", "url": "https://example.org/b"})],
        documentation_visibility="members",
    )
    assert "Bilder för deltagare" not in Client().get(event.url).content.decode()
    event_public = EventPageFactory(
        parent=index,
        title="Kick-off 2",
        documentation=[("link", {"title": "Öppna bilder", "url": "https://example.org/o"})],
    )
    assert "Öppna bilder" in Client().get(event_public.url).content.decode()


def test_month_view_shows_events_on_their_days_and_navigates(index):
    EventPageFactory(
        parent=index, title="Telefonkonferens", start=datetime(2027, 4, 19, 9, tzinfo=STOCKHOLM)
    )
    page = Client().get(index.url + "manad/2027/4/").content.decode()
    assert "Telefonkonferens" in page
    assert "manad/2027/3/" in page and "manad/2027/5/" in page
    assert Client().get(index.url + "manad/2027/13/").status_code == 404


@pytest.mark.parametrize("month", ["2026/0", "0/1", "2026/13", "99999/1"])
def test_a_month_that_does_not_exist_is_not_found(index, month):
    assert Client().get(index.url + f"manad/{month}/").status_code == 404


def test_pages_link_their_feed_and_offer_webcal_and_help(index):
    event = EventPageFactory(
        parent=index, title="Dialogmöte med Migrationsverket", kind="dialogue_meeting"
    )
    listing = Client().get(index.url, {"typ": "dialogue_meeting"}).content.decode()
    assert 'rel="alternate" type="text/calendar"' in listing
    assert "/tjanster/kalender/kalender.ics?typ=dialogue_meeting" in listing
    assert "webcal://" in listing
    assert "/tjanster/kalender/prenumerera/" in listing
    detail = Client().get(event.url).content.decode()
    assert f'type="text/calendar" title="{event.title}" href="{event.url}ics/"' in detail
    help_page = Client().get("/tjanster/kalender/prenumerera/").content.decode()
    for app in ("Outlook", "Google", "Apple"):
        assert app in help_page


def test_home_page_shows_upcoming_public_events(index):
    EventPageFactory(parent=index, title="Kick-off för nätverken")
    assert "Kick-off för nätverken" in Client().get("/").content.decode()


def test_cancelled_and_moved_events_say_so_with_the_reason(index):
    EventPageFactory(
        parent=index, title="Inställd träff", status="cancelled", status_reason="Sjukdom."
    )
    page = Client().get(index.url).content.decode()
    assert "Inställd träff" in page and "Sjukdom." in page
