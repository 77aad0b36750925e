"""One installation, several regional sites: each has its own calendar, catalogue, networks,
newsletter archive, news and search, and opens in its own language."""

import pytest

from events.models import EventIndexPage
from goodpractice.models import PracticeIndexPage
from networks.models import NetworkIndexPage
from portal.newsletters.models import NewsletterIndexPage
from tests.events.factories import EventIndexPageFactory, EventPageFactory
from tests.factories import NewsIndexPageFactory, NewsPageFactory, make_site
from tests.goodpractice.factories import PracticeIndexPageFactory, PracticePageFactory

pytestmark = pytest.mark.django_db

SKANE = "skane.localhost"


@pytest.fixture
def skane(home):
    return make_site(SKANE, name="Kommunförbundet Skåne")


@pytest.mark.parametrize(
    "model", [NetworkIndexPage, EventIndexPage, PracticeIndexPage, NewsletterIndexPage]
)
def test_every_site_may_have_one_index_of_each_kind(home, skane, model):
    skane_home = skane.root_page.specific
    home.add_child(instance=model(title="Index", slug="index"))
    assert not model.can_create_at(home)
    assert model.can_create_at(skane_home)
    skane_home.add_child(instance=model(title="Index", slug="index"))
    assert not model.can_create_at(skane_home)


def test_the_calendar_and_its_feed_list_only_their_own_sites_events(client, home, skane):
    EventPageFactory(parent=EventIndexPageFactory(parent=home), title="Kunskapsträff på Södertörn")
    EventPageFactory(
        parent=EventIndexPageFactory(parent=skane.root_page), title="Strategiskt forum i Skåne"
    )
    calendar = client.get("/kalender/", HTTP_HOST=SKANE).content.decode()
    feed = client.get("/tjanster/kalender/kalender.ics", HTTP_HOST=SKANE).content.decode()
    for text in (calendar, feed):
        assert "Strategiskt forum i Skåne" in text
        assert "Södertörn" not in text
    assert "Strategiskt forum" not in client.get("/kalender/").content.decode()


def test_the_catalogue_and_the_home_page_list_only_their_own_sites_practices(client, home, skane):
    PracticePageFactory(
        parent=PracticeIndexPageFactory(parent=home), title="Botkyrkas mottagningsteam"
    )
    PracticePageFactory(
        parent=PracticeIndexPageFactory(parent=skane.root_page), title="Trelleborgs bostadsavtal"
    )
    for path in ("/goda-exempel/", "/goda-exempel/csv/", "/"):
        text = client.get(path, HTTP_HOST=SKANE).content.decode()
        assert "Trelleborgs bostadsavtal" in text, path
        assert "Botkyrkas" not in text, path
    assert "Trelleborgs" not in client.get("/goda-exempel/").content.decode()


def test_search_and_news_stay_within_their_site(client, home, skane):
    for root, title in ((home, "Bostadsförsörjning på Södertörn"), (skane.root_page, "Skånes")):
        NewsPageFactory(
            parent=NewsIndexPageFactory(parent=root),
            title=f"{title} bostadsförsörjning",
            slug="post",
            date="2017-03-02",
        )
    found = client.get("/sok/", {"q": "bostadsförsörjning"}, HTTP_HOST=SKANE)
    assert [hit.page.title for hit in found.context["results"]] == ["Skånes bostadsförsörjning"]
    home_page = client.get("/", HTTP_HOST=SKANE).content.decode()
    assert "Skånes bostadsförsörjning" in home_page
    assert "Södertörn" not in home_page


def test_a_site_opens_in_its_default_language_unless_the_visitor_chose_one(client, home):
    make_site("ostfold.localhost", name="Statsforvalteren i Østfold", language="nb")
    assert '<html lang="nb">' in client.get("/", HTTP_HOST="ostfold.localhost").content.decode()
    assert '<html lang="sv">' in client.get("/").content.decode()
    client.cookies["portal_language"] = "sv"
    assert '<html lang="sv">' in client.get("/", HTTP_HOST="ostfold.localhost").content.decode()


def test_a_practice_marked_national_is_in_the_national_search_and_its_own_sites_only(
    client, home, skane
):
    sodertorn = PracticeIndexPageFactory(parent=home)
    skane_catalogue = PracticeIndexPageFactory(parent=skane.root_page)
    PracticePageFactory(parent=skane_catalogue, title="Trelleborgs bostadsavtal", national=True)
    PracticePageFactory(parent=skane_catalogue, title="Skurups kommunikationslista")
    PracticePageFactory(parent=sodertorn, title="Botkyrkas mottagningsteam")
    national = client.get("/goda-exempel/nationellt/").content.decode()
    assert "Trelleborgs bostadsavtal" in national
    assert "Kommunförbundet Skåne" in national  # the site, on the card and as a facet
    assert "Skurups" not in national and "Botkyrkas" not in national
    assert "Trelleborgs" not in client.get("/goda-exempel/").content.decode()
    own = client.get("/goda-exempel/", HTTP_HOST=SKANE).content.decode()
    assert "Trelleborgs bostadsavtal" in own and "Skurups kommunikationslista" in own
    filtered = client.get("/goda-exempel/nationellt/", {"webbplats": skane.pk})
    assert [p.title for p in filtered.context["results"]] == ["Trelleborgs bostadsavtal"]
    elsewhere = client.get("/goda-exempel/nationellt/", {"webbplats": skane.pk + 1})
    assert not list(elsewhere.context["results"])


def test_the_national_calendar_gathers_the_events_each_site_marks_national(client, home, skane):
    calendar = EventIndexPageFactory(parent=home)
    EventPageFactory(parent=calendar, title="NISKI-möte i Stockholm", national=True)
    EventPageFactory(parent=calendar, title="Kunskapsträff på Södertörn")
    EventPageFactory(
        parent=EventIndexPageFactory(parent=skane.root_page),
        title="Nyckeltalskonferensen",
        national=True,
    )
    for response in (
        client.get("/kalender/nationellt/", HTTP_HOST=SKANE),
        client.get("/tjanster/kalender/nationellt.ics"),
    ):
        text = response.content.decode()
        assert "NISKI-möte i Stockholm" in text and "Nyckeltalskonferensen" in text
        assert "Kunskapsträff" not in text
    assert "Nyckeltalskonferensen" not in client.get("/kalender/").content.decode()


def test_an_administrator_makes_a_regional_site_in_one_step_in_the_admin(client, home, superuser):
    from wagtail.models import Site

    client.force_login(superuser)
    url = "/admin/webbplatser/ny/"
    bad = client.post(url, {"name": "Region Östergötland", "hostname": "http://x/", "port": 80})
    assert bad.status_code == 400
    assert "Region Östergötland" in bad.content.decode()  # what was typed is kept
    data = {"name": "Region Östergötland", "hostname": "Ostergotland.localhost", "port": 80}
    assert client.post(url, data).status_code == 302
    site = Site.objects.get(hostname="ostergotland.localhost")
    assert client.get("/kalender/", HTTP_HOST="ostergotland.localhost").status_code == 200
    assert site.portalsettings.strategists.name == "Strateger – Region Östergötland"
    assert client.post(url, data).status_code == 400  # the address is taken


def test_only_superusers_make_sites(client, home, user):
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get("/admin/webbplatser/ny/").status_code in (302, 403)
