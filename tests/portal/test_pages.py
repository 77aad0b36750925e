import pytest

from portal.models import NewsIndexPage, NewsPage

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
