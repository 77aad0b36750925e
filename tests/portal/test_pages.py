"""Site-wide pages: the home page, news, search and the error pages."""

import pytest
from django.utils import translation

from portal.models import NewsIndexPage, NewsPage, StandardPage

pytestmark = pytest.mark.django_db


def test_home_page_is_swedish_by_default(client, home):
    response = client.get("/")
    assert response.status_code == 200
    assert b'<html lang="sv">' in response.content


def test_news_index_lists_newest_post_first(client, home):
    index = NewsIndexPage(title="Aktuellt", slug="aktuellt")
    home.add_child(instance=index)
    for day, title in [("2017-01-20", "Äldre inlägg"), ("2017-06-20", "Nyare inlägg")]:
        index.add_child(
            instance=NewsPage(title=title, slug=title.lower().replace(" ", "-")[:20], date=day)
        )
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
    home.add_child(instance=StandardPage(title="Bosättning i Södertörn", slug="bosattning"))
    response = client.get("/sok/", {"q": "Bosättning"})
    assert response.status_code == 200
    assert [hit.page.title for hit in response.context["results"]] == ["Bosättning i Södertörn"]


def test_search_does_not_show_unpublished_pages(client, home):
    home.add_child(instance=StandardPage(title="Hemligt utkast", slug="utkast", live=False))
    response = client.get("/sok/", {"q": "utkast"})
    assert list(response.context["results"]) == []


def test_news_post_shows_its_date(client, home):
    index = NewsIndexPage(title="Aktuellt", slug="aktuellt")
    home.add_child(instance=index)
    index.add_child(instance=NewsPage(title="Kick-off", slug="kick-off", date="2017-02-01"))
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

    from portal.newsletters.models import NewsletterIssuePage

    title = "Nyhetsbrev 1/2027: Prioriterat arbete"
    issue = NewsletterIssuePage(title=title, slug=slugify(title))
    issue.clean()
    assert issue.slug == "nyhetsbrev-1-2027-prioriterat-arbete"
