"""Whole member pages from the shared cache (portal/member_page_cache.py): given again only to
the session they were rendered for, shown afresh after any write, never to anyone else."""

import re

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.services import feed_token_revoke, feed_token_rotate
from networks.models import Membership
from networks.services import membership_end
from portal.models import User
from tests.factories import StandardPageFactory
from tests.minutes.bulk import bulk_minutes

pytestmark = pytest.mark.django_db
CACHE = "X-Portal-Cache"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def member_page_cache(settings):
    settings.PORTAL_MEMBER_PAGE_CACHE_SECONDS = 300


def browser(user) -> Client:
    """A logged-in browser that holds its CSRF cookie, as after its first page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get(reverse("portal:personal_page"))
    return client


def member_urls(world) -> dict:
    (minutes,) = bulk_minutes(world.network, 1, author=world.users["coordinator"])
    token = feed_token_rotate(user=world.users["member"]).token
    # Its first use is written down (a write, so that answer is not kept).
    Client().get(reverse("events:personal_feed", args=[token]))
    return {
        "member space": world.space.url,
        "directory": world.space.url + "kontaktlista/",
        "minutes page": minutes.url,
        "Mina sidor": reverse("portal:personal_page"),
        "personal feed": reverse("events:personal_feed", args=[token]),
    }


def test_each_member_page_is_given_again_to_its_session_in_one_query(world):
    urls = member_urls(world)
    client = browser(world.users["member"])
    for name, url in urls.items():
        first = client.get(url)
        assert (first.status_code, first.get(CACHE)) == (200, "miss"), name
        with CaptureQueriesContext(connection) as captured:
            again = client.get(url)
        assert again.get(CACHE) == "hit", name
        assert again.content == first.content, name
        # The page, the session and the versions in one read of the cache, however long it is.
        assert len(captured.captured_queries) == 1, (name, captured.captured_queries)


def test_the_token_of_a_kept_page_is_accepted(world):
    client = browser(world.users["member"])
    url = reverse("portal:personal_page")
    client.get(url)
    kept = client.get(url)
    assert kept.get(CACHE) == "hit"
    token = TOKEN.search(kept.content.decode()).group(1)
    response = client.post(reverse("events:feed_token_rotate"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_another_person_or_session_never_gets_the_kept_page(world):
    url = world.space.url
    member = browser(world.users["member"])
    member.get(url)
    kept = member.get(url).content.decode()
    # As the page header names who is logged in.
    member_name = f"({world.users['member'].display_name})"
    assert member_name in kept
    for other in (browser(world.users["coordinator"]), browser(world.users["member"])):
        response = other.get(url)
        assert response.get(CACHE) != "hit"
        shown = response.content.decode()
        assert TOKEN.search(shown).group(1) not in kept
        is_member = other.session["_auth_user_id"] == str(world.users["member"].pk)
        assert (member_name in shown) == is_member
    for role in ("outsider", "other_member", "former_member", "anonymous"):
        refused = world.client(role).get(url)
        assert refused.status_code in (302, 403), role
        assert member_name not in refused.content.decode(), role


def test_a_publish_and_an_ended_membership_show_at_once(world):
    client = browser(world.users["member"])
    url = world.space.url
    client.get(url)
    assert client.get(url).get(CACHE) == "hit"
    StandardPageFactory(parent=world.space, title="Nytt protokollarkiv")
    assert "Nytt protokollarkiv" in client.get(url).content.decode()
    assert client.get(url).get(CACHE) == "hit"
    membership_end(
        membership=Membership.objects.get(user=world.users["member"], network=world.network)
    )
    assert client.get(url).status_code == 403


def test_a_write_without_signals_shows_at_once(world):
    client = browser(world.users["member"])
    url = world.space.url + "kontaktlista/"
    client.get(url)
    assert client.get(url).get(CACHE) == "hit"
    User.objects.filter(pk=world.users["coordinator"].pk).update(first_name="Kerstin")
    shown = client.get(url)
    assert shown.get(CACHE) == "miss"
    assert "Kerstin" in shown.content.decode()


def test_a_logged_out_session_gets_the_login_page(world):
    client = browser(world.users["member"])
    url = reverse("portal:personal_page")
    client.get(url)
    assert client.get(url).get(CACHE) == "hit"
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    token = TOKEN.search(client.get(url).content.decode()).group(1)
    client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    stale = Client()
    for name, value in cookies.items():
        stale.cookies[name] = value
    response = stale.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)


def test_a_pending_message_is_shown_not_the_kept_page(world):
    client = browser(world.users["member"])
    url = reverse("portal:personal_page")
    client.get(url)
    assert client.get(url).get(CACHE) == "hit"
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(constants.SUCCESS, "Din kalenderlänk är ny.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value
    response = client.get(url)
    assert response.get(CACHE) is None
    assert "Din kalenderlänk är ny." in response.content.decode()
    assert client.get(url).get(CACHE) == "hit"


def test_a_revoked_calendar_key_is_refused_at_once(world):
    url = member_urls(world)["personal feed"]
    calendar_app = Client()
    assert calendar_app.get(url).get(CACHE) == "miss"
    assert calendar_app.get(url).get(CACHE) == "hit"
    feed_token_revoke(user=world.users["member"])
    assert calendar_app.get(url).status_code == 404
