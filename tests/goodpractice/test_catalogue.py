"""The public catalogue: search that understands Swedish, facets that add up, every state a URL."""

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goodpractice import selectors
from goodpractice.models import CatalogueEntry, FacetKind, PracticePage
from tests.goodpractice.bulk import bulk_publish, entry_matches
from tests.goodpractice.factories import PracticePageFactory, municipality, theme

pytestmark = pytest.mark.django_db


def titles(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return [p.title for p in response.context["results"]]


def search(words, **filters):
    params = _Params({"q": [words], **{k: [str(v) for v in vs] for k, vs in filters.items()}})
    catalogue = selectors.catalogue_search(selectors.CatalogueQuery.from_params(params))
    return {p.title for p in catalogue.iter_practices()}, catalogue


class _Params(dict):
    def get(self, key, default=None):
        values = super().get(key)
        return values[0] if values else default

    def getlist(self, key):
        return super().get(key, [])


@pytest.fixture
def housing(catalogue):
    return {
        name: PracticePageFactory(parent=catalogue, title=name, summary=summary, revision=False)
        for name, summary in [
            ("A", "Kommunen har skaffat en bostad åt varje familj."),
            ("B", "Bostäderna fördelas av en grupp."),
            ("C", "Avtal med det kommunala bostadsbolaget."),
            ("D", "Kommunen anställer introduktionsstödjare."),
            ("E", "Kommunen skaffer boliger til flyktninger."),
        ]
    }


def test_plural_finds_singular_definite_and_compound(housing):
    found, _catalogue = search("bostäder")
    assert found == {"A", "B", "C"}


def test_compound_stem_finds_the_definite_compound(housing):
    found, _catalogue = search("bostadsbolag")
    assert found == {"C"}


def test_norwegian_singular_finds_plural(housing):
    found, _catalogue = search("bolig")
    assert found == {"E"}


def test_every_word_must_match(housing):
    found, _catalogue = search("bostad familjer")
    assert found == {"A"}


def test_nothing_searchable_finds_nothing(housing):
    found, catalogue = search("och")
    assert found == set()
    assert catalogue.total == 0


def test_drafts_are_not_found(catalogue):
    PracticePageFactory(
        parent=catalogue, title="Utkast om bostäder", summary="bostad", publish=False
    )
    found, _catalogue = search("bostad")
    assert found == set()


@pytest.fixture
def varied(catalogue):
    specs = [
        ("Höör 1", ["Höörs kommun"], ["Bostadsförsörjning"], date(2016, 1, 1), True),
        ("Höör 2", ["Höörs kommun"], ["Ensamkommande barn och unga"], date(2017, 1, 1), True),
        ("Trelleborg", ["Trelleborgs kommun"], ["Bostadsförsörjning", "Boende"],
         date(2016, 5, 1), True),
        ("Salem", ["Salems kommun", "Upplands Väsby kommun"], ["Arbete och sysselsättning"],
         date(2017, 2, 1), False),
        ("Botkyrka", ["Botkyrka kommun"], ["Bostadsförsörjning"], None, False),
    ]  # fmt: skip
    return {
        title: PracticePageFactory(
            parent=catalogue,
            title=title,
            summary=f"{title} arbetar med bostäder.",
            organisations=orgs,
            themes=themes,
            period_start=start,
            still_running=running,
            revision=False,
        )
        for title, orgs, themes, start, running in specs
    }


def facet_counts(catalogue, kind):
    for group in catalogue.facets:
        if group.kind == kind:
            return {option.label: option.count for option in group.options}
    return {}


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"tema": ["Bostadsförsörjning"]},
        {"lan": ["Skåne län"]},
        {"tema": ["Bostadsförsörjning"], "pagaende": ["1"]},
        {"kommun": ["Höörs kommun", "Salems kommun"]},
        {"ar": ["2016"], "q": ["bostad"]},
    ],
)
def test_facet_counts_match_the_filtered_results(varied, filters):
    from portal.models import County

    params = {"q": filters.pop("q", [""])}
    for name, values in filters.items():
        if name == "tema":
            values = [theme(v).pk for v in values]
        elif name == "kommun":
            values = [municipality(v).pk for v in values]
        elif name == "lan":
            values = [County.objects.get(name=v).pk for v in values]
        params[name] = [str(v) for v in values]
    catalogue = selectors.catalogue_search(selectors.CatalogueQuery.from_params(_Params(params)))
    results = list(catalogue.iter_practices())
    assert catalogue.total == len(results)
    for kind, expected_of in [
        (FacetKind.THEME, lambda p: [t.name for t in p.themes.all()]),
        (FacetKind.MUNICIPALITY, lambda p: [o.name for o in p.organisations.all()]),
        (FacetKind.COUNTY, lambda p: [p.county.name] if p.county else []),
        (FacetKind.YEAR, lambda p: [str(p.year)] if p.year else []),
    ]:
        expected = {}
        for practice in results:
            for label in expected_of(practice):
                expected[label] = expected.get(label, 0) + 1
        counts = {k: v for k, v in facet_counts(catalogue, kind).items() if v}
        assert counts == expected, kind
    running = facet_counts(catalogue, FacetKind.RUNNING)
    assert running.get("Ja", 0) == sum(p.still_running for p in results)


def test_filters_combine_with_or_within_a_facet_and_and_across(client, varied):
    hoor, salem = municipality("Höörs kommun").pk, municipality("Salems kommun").pk
    housing = theme("Bostadsförsörjning").pk
    url = f"/goda-exempel/?kommun={hoor}&kommun={salem}"
    assert set(titles(client, url)) == {"Höör 1", "Höör 2", "Salem"}
    assert set(titles(client, f"{url}&tema={housing}")) == {"Höör 1"}


def test_unpublishing_removes_a_practice_from_results_and_facets(varied):
    varied["Trelleborg"].unpublish()
    assert not CatalogueEntry.objects.filter(practice=varied["Trelleborg"]).exists()
    found, catalogue = search("")
    assert "Trelleborg" not in found and catalogue.total == 4


def test_sorting_by_municipality_and_newest(client, varied):
    assert titles(client, "/goda-exempel/?sortera=kommun") == [
        "Botkyrka", "Höör 1", "Höör 2", "Salem", "Trelleborg",
    ]  # fmt: skip
    assert titles(client, "/goda-exempel/?sortera=nyast")[0] == "Botkyrka"


def publish_all(catalogue, practices):
    """Practices given as (title, summary, municipality), without revisions."""
    for title, summary, organisation in practices:
        PracticePageFactory(
            parent=catalogue,
            title=title,
            summary=summary,
            organisations=[organisation],
            revision=False,
        )


def test_relevance_is_the_default_with_words_and_keeps_filters(client, catalogue):
    filler = " ".join(["Samverkan mellan förvaltningar, föreningar och myndigheter."] * 8)
    publish_all(
        catalogue,
        [
            ("Lång text", f"{filler} En bostad nämns en gång.", "Höörs kommun"),
            ("Bostad först", "Bostad, bostäder och bostaden: bostad.", "Höörs kommun"),
            ("Annan kommun", "Bostad, bostäder och bostaden: bostad.", "Eslövs kommun"),
        ],
    )
    hoor = municipality("Höörs kommun").pk
    response = client.get(f"/goda-exempel/?q=bostad&kommun={hoor}")
    assert response.context["catalogue"].query.sort == "relevans"
    assert [p.title for p in response.context["results"]] == ["Bostad först", "Lång text"]


def test_relevance_ranks_only_live_results_with_and_without_filters(client, catalogue):
    """Ranked at once when only words narrow the results, after the filters otherwise; a
    draft that matches best is in the search index but never among the results."""
    publish_all(
        catalogue,
        [
            ("Nämner bostad", "Samverkan om mycket, och en bostad.", "Höörs kommun"),
            ("Bara bostad", "Bostad, bostäder och bostaden: bostad.", "Eslövs kommun"),
        ],
    )
    assert titles(client, "/goda-exempel/?q=bostad") == ["Bara bostad", "Nämner bostad"]
    PracticePageFactory(
        parent=catalogue, title="Utkast", summary="Bostad bostad bostad bostad.", publish=False
    )
    assert titles(client, "/goda-exempel/?q=bostad") == ["Bara bostad", "Nämner bostad"]
    hoor = municipality("Höörs kommun").pk
    assert titles(client, f"/goda-exempel/?q=bostad&kommun={hoor}") == ["Nämner bostad"]
    assert titles(client, "/goda-exempel/?q=bostad&sortera=nyast") == [
        "Bara bostad", "Nämner bostad",
    ]  # fmt: skip


def test_pagination_links_keep_every_filter(client, catalogue):
    for n in range(23):
        PracticePageFactory(
            parent=catalogue, title=f"Exempel {n}", themes=["Boende"], revision=False
        )
    boende = theme("Boende").pk
    response = client.get(f"/goda-exempel/?tema={boende}&sortera=kommun")
    html = response.content.decode()
    assert f"?tema={boende}&amp;sortera=kommun&amp;sida=2" in html
    second = client.get(f"/goda-exempel/?tema={boende}&sortera=kommun&sida=2")
    assert len(second.context["results"]) == 3


def test_csv_export_lists_the_current_results_safely(client, varied, catalogue):
    PracticePageFactory(
        parent=catalogue, title='=HYPERLINK("http://evil")', summary="bostad", revision=False
    )
    housing = theme("Bostadsförsörjning").pk
    response = client.get(f"/goda-exempel/csv/?tema={housing}&sortera=kommun")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[0] for row in rows[1:]] == ["Botkyrka", "Höör 1", "Trelleborg"]
    everything = client.get("/goda-exempel/csv/?q=bostad")
    body = everything.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body


def test_empty_results_suggest_what_to_try(client, varied):
    housing = theme("Ensamkommande barn och unga").pk
    response = client.get(f"/goda-exempel/?q=kvotflyktingar&tema={housing}")
    html = response.content.decode()
    assert response.context["catalogue"].total == 0
    assert "Show all good practices" in html or "Visa alla" in html
    assert 'href="/goda-exempel/?q=kvotflyktingar"' in html


def _queries_for_catalogue(client, url):
    cache.clear()  # the unfiltered counts are cached: measure the work, not the cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_catalogue_queries_do_not_grow_with_the_number_of_practices(client, catalogue):
    urls = [
        "/goda-exempel/",
        f"/goda-exempel/?q=bostad&tema={theme('Boende').pk}",
        "/goda-exempel/?q=bostad&sortera=relevans&sida=2",
        "/goda-exempel/?sortera=kommun&ar=2015&ar=2016&pagaende=1",
    ]
    ids = bulk_publish(catalogue, 100, seed=1)
    assert entry_matches(PracticePage.objects.get(pk=ids[0]))
    for url in urls:  # the first request fills per-process caches (site, settings)
        client.get(url)
    small = [_queries_for_catalogue(client, url) for url in urls]
    bulk_publish(catalogue, 200, seed=2)
    large = [_queries_for_catalogue(client, url) for url in urls]
    assert small == large


def test_unfiltered_counts_are_cached_until_a_practice_is_published(client, varied, catalogue):
    cache.clear()
    first = client.get("/goda-exempel/").context["catalogue"].total
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/goda-exempel/").context["catalogue"].total == first
    PracticePageFactory(parent=catalogue, title="Ny praktik", organisations=["Höörs kommun"])
    assert client.get("/goda-exempel/").context["catalogue"].total == first + 1
    varied["Salem"].unpublish()
    assert client.get("/goda-exempel/").context["catalogue"].total == first
    assert "GROUP BY" not in " ".join(q["sql"] for q in cached.captured_queries)
