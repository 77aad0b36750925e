"""Chapter 8, drafted from the municipality register: per municipality of the site's region the
quotas of the report's year and its key figures for the year, member-only figures only for
those who may see them (reports/selectors.py `figures_for`)."""

import re

import pytest

from municipalities.models import QuotaKind, QuotaStatus, Visibility
from reports.blocks import Figures
from tests.municipalities.factories import (
    FigureTypeFactory,
    FigureValueFactory,
    MunicipalityIndexPageFactory,
    QuotaFactory,
    municipality,
)
from tests.reports.factories import YEAR
from tests.reports.helpers import docx_text, generate, page_text, pdf_text, published

MEMBER_ONLY = "Hälsoundersökningar hemlig"


@pytest.fixture
def region(year):
    """Stockholms län on the site's municipality pages, with quotas of the year and another,
    a public and a member-only key figure, and a municipality of another county."""
    MunicipalityIndexPageFactory(parent=year.site.root_page)
    botkyrka, huddinge = municipality("Botkyrka kommun"), municipality("Huddinge kommun")
    QuotaFactory(organisation=botkyrka, year=YEAR, requested=112, received=64)
    QuotaFactory(
        organisation=huddinge,
        year=YEAR,
        requested=80,
        decided=85,
        received=85,
        status=QuotaStatus.MET,
    )
    QuotaFactory(organisation=botkyrka, year=YEAR, kind=QuotaKind.UNACCOMPANIED, requested=9)
    QuotaFactory(organisation=botkyrka, year=YEAR + 1, requested=9999)
    QuotaFactory(organisation=municipality("Malmö stad"), year=YEAR, requested=7777)
    received = FigureTypeFactory(code="mottagna", name="Mottagna nyanlända", unit="personer")
    health = FigureTypeFactory(code="halsa", name=MEMBER_ONLY, visibility=Visibility.MEMBERS)
    FigureValueFactory(figure_type=received, organisation=botkyrka, period=str(YEAR), value=380)
    FigureValueFactory(figure_type=received, organisation=botkyrka, period=str(YEAR + 1))
    FigureValueFactory(figure_type=health, organisation=huddinge, period=str(YEAR), value=41)
    return year


def test_the_quotas_of_the_year_are_drafted_per_municipality_of_the_region(region):
    report = generate(region)
    drafted = {m["title"]: m for m in report.figures[Figures.KEY_FIGURES]}
    assert set(drafted) == {"Botkyrka kommun", "Huddinge kommun"}  # not Malmö, of Skåne
    assert drafted["Huddinge kommun"]["quotas"] == [
        {"kind": "kommuntal", "requested": 80, "decided": 85, "received": 85, "status": "met"}
    ]
    assert [q["requested"] for q in drafted["Botkyrka kommun"]["quotas"]] == [112, 9]
    chapter = next(b.value for b in report.chapters if b.value["number"] == "8")
    assert chapter["figures"] == Figures.KEY_FIGURES


def test_chapter_8_shows_the_quotas_with_their_status_and_the_county_total(region):
    text = page_text(published(region))
    chapter = text[text.index("8. Kommunernas nyckeltalsarbete") : text.index("9. Ekonomi")]
    assert f"Kommuntal {YEAR}" in chapter
    assert "Botkyrka kommun" in chapter and "Uppnått" in chapter
    assert "192" in chapter  # 112 + 80 requested, summed for the region
    assert not re.search(r"9\D?999", chapter)  # next year's
    assert "Mottagna nyanlända (personer)" in chapter and "380" in chapter


def test_a_member_only_key_figure_is_only_for_those_who_may_see_it(region):
    report = published(region)
    for text in (page_text(report), pdf_text(report), docx_text(report)):
        assert "Mottagna nyanlända" in text
        assert MEMBER_ONLY not in text
    assert MEMBER_ONLY in page_text(report, region.strategist)
    assert MEMBER_ONLY in page_text(report, region.members["atersok"])  # a member of the site


def test_without_municipality_data_chapter_8_says_so(year):
    text = page_text(published(year))
    assert f"Inga kvoter eller nyckeltal för kommunerna finns registrerade för {YEAR}." in text


def test_regenerating_names_a_municipality_whose_quota_came_since(region):
    from reports import services

    report = generate(region)
    QuotaFactory(organisation=municipality("Nacka kommun"), year=YEAR, requested=50)
    changes = services.report_regenerate(report=report, user=region.strategist)
    assert (Figures.KEY_FIGURES, "added", "Nacka kommun") in [
        (c.section, c.kind, c.label) for c in changes
    ]
