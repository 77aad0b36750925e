"""Foundation: how fast the home page and the news index answer, against a trivial Django view
that goes through the same middleware (the ratio is what to watch; absolute times vary by
machine)."""

import statistics
import time

from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from portal.models import NewsIndexPage, NewsPage
from tests.factories import make_home_page

REQUESTS = 200
WARM_UP = 20
NEWS_POSTS = 40


def baseline(request):
    return HttpResponse("ok")


# The portal's own URLs with one trivial view in front of them.
urlpatterns = [path("bench-baseline/", baseline), path("", include("portal.urls"))]


def latencies(client, url):
    for _ in range(WARM_UP):
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(REQUESTS):
        began = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, url
    return timings


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def build_site():
    home = make_home_page()
    index = NewsIndexPage(title="Aktuellt", slug="aktuellt")
    home.add_child(instance=index)
    for number in range(NEWS_POSTS):
        index.add_child(
            instance=NewsPage(
                title=f"Nyhet {number}",
                slug=f"nyhet-{number}",
                date=f"2017-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
                intro="Dokumentation från nätverksmötet finns på portalen.",
            )
        )


def run(report):
    build_site()
    client = Client()
    with override_settings(ROOT_URLCONF=__name__):
        timings = {
            "baseline view": latencies(client, "/bench-baseline/"),
            "home page": latencies(client, "/"),
            f"news index ({NEWS_POSTS} posts)": latencies(client, "/aktuellt/"),
        }
    base = statistics.median(timings["baseline view"])
    for label, values in timings.items():
        median = statistics.median(values)
        report(f"{label}: median", median, "ms", f"{REQUESTS} requests")
        report(f"{label}: p95", p95(values), "ms")
        if label != "baseline view":
            report(f"{label}: median / baseline", median / base, "x")
