"""Site search: every page type understands Swedish inflections and compounds, and each result
shows where the words were found, its date and its network, never text a reader may not see."""

import pytest

from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(home):
    return NewsPageFactory(
        parent=NewsIndexPageFactory(parent=home),
        title="Bostadsförsörjningen är den största utmaningen",
        slug="bostadsforsorjningen",
        date="2017-03-02",
        intro="Kommunerna i Södertörn saknar lägenheter för de nyanlända som anvisas.",
        revision=False,
    )


def hits(client, words):
    return list(client.get("/sok/", {"q": words}).context["results"])


def test_a_base_form_finds_a_news_item_whose_title_has_it_only_inside_a_compound(client, news):
    assert [hit.page.pk for hit in hits(client, "bostad")] == [news.pk]


def test_an_inflected_form_finds_a_standard_page(client, home):
    page = StandardPageFactory(parent=home, title="Lägenheter för nyanlända", revision=False)
    assert [hit.page.pk for hit in hits(client, "lägenhet")] == [page.pk]


def test_a_result_marks_the_matched_words_and_shows_an_excerpt_and_the_date(client, news):
    response = client.get("/sok/", {"q": "bostad lägenhet"})
    hit = response.context["results"][0]
    assert str(hit.title) == "<mark>Bostadsförsörjningen</mark> är den största utmaningen"
    assert "<mark>lägenheter</mark>" in hit.excerpt
    assert hit.date.isoformat() == "2017-03-02"
    html = response.content.decode()
    assert '<time datetime="2017-03-02">2 mars 2017</time>' in html
    assert "<mark>Bostadsförsörjningen</mark>" in html


def test_the_excerpt_escapes_what_an_editor_typed(client, home):
    StandardPageFactory(
        parent=home, title="Boende", intro="<script>x()</script> boende för alla", revision=False
    )
    html = client.get("/sok/", {"q": "boende"}).content.decode()
    assert "<script>x()" not in html


def test_a_member_space_result_names_its_network_and_a_non_member_never_sees_it(client, world):
    world.space.intro = f"<p>Protokoll om bostadsbolaget. {world.secret}</p>"
    world.space.save_revision().publish()
    member = world.client("member")
    found = [hit for hit in hits(member, "bostad") if hit.page.pk == world.space.pk]
    assert [hit.network.pk for hit in found] == [world.network.pk]
    assert world.secret in member.get("/sok/", {"q": "bostad"}).content.decode()
    for role in ("anonymous", "other_member", "former_member"):
        response = world.client(role).get("/sok/", {"q": "bostad"})
        assert world.space.pk not in [hit.page.pk for hit in response.context["results"]]
        assert world.secret not in response.content.decode()
