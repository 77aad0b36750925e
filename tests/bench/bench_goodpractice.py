"""Good-practice catalogue: search with facets over 50,000 practices (goal on PostgreSQL: p95
under 100 ms), and the catalogue page's SQL query count at 100 and at 50,000 practices.

The baseline, measured in the same run, is Wagtail's search alone for the same words (first
page of 20 and the count, no facets): the ratio shows what the facets and filters add.
The practices are committed and the tables vacuumed and analysed before measuring, as
autovacuum leaves them in production; inside one open transaction, PostgreSQL can neither
use the visibility map nor flush the search index's pending GIN entries, which is not a
state a production catalogue is in.
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from goodpractice import selectors
from goodpractice.models import PracticePage, Theme
from portal import text
from tests.bench.timing import p95
from tests.factories import make_home_page
from tests.goodpractice.bulk import bulk_publish
from tests.goodpractice.factories import PracticeIndexPageFactory

PRACTICES = 50_000
# SQLite is the development database: a smaller catalogue keeps `make bench` short there.
SQLITE_PRACTICES = 5_000
SMALL = 100
RUNS = 60
WARM_UP = 5
COMMITS = True


class Params(dict):
    def get(self, key, default=None):
        values = super().get(key)
        return values[0] if values else default

    def getlist(self, key):
        return super().get(key, [])


def timed(fn, runs=RUNS):
    for _ in range(WARM_UP):
        fn()
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def search_with_facets(params):
    """What the catalogue asks the database: facets, total and the first page of results."""

    def run():
        catalogue = selectors.catalogue_search(selectors.CatalogueQuery.from_params(params))
        return catalogue.total, list(catalogue.page(1, 20)), catalogue.facets

    return run


def wagtail_search(words):
    """The baseline: Wagtail's search of the same words, first page and count, no facets."""
    search_query = text.search_query(words)

    def run():
        results = PracticePage.objects.live().search(search_query)
        return list(results[:20]), results.count()

    return run


def query_count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def run(report):
    size = PRACTICES if connection.vendor == "postgresql" else SQLITE_PRACTICES
    runs = RUNS if connection.vendor == "postgresql" else 15
    home = make_home_page()
    index = PracticeIndexPageFactory(parent=home, show_in_menus=False)
    housing = str(Theme.objects.get(name="Bostadsförsörjning").pk)
    work = str(Theme.objects.get(name="Arbete och sysselsättning").pk)
    client = Client()
    urls = {
        "all": "/goda-exempel/",
        "words+theme": f"/goda-exempel/?q=bostäder&tema={housing}",
        "filters+page 3": f"/goda-exempel/?tema={work}&ar=2015&ar=2016&pagaende=1&sida=3",
    }

    bulk_publish(index, SMALL, seed=1)
    analyze()
    small = {name: query_count(client, url) for name, url in urls.items()}

    began = time.perf_counter()
    bulk_publish(index, size - SMALL, seed=2)
    analyze()
    report(f"build {size:,} practices (bulk)", time.perf_counter() - began, "s", "rows+index")
    for name, url in urls.items():
        large = query_count(client, url)
        report(
            f"page queries at 100 / {size:,}: {name}",
            large,
            "queries",
            f"at 100: {small[name]}" + ("" if large == small[name] else "  (NOT CONSTANT)"),
        )

    scenarios = {
        "facets, no filter": Params(),
        "words 'bostäder'": Params(q=["bostäder"]),
        "words + theme": Params(q=["bostäder"], tema=[housing]),
        "compound 'bostadsbolag'": Params(q=["bostadsbolag"]),
        "theme + 2 years + running": Params(tema=[work], ar=["2015", "2016"], pagaende=["1"]),
        "words, relevance sort": Params(q=["introduktionsstödjare"], sortera=["relevans"]),
        "words, municipality sort": Params(q=["nyanlända"], sortera=["kommun"]),
    }
    worst = 0.0
    for name, params in scenarios.items():
        timings = timed(search_with_facets(params), runs=runs)
        worst = max(worst, p95(timings))
        report(
            f"search+facets p95 ({size:,}): {name}",
            p95(timings),
            "ms",
            f"median {statistics.median(timings):.1f} ms",
        )
    report(f"search+facets p95 ({size:,}): worst", worst, "ms", "goal < 100 ms on PostgreSQL")

    baseline = p95(timed(wagtail_search("bostäder"), runs=runs))
    report(f"baseline p95 ({size:,}): Wagtail search 'bostäder'", baseline, "ms", "20 + count")
    report(
        "ratio: catalogue worst / Wagtail search",
        worst / baseline,
        "x",
        "facets, filters and sorting on top of the plain search",
    )

    for name, url in urls.items():
        timings = timed(lambda url=url: client.get(url), runs=runs // 2)
        report(f"whole catalogue page p95: {name}", p95(timings), "ms", "rendered HTML")
