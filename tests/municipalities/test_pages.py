"""The municipality and county pages: quotas with their sources, key figures, contacts (members
only), practices and events, and the contact gaps of a county."""

import base64
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from municipalities import charts, selectors
from municipalities.models import ContactRole, QuotaKind, QuotaStatus, Visibility
from portal.models import Organisation
from tests.access_matrix import SITE_MEMBERS, assert_shown_only
from tests.events.factories import EventPageFactory
from tests.factories import UserFactory
from tests.goodpractice.factories import PracticePageFactory
from tests.municipalities.factories import (
    ContactPersonFactory,
    FigureTypeFactory,
    FigureValueFactory,
    MunicipalityIndexPageFactory,
    QuotaFactory,
    county,
    municipality,
)

pytestmark = pytest.mark.django_db


def cells(response) -> str:
    """The page without the cells' column names (for phones), to read the rows as written."""
    return re.sub(r' data-label="[^"]*"', "", response.content.decode())


def test_the_botkyrka_page_shows_its_kommuntal_received_and_reached_with_source(
    kommuner_path, client
):
    QuotaFactory(requested=112, received=56, retrieved_on=date(2026, 1, 15))
    html = client.get(f"{kommuner_path}botkyrka/").content.decode()
    assert "<h1>Botkyrka kommun</h1>" in html
    assert "Begärt: 112" in html
    assert "Mottagna hittills: 56" in html
    assert "50 % uppnått" in html
    assert "Källa: Migrationsverket, 2026-01-15" in html


def test_each_key_figure_value_carries_its_source_and_date(kommuner_path, client):
    figure = FigureTypeFactory(name="Hälsoundersökningar")
    FigureValueFactory(figure_type=figure, value=61, gender="K", source="Region Stockholm",
                       retrieved_on=date(2026, 2, 1))  # fmt: skip
    FigureValueFactory(figure_type=figure, value=66, gender="M", source="Region Stockholm",
                       retrieved_on=date(2026, 2, 1))  # fmt: skip
    html = cells(client.get(f"{kommuner_path}botkyrka/"))
    assert "Hälsoundersökningar" in html
    assert '<th scope="col">Kvinnor</th>' in html and '<th scope="col">Män</th>' in html
    assert "<td>61</td><td>66</td>" in html
    assert "Källa: Region Stockholm, 2026-02-01" in html


def test_the_botkyrka_page_lists_its_practices_and_its_events(kommuner_path, client):
    botkyrka = municipality("Botkyrka kommun")
    PracticePageFactory(title="Botkyrkas bostadsgrupp", organisations=[botkyrka])
    EventPageFactory(title="Kunskapsträff om hälsa", organiser=botkyrka)
    EventPageFactory(title="Någon annans seminarium")
    html = client.get(f"{kommuner_path}botkyrka/").content.decode()
    assert "Botkyrkas bostadsgrupp" in html
    assert "Kunskapsträff om hälsa" in html
    assert "Någon annans seminarium" not in html


def test_contacts_and_member_only_figures_are_for_the_sites_members(world, kommuner_path):
    secret = world.secret
    ContactPersonFactory(name=f"Kontakt {secret}")
    FigureValueFactory(
        figure_type=FigureTypeFactory(name=f"Internt {secret}", visibility=Visibility.MEMBERS)
    )
    FigureValueFactory(figure_type=FigureTypeFactory(name="Mottagna"), value=240)
    for url in (f"{kommuner_path}botkyrka/", f"{kommuner_path}botkyrka/nyckeltal/csv/"):
        assert_shown_only(world.client, url, SITE_MEMBERS, secret)


def test_a_contact_with_an_account_shows_the_accounts_name_and_address(world, kommuner_path):
    person = UserFactory(first_name="Sara", last_name="Strateg", email="sara@botkyrka.example.org")
    ContactPersonFactory(user=person, name="", email="", role=ContactRole.HOUSING)
    html = world.client("member").get(f"{kommuner_path}botkyrka/").content.decode()
    assert "Bostadskontakt:</strong> Sara Strateg" in html
    assert "mailto:sara@botkyrka.example.org" in html


def test_the_county_page_sums_its_municipalities(kommuner_path, client):
    QuotaFactory(requested=112, received=64)
    QuotaFactory(organisation=municipality("Huddinge kommun"), requested=121, received=58)
    QuotaFactory(organisation=municipality("Huddinge kommun"), kind=QuotaKind.UNACCOMPANIED,
                 requested=9, received=3, status=QuotaStatus.MET)  # fmt: skip
    html = cells(client.get(f"{kommuner_path}lan/stockholms-lan/"))
    assert "<h1>Stockholms län</h1>" in html
    assert "<td>233</td><td>0</td><td>122</td><td>52 %</td>" in html
    assert 'href="/kommuner/huddinge/"' in html


def test_a_kommun_without_a_settlement_contact_is_flagged_on_the_county_overview(
    world, kommuner_path
):
    QuotaFactory()
    for role in ContactRole:
        ContactPersonFactory(role=role)
    ContactPersonFactory(organisation=municipality("Huddinge kommun"), role=ContactRole.HOUSING)
    html = world.client("member").get(f"{kommuner_path}lan/stockholms-lan/").content.decode()
    huddinge = html[html.index('<th scope="row">Huddinge kommun</th>') :]
    huddinge = huddinge[: huddinge.index("</tr>")]
    assert "Saknas:" in huddinge and "Bosättningskontakt" in huddinge
    assert "Bostadskontakt" not in huddinge
    botkyrka = html[html.index('<th scope="row">Botkyrka kommun</th>') :]
    assert "Varje roll har en kontakt" in botkyrka[: botkyrka.index("</tr>")]
    anonymous = world.client("anonymous").get(f"{kommuner_path}lan/stockholms-lan/")
    assert "Saknas:" not in anonymous.content.decode()


def test_a_municipality_outside_the_sites_counties_is_not_found(kommuner_path, client):
    assert client.get(f"{kommuner_path}malmo/").status_code == 404
    assert client.get(f"{kommuner_path}lan/skane-lan/").status_code == 404
    assert client.get(f"{kommuner_path}botkyrka/").status_code == 200


def test_the_chooser_leads_to_the_municipality_or_says_it_is_not_here(kommuner_path, client):
    response = client.get(kommuner_path, {"kommun": "huddinge"})
    assert response.status_code == 302 and response["Location"] == f"{kommuner_path}huddinge/"
    response = client.get(kommuner_path, {"kommun": "malmo"})
    assert response.status_code == 404
    assert "Det finns ingen sådan kommun här" in response.content.decode()


def test_norwegian_names_keep_their_letters_in_the_address(home, client):
    page = MunicipalityIndexPageFactory(
        parent=home, slug="ostfold", country="NO", counties=[county("Østfold")]
    )
    assert client.get(f"{page.url}romskog/").status_code == 200
    assert client.get(f"{page.url}lan/ostfold/").status_code == 200


def test_key_figures_are_an_svg_chart_with_a_text_alternative_and_the_table_beside(
    kommuner_path, client
):
    figure = FigureTypeFactory(name="Mottagna nyanlända")
    for period, value in (("2023", 380), ("2024", 310), ("2025", 240)):
        FigureValueFactory(figure_type=figure, period=period, value=value)
    html = client.get(f"{kommuner_path}botkyrka/").content.decode()
    image = re.search(
        r'<img class="chart" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', html
    )
    assert image is not None
    assert image.group(2) == "Mottagna nyanlända. Alla: 2023 380, 2024 310, 2025 240"
    svg = base64.b64decode(image.group(1)).decode()
    assert svg.count("<svg") == 1 and "<script" not in svg
    assert "Mottagna nyanlända" in svg
    table = cells(client.get(f"{kommuner_path}botkyrka/"))
    table = table[table.index('<table class="stack figure-table">') :]
    assert '<th scope="row">2024</th><td>310</td>' in table


def test_the_county_page_asks_as_many_queries_for_one_kommun_as_for_ten(world, kommuner_path):
    client = world.client("member")
    url = f"{kommuner_path}lan/stockholms-lan/"
    kommuner = list(Organisation.objects.filter(county__name="Stockholms län").order_by("name"))

    def queries():
        client.get(url)  # warm: the site, the session, the access rule's memo
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    QuotaFactory(organisation=kommuner[0])
    ContactPersonFactory(organisation=kommuner[0])
    at_one = queries()
    for kommun in kommuner[1:10]:
        QuotaFactory(organisation=kommun)
        ContactPersonFactory(organisation=kommun)
    assert queries() == at_one


@pytest.fixture
def drawn(monkeypatch):
    """The figure types of the charts pygal draws (the real drawing, counted)."""
    names = []
    draw = charts._draw

    def counted(series):
        names.append(series.figure_type.name)
        return draw(series)

    monkeypatch.setattr(charts, "_draw", counted)
    return names


def test_a_chart_is_drawn_once_and_again_when_a_value_changes(kommuner_path, client, drawn):
    value = FigureValueFactory(figure_type=FigureTypeFactory(name="Mottagna"), value=240)
    url = f"{kommuner_path}botkyrka/"
    client.get(url)
    client.get(url)
    assert drawn == ["Mottagna"]

    value.value = 250
    value.save()
    html = client.get(url).content.decode()

    assert drawn == ["Mottagna", "Mottagna"]
    assert 'alt="Mottagna. Alla: 2025 250"' in html


def test_a_chart_kept_for_members_never_reaches_anyone_else(world, kommuner_path, drawn):
    members_only = FigureTypeFactory(name=f"Internt {world.secret}", visibility=Visibility.MEMBERS)
    FigureValueFactory(figure_type=members_only)
    url = f"{kommuner_path}botkyrka/"
    assert world.secret in world.client("member").get(url).content.decode()
    assert_shown_only(world.client, url, SITE_MEMBERS, world.secret)
    series = selectors.figure_series(municipality("Botkyrka kommun"), [members_only])
    with pytest.raises(PermissionDenied):
        charts.figure_charts(series, members=False)
