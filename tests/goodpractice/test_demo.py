"""The demo catalogue: every seed case, with themes and municipalities, loaded idempotently."""

import pytest

from goodpractice import demo as goodpractice_demo
from goodpractice import selectors
from goodpractice.models import CatalogueEntry, PracticeIndexPage, PracticePage
from portal.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_loads_every_case_once(demo):
    """Loaded once by load_demo (the `demo` fixture), and once more."""
    goodpractice_demo.load(DemoContext())
    practices = PracticePage.objects.live()
    assert practices.count() == len(goodpractice_demo.PRACTICES) == 13
    assert all(index.show_in_menus for index in PracticeIndexPage.objects.all())
    assert CatalogueEntry.objects.count() == 13
    for practice in practices:
        assert practice.themes.exists(), practice.title
        assert practice.organisations.exists(), practice.title
        assert practice.county_id, practice.title


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("bostäder", "Trelleborgs kommun avtalar med det kommunala bostadsbolaget"),
        ("bostadsbolag", "Trelleborgs kommun avtalar med det kommunala bostadsbolaget"),
        ("bolig", "Kontaktpersoner og boligkontakter i Østfold"),
        ("kvotflyktingar", "Östersunds mottagande av kvotflyktingar"),
        ("introduktionsstödjare", "Introduktionsstödjare i Salem och Upplands Väsby"),
    ],
)
def test_demo_cases_are_found_by_their_words(demo, words, expected):
    params = {"q": words}
    query = selectors.CatalogueQuery.from_params(_Params(params))
    titles = [p.title for p in selectors.catalogue_search(query).iter_practices()]
    assert expected in titles


class _Params(dict):
    def getlist(self, key):
        return [self[key]] if key in self else []
