"""The lists around a practice: related practices on its page, the newest on the home page."""

import pytest

from goodpractice import selectors
from goodpractice.models import PracticeRelation
from tests.goodpractice.factories import PracticePageFactory

pytestmark = pytest.mark.django_db


def test_related_practices_are_chosen_ones_then_the_newest_sharing_a_theme_or_municipality(
    catalogue,
):
    page = PracticePageFactory(
        parent=catalogue, title="Lokalgruppen", organisations=["Höörs kommun"], themes=["Boende"]
    )
    same_theme = PracticePageFactory(parent=catalogue, title="Bostadsbolaget", themes=["Boende"])
    same_municipality = PracticePageFactory(
        parent=catalogue,
        title="Introduktionsstöd",
        organisations=["Höörs kommun"],
        themes=["Hälsa"],
    )
    PracticePageFactory(parent=catalogue, title="Ingenting gemensamt", themes=["Hälsa"])
    chosen = PracticePageFactory(parent=catalogue, title="Vald av redaktören", themes=["Hälsa"])
    PracticeRelation.objects.create(page=page, other=chosen, sort_order=0)

    related = selectors.related_practices(page)

    assert [p.title for p in related] == [chosen.title, same_municipality.title, same_theme.title]


def test_related_practices_stop_at_the_limit(catalogue):
    page = PracticePageFactory(parent=catalogue, title="Lokalgruppen", themes=["Boende"])
    for number in range(6):
        PracticePageFactory(parent=catalogue, title=f"Boende {number}", themes=["Boende"])
    assert [p.title for p in selectors.related_practices(page, limit=4)] == [
        "Boende 5",
        "Boende 4",
        "Boende 3",
        "Boende 2",
    ]


def test_latest_practices_are_the_newest_published(catalogue):
    for number in range(6):
        PracticePageFactory(parent=catalogue, title=f"Exempel {number}")
    assert [p.title for p in selectors.latest_practices(limit=4)] == [
        "Exempel 5",
        "Exempel 4",
        "Exempel 3",
        "Exempel 2",
    ]


def test_a_practice_pages_kept_fragments_show_a_new_practice_and_a_renamed_municipality(
    catalogue, client
):
    from portal.models import Organisation

    page = PracticePageFactory(
        parent=catalogue, title="Lokalgruppen", organisations=["Höörs kommun"], themes=["Boende"]
    )
    first = client.get(page.url).content.decode()
    assert "Höörs kommun" in first and "Bostadsbolaget" not in first
    assert "Höörs kommun" in client.get(page.url).content.decode()  # from the kept fragments

    PracticePageFactory(parent=catalogue, title="Bostadsbolaget", themes=["Boende"])
    organisation = Organisation.objects.get(name="Höörs kommun")
    organisation.name = "Höör"
    organisation.save()
    again = client.get(page.url).content.decode()
    assert "Bostadsbolaget" in again
    assert "Höörs kommun" not in again and "Höör" in again
