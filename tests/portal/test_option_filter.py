"""The organisation picker: native checkboxes that a small script gives a filter box."""

import re

import pytest

from tests.goodpractice.factories import PracticeIndexPageFactory, municipality
from tests.helpers import assert_accessible, follow

SUBMIT_URL = "/tjanster/goda-exempel/skicka-in/"


@pytest.fixture
def submission_form(home):
    PracticeIndexPageFactory(parent=home)
    return SUBMIT_URL


def test_the_picker_is_a_checkbox_group_not_a_multiple_select(client, submission_form):
    html = client.get(submission_form).content.decode()
    assert "<select multiple" not in html and 'name="organisations" multiple' not in html
    assert re.search(r'<input type="checkbox" name="organisations" value="\d+"', html)
    assert "Håll ned Ctrl" not in html
    # The script comes from a file (the Content-Security-Policy allows no inline script).
    assert '<script src="/static/js/option-filter.js"' in html


@pytest.mark.browser
def test_choosing_an_organisation_with_the_keyboard_only(page, submission_form):
    hoor = municipality("Höörs kommun")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(submission_form)
    search = page.get_by_role("searchbox", name="Filtrera listan")
    search.focus()
    page.keyboard.type("hoor")  # without the ring: folded like the catalogue's search
    status = page.get_by_role("status").filter(has_text="visas")
    assert re.fullmatch(r"1 av \d+ visas", status.inner_text())
    page.keyboard.press("Enter")  # does not send the form
    assert page.url.endswith(SUBMIT_URL)
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.value")
    assert focused == str(hoor.pk)
    page.keyboard.press("Space")
    assert page.locator(f"input[name=organisations][value='{hoor.pk}']").is_checked()
    assert "Valda (1): Höörs kommun" in page.locator(".option-filter__chosen").inner_text()
    assert_accessible(page)

    page.keyboard.press("ArrowUp")  # back to the filter, which Escape empties
    page.keyboard.press("Escape")
    assert search.input_value() == ""
    assert page.locator(".option-filter__options input:visible").count() > 300
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


@pytest.mark.browser
def test_without_javascript_the_checkboxes_work_on_their_own(browser, live_server, submission_form):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", java_script_enabled=False
    )
    try:
        tab = context.new_page()
        tab.goto(submission_form)
        assert tab.get_by_role("searchbox", name="Filtrera listan").count() == 0
        tab.get_by_label("Höörs kommun").check()
        follow(tab, tab.get_by_role("button", name="Skicka för granskning"))
        # The form comes back with its errors and keeps the organisation chosen.
        assert tab.get_by_label("Höörs kommun").is_checked()
    finally:
        context.close()
