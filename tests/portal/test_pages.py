"""Site-wide pages: the home page, news, search and the error pages."""

import pytest
from django.utils import translation

from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_swedish_by_default(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="sv">' in response.content


def test_news_index_lists_newest_post_first(client, home):
    index = NewsIndexPageFactory(parent=home)
    for day, title in [("2017-01-20", "Äldre inlägg"), ("2017-06-20", "Nyare inlägg")]:
        NewsPageFactory(parent=index, title=title, date=day, revision=False)
    content = client.get("/aktuellt/").content.decode()
    assert content.index("Nyare inlägg") < content.index("Äldre inlägg")


def test_not_found_page_is_swedish_and_says_404(client, home):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="sv">' in content
    with translation.override("sv"):
        heading = translation.gettext("Page not found")
    assert heading != "Page not found", "no Swedish translation"
    assert f"<h1>{heading}</h1>" in content
    assert 'href="/"' in content


def test_search_with_an_empty_query_shows_the_form_and_no_results(client, home):
    response = client.get("/sok/", {"q": ""})
    assert response.status_code == 200
    assert response.context["results"] is None
    assert b'name="q"' in response.content


def test_search_finds_a_published_page(client, home):
    StandardPageFactory(parent=home, title="Bosättning i Södertörn", revision=False)
    response = client.get("/sok/", {"q": "Bosättning"})
    assert response.status_code == 200
    assert [hit.page.title for hit in response.context["results"]] == ["Bosättning i Södertörn"]


def test_search_does_not_show_unpublished_pages(client, home):
    StandardPageFactory(parent=home, title="Hemligt utkast", publish=False, revision=False)
    response = client.get("/sok/", {"q": "utkast"})
    assert list(response.context["results"]) == []


def test_news_post_shows_its_date(client, home):
    NewsPageFactory(
        parent=NewsIndexPageFactory(parent=home), title="Kick-off", slug="kick-off", revision=False
    )
    response = client.get("/aktuellt/kick-off/")
    assert response.status_code == 200
    assert b'datetime="2017-02-01"' in response.content


def test_favicon_answers_at_the_address_browsers_ask_for(client, db):
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.ico")
    assert finders.find("img/favicon.ico")


def test_a_newsletter_number_and_year_stay_apart_in_the_slug():
    from django.utils.text import slugify

    from tests.newsletters.factories import NewsletterIssuePageFactory

    title = "Nyhetsbrev 1/2027: Prioriterat arbete"
    issue = NewsletterIssuePageFactory.build(title=title, slug=slugify(title))
    issue.clean()
    assert issue.slug == "nyhetsbrev-1-2027-prioriterat-arbete"
