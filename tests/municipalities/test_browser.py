"""A strategist reads Botkyrka's page and its county in a real browser: axe at 1280 and 320 px,
no sideways scroll, the chart's image shown."""

from datetime import date

import pytest

from networks.access import strategists_group
from tests.factories import UserFactory, make_home_page
from tests.helpers import assert_accessible, browser_login
from tests.municipalities.factories import (
    ContactPersonFactory,
    FigureTypeFactory,
    FigureValueFactory,
    MunicipalityIndexPageFactory,
    QuotaFactory,
    municipality,
)

pytestmark = pytest.mark.browser


def test_the_botkyrka_page_and_its_county_pass_axe_at_both_widths(page):
    MunicipalityIndexPageFactory(parent=make_home_page())
    QuotaFactory(requested=112, received=56, retrieved_on=date(2026, 1, 15))
    QuotaFactory(organisation=municipality("Huddinge kommun"), requested=121, received=58)
    ContactPersonFactory(name="Karin Boström", address="Munkhättevägen 45\n147 85 Tumba")
    figure = FigureTypeFactory(name="Hälsoundersökningar")
    for period, women, men in (("2024", 72, 80), ("2025", 61, 66)):
        FigureValueFactory(figure_type=figure, period=period, value=women, gender="K")
        FigureValueFactory(figure_type=figure, period=period, value=men, gender="M")
    strategist = UserFactory()
    strategist.groups.add(strategists_group())
    browser_login(page, strategist)
    for path in ("/kommuner/botkyrka/", "/kommuner/lan/stockholms-lan/", "/kommuner/"):
        page.goto(path)
        page.set_viewport_size({"width": 1280, "height": 900})
        assert_accessible(page)
        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert_accessible(page)
    page.goto("/kommuner/botkyrka/")
    assert page.get_by_text("Karin Boström").is_visible()
    assert page.evaluate("document.querySelector('img.chart').naturalWidth") == 640
