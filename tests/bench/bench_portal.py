"""Foundation: how fast the home page and the news index answer, against a trivial Django view
that goes through the same middleware (the ratio is what to watch; absolute times vary by
machine)."""

import statistics

from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import include, path

from tests.bench.timing import latencies, p95
from tests.factories import NewsIndexPageFactory, make_home_page, news_posts

REQUESTS = 200
WARM_UP = 20
NEWS_POSTS = 40


def baseline(request):
    return HttpResponse("ok")


# The portal's own URLs with one trivial view in front of them.
urlpatterns = [path("bench-baseline/", baseline), path("", include("portal.urls"))]


def timed(client, url):
    return latencies(client, url, requests=REQUESTS, warm_up=WARM_UP)


def build_site():
    home = make_home_page()
    index = NewsIndexPageFactory(parent=home, revision=False)
    news_posts(index, NEWS_POSTS, intro="Dokumentation från nätverksmötet finns på portalen.")


def run(report):
    build_site()
    client = Client()
    with override_settings(ROOT_URLCONF=__name__):
        timings = {
            "baseline view": timed(client, "/bench-baseline/"),
            "home page": timed(client, "/"),
            f"news index ({NEWS_POSTS} posts)": timed(client, "/aktuellt/"),
        }
    base = statistics.median(timings["baseline view"])
    for label, values in timings.items():
        median = statistics.median(values)
        report(f"{label}: median", median, "ms", f"{REQUESTS} requests")
        report(f"{label}: p95", p95(values), "ms")
        if label != "baseline view":
            report(f"{label}: median / baseline", median / base, "x")
