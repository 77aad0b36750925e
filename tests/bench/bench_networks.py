"""Member spaces: how fast the overview, the member directory (a page of 100, and a search) and
its CSV export answer at 1,000 members, against the same pages at 10 members and a trivial view
through the same middleware."""

import statistics

from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from tests.bench.timing import latencies, p95
from tests.networks.builders import network_with_members

REQUESTS = {10: 50, 1000: 30}
WARM_UP = 5


def timed(client, url, requests):
    return latencies(client, url, requests=requests, warm_up=WARM_UP)


def PAGES(space):  # noqa: N802 (a table, read like a constant)
    return (
        ("member space overview", space),
        ("member directory", space + "kontaktlista/"),
        ("directory search 'kommun 3'", space + "kontaktlista/?q=kommun+3"),
        ("directory CSV export", space + "kontaktlista/csv/"),
    )


def run(report):
    client = Client()
    with override_settings(ROOT_URLCONF="tests.bench.bench_portal"):
        base = statistics.median(timed(client, "/bench-baseline/", 100))
        report("baseline view: median", base, "ms", "100 requests")
        medians = {}
        for size in (10, 1000):
            network, viewer = network_with_members(size, f"bench-{size}")
            client.force_login(viewer)
            space = network.member_space.url
            for label, url in PAGES(space):
                values = timed(client, url, REQUESTS[size])
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                median = statistics.median(values)
                medians[(label, size)] = median
                name = f"{label} ({size} members)"
                report(f"{name}: median", median, "ms", f"{REQUESTS[size]} requests")
                report(f"{name}: p95", p95(values), "ms")
                report(f"{name}: median / baseline", median / base, "x")
                report(f"{name}: SQL queries", len(queries), "queries")
            client.logout()
        for label, _url in PAGES(""):
            report(
                f"{label}: 1,000 / 10 members",
                medians[(label, 1000)] / medians[(label, 10)],
                "x",
            )
