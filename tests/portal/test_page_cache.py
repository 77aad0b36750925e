"""Anonymous pages come from the shared cache, and a cached page is never wrong: it shows every
change at once, never carries anything of the person who happened to be there before, and is
never another site's page at the same address."""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from networks.models import Membership
from networks.services import membership_end
from portal.page_cache import HEADER
from tests.access_matrix import response_text
from tests.factories import StandardPageFactory, make_site
from tests.helpers import path_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 300


def anonymous_get(url):
    return Client().get(url)


def test_an_anonymous_page_is_served_from_the_cache_without_other_queries(world):
    url = world.network.url
    assert anonymous_get(url)[HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = anonymous_get(url)
    assert response.status_code == 200
    assert response[HEADER] == "hit"
    assert world.network.title in response_text(response)
    # The content version and the page: one read of the cache (a table without Redis), no more.
    cache_table = settings.CACHES["default"].get("LOCATION", "")
    assert len(queries) <= 1
    assert all(cache_table in query["sql"] for query in queries.captured_queries)


def test_a_published_change_and_an_ended_membership_show_at_once(world):
    member = world.client("member")
    assert anonymous_get(world.network.url)[HEADER] == "miss"
    assert anonymous_get(world.network.url)[HEADER] == "hit"
    assert member.get(world.space.url).status_code == 200

    revision = world.network.get_latest_revision_as_object()
    revision.title = "Nätverk för bostadsfrågor"
    revision.save_revision().publish()

    anonymous = anonymous_get(world.network.url)
    assert "Nätverk för bostadsfrågor" in response_text(anonymous)
    assert "Nätverk för bostadsfrågor" in response_text(member.get(world.network.url))

    membership_end(
        membership=Membership.objects.get(network=world.network, user=world.users["member"])
    )
    assert member.get(world.space.url).status_code == 403
    # No anonymous page shows who is a member: a membership empties only its network's member
    # fragments (portal/member_fragments.py), and the anonymous page stays kept.
    anonymous = anonymous_get(world.network.url)
    assert anonymous[HEADER] == "hit"
    assert "Nätverk för bostadsfrågor" in response_text(anonymous)


def test_unpublishing_and_deleting_a_page_reach_anonymous_visitors_at_once(world, home):
    page = StandardPageFactory(parent=home, title="Kunskapsträff om hälsa", slug="kunskapstraff")
    assert anonymous_get(page.url).status_code == 200
    assert anonymous_get(page.url)[HEADER] == "hit"
    page.unpublish()
    assert anonymous_get("/kunskapstraff/").status_code == 404
    page.save_revision().publish()
    assert anonymous_get("/kunskapstraff/").status_code == 200
    page.delete()
    assert anonymous_get("/kunskapstraff/").status_code == 404


def test_a_changed_setting_reaches_anonymous_visitors_at_once(world, home):
    from wagtail.models import Site

    from portal.site_settings import PortalSettings

    assert anonymous_get("/")[HEADER] == "miss"
    portal_settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal_settings.organisation_name = "Etablering Södertörn"
    portal_settings.save()
    assert "Etablering Södertörn" in response_text(anonymous_get("/"))


def test_a_cached_page_never_carries_a_members_name_token_or_member_only_link(world):
    member = world.client("member")
    name = world.users["member"].display_name
    seen_by_member = response_text(member.get(world.network.url))
    assert name in seen_by_member
    assert "csrfmiddlewaretoken" in seen_by_member
    assert path_of(world.space.url) in seen_by_member

    for expected in ("miss", "hit"):
        response = anonymous_get(world.network.url)
        assert response[HEADER] == expected
        text = response_text(response)
        assert name not in text
        assert "csrfmiddlewaretoken" not in text
        assert world.space.url not in text
        assert "/mina-sidor/" not in text

    # A member arriving after the page was cached gets their own page, not the cached one.
    response = member.get(world.network.url)
    assert HEADER not in response
    assert name in response_text(response)


def test_the_language_switch_on_a_cached_page_still_works(world):
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    assert client.get("/")[HEADER] == "hit"
    response = client.post("/sprak/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in response_text(client.get("/"))


def test_a_logged_in_users_language_switch_still_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["member"], backend=settings.AUTHENTICATION_BACKENDS[0])
    assert client.post("/sprak/", {"language": "en", "next": "/"}).status_code == 403
    client.get("/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post("/sprak/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    world.users["member"].refresh_from_db()
    assert world.users["member"].preferred_language == "en"


def test_languages_are_cached_apart(world):
    swedish = anonymous_get("/")
    english = Client(headers={"accept-language": "en"}).get("/")
    assert '<html lang="sv">' in response_text(swedish)
    assert '<html lang="en">' in response_text(english)
    assert english[HEADER] == "miss"


def test_a_page_with_a_form_is_never_cached_and_its_form_accepts_the_post(world, home):
    from events.models import Registration
    from tests.events.factories import EventIndexPageFactory, EventPageFactory

    event = EventPageFactory(parent=EventIndexPageFactory(parent=home), registration_enabled=True)
    client = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = client.get(event.url)
        assert HEADER not in response
        assert "csrfmiddlewaretoken" in response_text(response)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        event.url + "anmalan/",
        {"name": "Ada Ek", "email": "ada@example.org", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert Registration.objects.filter(event=event, email="ada@example.org").exists()


def test_pending_messages_are_never_answered_from_the_cache(world):
    anonymous_get("/")
    client = Client()
    client.cookies["messages"] = "something"
    assert HEADER not in client.get("/")


def test_an_anonymous_page_without_a_form_sets_no_cookie(world):
    """A cookie keeps a page out of the cache; nothing on a plain page may ask for one (a lazy
    CSRF token evaluated by accident in the layout once did, on every page)."""
    response = anonymous_get(world.network.url)
    assert response.status_code == 200
    assert not response.cookies


SKANE = "skane.localhost"


@pytest.fixture
def one_address_on_two_sites(home):
    """/kunskapstraff/ on the default site and on Kommunförbundet Skåne's, each its own page."""
    skane = make_site(SKANE, name="Kommunförbundet Skåne")
    ours = StandardPageFactory(parent=home, title="Södertörns kunskapsträff", slug="kunskapstraff")
    StandardPageFactory(parent=skane.root_page, title="Skånes kunskapsträff", slug="kunskapstraff")
    return ours


def _both(path="/kunskapstraff/"):
    return Client().get(path), Client().get(path, HTTP_HOST=SKANE)


def test_the_same_address_on_two_sites_is_cached_apart(world, one_address_on_two_sites):
    for expected in ("miss", "hit"):
        ours, theirs = _both()
        assert (ours[HEADER], theirs[HEADER]) == (expected, expected)
        assert "Södertörns kunskapsträff" in response_text(ours)
        assert "Skånes kunskapsträff" not in response_text(ours)
        assert "Skånes kunskapsträff" in response_text(theirs)
        assert "Södertörns kunskapsträff" not in response_text(theirs)


def test_a_publish_on_one_site_renders_its_pages_afresh(world, one_address_on_two_sites):
    _both(), _both()  # both kept
    revision = one_address_on_two_sites.get_latest_revision_as_object()
    revision.title = "Södertörns kunskapsträff om hälsa"
    revision.save_revision().publish()

    ours, theirs = _both()

    assert ours[HEADER] == "miss"
    assert "Södertörns kunskapsträff om hälsa" in response_text(ours)
    # One content version for the installation (portal/page_cache.py): a publish on one site
    # renders the other sites' pages afresh too, never another site's page.
    assert theirs[HEADER] == "miss"
    assert "Skånes kunskapsträff" in response_text(theirs)
    assert "om hälsa" not in response_text(theirs)


def test_a_refused_form_still_puts_error_first_in_the_title(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})
    assert response.status_code == 200
    assert "<title>Fel: " in response.content.decode()
