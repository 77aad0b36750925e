"""Swedish by default; Norwegian Bokmål and English on request, remembered per user."""

import pytest
from django.conf import settings

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def html_lang(response):
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


def test_swedish_is_the_default_language(client, home):
    assert html_lang(client.get("/")) == "sv"


@pytest.mark.parametrize("language", ["nb", "en", "sv"])
def test_language_switch_sets_the_language_for_a_visitor(client, home, language):
    response = client.post("/sprak/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    assert html_lang(client.get("/")) == language


def test_language_switch_is_remembered_on_the_account(client, home):
    user = UserFactory(preferred_language="sv")
    client.force_login(user)
    client.post("/sprak/", {"language": "nb", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "nb"


def test_the_accounts_language_follows_the_user_to_another_device(client, home):
    user = UserFactory(preferred_language="en")
    client.force_login(user)  # a fresh client: no language cookie
    assert html_lang(client.get("/")) == "en"


def test_an_unknown_language_is_ignored(client, home, user):
    client.force_login(user)
    client.post("/sprak/", {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "sv"
    assert html_lang(client.get("/")) == "sv"


def test_language_switch_does_not_redirect_to_another_site(client, home):
    response = client.post("/sprak/", {"language": "en", "next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert not response.url.startswith("https://evil.example.com")


def test_language_switch_only_accepts_post(client, home):
    assert client.get("/sprak/?language=en").status_code == 405
