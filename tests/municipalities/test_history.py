"""Kommuner that a reform merged away: their pages keep their figures and say what became of
them; today's chooser offers only today's kommuner (Østfold: 18 in 2015, 12 since 2020)."""

import re

import pytest

from municipalities.models import QuotaKind
from tests.helpers import path_of
from tests.municipalities.factories import (
    MunicipalityIndexPageFactory,
    QuotaFactory,
    county,
    municipality,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ostfold(home):
    """Østfold's municipality pages, with two of seed 002's quotas of 2015: Halden's (a kommune
    today) and Hobøl's (part of Indre Østfold since 2020)."""
    page = MunicipalityIndexPageFactory(
        parent=home, slug="kommuner-ostfold", country="NO", counties=[county("Østfold")]
    )
    for name, requested in (("Halden kommune", 48), ("Hobøl kommune", 8)):
        QuotaFactory(
            organisation=municipality(name, "NO"), year=2015, kind=QuotaKind.ANMODNING,
            requested=requested, source="IMDi",
        )  # fmt: skip
    return path_of(page.url)


def test_the_chooser_offers_todays_kommuner_only(ostfold, client):
    html = client.get(ostfold).content.decode()
    chooser = html.split('id="id_kommun"')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]+)"', chooser)
    assert len(options) == 12
    assert "indre-ostfold" in options
    assert "valer-ostfold" in options
    assert "hobol" not in options


def test_a_retired_kommune_keeps_its_page_its_name_and_its_figures(ostfold, client):
    html = client.get(f"{ostfold}hobol/").content.decode()
    assert "<h1>Hobøl kommune</h1>" in html
    assert (
        f'Sammanslagen med <a href="{ostfold}indre-ostfold/">Indre Østfold kommune</a> 2020.'
        in html
    )
    assert "Begärt: 8" in html


def test_a_successor_outside_the_sites_counties_is_named_without_a_link(ostfold, client):
    # Rømskog joined Aurskog-Høland, which lies in Akershus, not shown by Østfold's pages.
    html = client.get(f"{ostfold}romskog/").content.decode()
    assert "Sammanslagen med Aurskog-Høland kommune 2020." in html


def test_todays_kommune_names_the_retired_ones_it_includes(ostfold, client):
    html = client.get(f"{ostfold}indre-ostfold/").content.decode()
    assert f'Omfattar sedan 2020: <a href="{ostfold}askim/">Askim kommune</a>, ' in html
    assert f'<a href="{ostfold}hobol/">Hobøl kommune</a>' in html
    assert "Sammanslagen med" not in html
    halden = client.get(f"{ostfold}halden/").content.decode()
    assert "Omfattar sedan" not in halden  # renumbered twice, never merged


def test_the_county_page_sums_the_year_of_its_kommuner_then_and_lists_the_former(ostfold, client):
    html = client.get(f"{ostfold}lan/ostfold/").content.decode()
    assert "Kvoter 2015" in html
    assert re.search(r"<tfoot><tr><th[^>]*>Totalt</th><td[^>]*>56</td>", html)
    former = html.split('id="retired"')[1].split("</section>")[0]
    assert (
        f'<a href="{ostfold}hobol/">Hobøl kommune</a> (till 2019): Indre Østfold kommune' in former
    )
    assert "Halden" not in former
    assert former.count("<li>") == 7
