"""What each worker keeps per content version (portal/versioned.py): the site, the route to a
page, the view restrictions and the menu cost no query once known, and every change is seen by
the very next request."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from portal import page_cache, versioned
from portal.models import StandardPage

pytestmark = pytest.mark.django_db


def publish(parent, title, slug, **fields):
    page = StandardPage(title=title, slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_a_deep_page_costs_no_more_queries_than_a_top_level_one(home):
    top = publish(home, "Om portalen", "om")
    deep = publish(publish(publish(home, "Stöd", "stod"), "Boende", "boende"), "Hyror", "hyror")
    client = Client()
    for page in (top, deep):
        client.get(page.url)  # the route is found once per content version
    assert queries(client, deep.url) == queries(client, top.url)


def test_a_moved_renamed_or_unpublished_page_is_routed_afresh(home):
    page = publish(home, "Kunskapsträff", "kunskapstraff")
    client = Client()
    assert client.get("/kunskapstraff/").status_code == 200
    page.slug = "traff"
    page.save_revision().publish()
    assert client.get("/kunskapstraff/").status_code == 404
    assert client.get("/traff/").status_code == 200
    page.refresh_from_db()
    page.unpublish()
    assert client.get("/traff/").status_code == 404


def test_a_new_view_restriction_applies_on_the_next_request(home):
    page = publish(home, "Internt", "internt", intro="Bara för inloggade")
    client = Client()
    assert client.get(page.url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.LOGIN
    )
    response = client.get(page.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not StandardPage.objects.public().filter(pk=page.pk).exists()
    restriction.delete()
    assert client.get(page.url).status_code == 200


def test_a_menu_page_shows_in_the_menu_on_the_next_request(home):
    client = Client()
    client.get("/")
    publish(home, "Kontakt", "kontakt", show_in_menus=True)
    assert 'href="/kontakt/"' in client.get("/").content.decode()


def test_nothing_is_kept_outside_a_request():
    computed = []
    versioned.remembered("outside", lambda: computed.append(1))
    versioned.remembered("outside", lambda: computed.append(1))
    assert computed == [1, 1]


def test_a_request_that_changed_content_keeps_nothing_more(home):
    computed = []
    versioned.begin_request()
    try:
        versioned.remembered("kept", lambda: computed.append("before"))
        versioned.remembered("kept", lambda: computed.append("again"))
        page_cache.content_changed()
        versioned.remembered("kept", lambda: computed.append("after"))
        versioned.remembered("kept", lambda: computed.append("after again"))
    finally:
        versioned.end_request()
    assert computed == ["before", "after", "after again"]


def test_once_known_a_page_asks_nothing_of_restrictions_sites_or_root_paths(home):
    # Fails when a Wagtail upgrade stops calling one of the methods portal/versioned.py replaces.
    page = publish(home, "Om portalen", "om", show_in_menus=True)
    client = Client()
    client.get(page.url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(page.url).status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    tables = ("wagtailcore_pageviewrestriction", "wagtailcore_site")
    assert not [one for one in sql if any(table in one for table in tables)]
    assert len([one for one in sql if "portal_cache" in one]) == 1  # the version, not root paths
