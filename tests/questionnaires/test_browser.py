"""Answering seed 002's questionnaire in a real browser: draft, an error, sending; axe at 1280/320."""

import pytest
from django.urls import reverse

from questionnaires.models import QuestionnaireField
from tests.factories import make_home_page
from tests.helpers import assert_accessible, follow

from .factories import make_questionnaire

pytestmark = pytest.mark.browser


def test_answering_with_a_draft_an_error_and_sending(page):
    fields = [
        QuestionnaireField(
            label="Hvordan er bosettingsarbeidet organisert?", field_type="multiline"
        ),
        QuestionnaireField(
            label="Hvor vanskelig er det å skaffe bolig?",
            field_type="matrix",
            choices="1 rom og kjøkken\n2–3 rom og kjøkken\n4 eller flere",
            scale="Vanskelig\nVerken eller\nLett",
        ),
    ]
    questionnaire = make_questionnaire(make_home_page(), fields=fields)
    aremark = questionnaire.recipients.get(organisation__name__startswith="Aremark")
    url = reverse("questionnaires:answer", args=[aremark.token])
    page.goto(url)
    page.get_by_label("Hvordan er bosettingsarbeidet organisert?").fill("Egen flyktningtjeneste.")
    page.get_by_label("Ditt namn").fill("Kari Nordmann")
    page.get_by_label("Din e-postadress").fill("kari@aremark.example")
    follow(page, page.get_by_role("button", name="Spara som utkast"))
    assert page.get_by_text("Ditt utkast är sparat").is_visible()
    assert page.get_by_label("Hvordan er bosettingsarbeidet organisert?").input_value() == (
        "Egen flyktningtjeneste."
    )
    aremark.refresh_from_db()
    assert aremark.response.submitted_at is None

    # Sending needs every row of the matrix: the error is announced, the text stays.
    page.get_by_role("group", name="1 rom og kjøkken").get_by_label("Vanskelig").check()
    follow(page, page.get_by_role("button", name="Skicka svaret"))
    assert page.locator("[role=alert]").is_visible()
    assert page.title().startswith("Fel:")
    assert page.get_by_role("group", name="1 rom og kjøkken").get_by_label("Vanskelig").is_checked()
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page)

    page.get_by_role("group", name="2–3 rom og kjøkken").get_by_label("Verken eller").check()
    page.get_by_role("group", name="4 eller flere").get_by_label("Lett").check()
    follow(page, page.get_by_role("button", name="Skicka svaret"))
    assert page.get_by_text("Tack. Ert svar är skickat.").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page)
    aremark.refresh_from_db()
    assert aremark.response.submitted_at is not None
    assert aremark.response.answered_by_name == "Kari Nordmann"
