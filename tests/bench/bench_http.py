"""Throughput as production serves it: gunicorn with the production settings and the config in
portal/gunicorn.conf.py, PostgreSQL, the large data of the bulk builders, load from Debian's
`wrk` on loopback.

Every page type is measured against its own static ceiling: the same HTML, saved as a file and
served by the same gunicorn through whitenoise, interleaved page/static/page/static in the same
run, so that the ratio does not depend on what else the machine does. Then a mixed load of 50
clients over every page type, and the same over the static copies. Reports requests per second,
the ratio, p50/p95/p99, the SQL queries of an uncached render (in this process) and the RSS of
each worker after the mixed load.

BENCH_SIZE=small (the default outside `make bench`) builds less data and measures shorter, for
iterating; BENCH_SIZE=full is the national scale of issue 20: 50,000 practices, 10,000 events,
a 1,000-member network and 300 minutes.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

COMMITS = True
ROOT = Path(__file__).resolve().parent.parent.parent
SIZES = {
    "tiny": {"practices": 200, "events": 100, "members": 50, "minutes": 3, "leg": 2},
    "small": {"practices": 2_000, "events": 1_000, "members": 1_000, "minutes": 20, "leg": 3},
    "full": {"practices": 50_000, "events": 10_000, "members": 1_000, "minutes": 300, "leg": 8},
}
MIXED_SECONDS = {"tiny": 5, "small": 20, "full": 60}
WORKERS = 2
LOG = ROOT / "var" / "bench" / "gunicorn.log"

LUA_SUMMARY = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("BENCH requests=%d errors=%d status=%d p50=%d p95=%d p99=%d us=%d\\n",
    summary.requests, errors, summary.errors.status, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), summary.duration))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """The web process as production runs it, on a free loopback port."""

    def __init__(self, env):
        self.env = env
        self.port = free_port()
        self.process = None

    def __enter__(self):
        env = {**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        LOG.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "portal/gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(LOG, "a"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {LOG}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    if len(self.workers()) == WORKERS:
                        return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def workers(self) -> list[int]:
        pid = self.process.pid
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []

    def rss_mb(self) -> list[float]:
        sizes = []
        for pid in self.workers():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes


def fetch(url: str, cookie: str = "") -> tuple[int, bytes, float]:
    status, body, ms, _headers = fetch_with_headers(url, cookie)
    return status, body, ms


def fetch_with_headers(url: str, cookie: str = ""):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (loopback)
        body = response.read()
        return response.status, body, (time.perf_counter() - began) * 1000, response.headers


def wrk(url: str, *, seconds: int, connections: int, script: Path, cookie: str = "") -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    found = re.search(r"BENCH (.*)", output)
    figures = {k: int(v) for k, v in (pair.split("=") for pair in found.group(1).split())}
    figures["rps"] = figures["requests"] / (figures["us"] / 1e6)
    return figures


def build(size: dict):
    """The national-scale portal, built by the project's bulk builders; returns the pages."""
    from events.services import feed_token_rotate
    from goodpractice.models import PracticePage
    from portal.models import NewsPage
    from tests.events.bulk import bulk_events
    from tests.events.factories import EventIndexPageFactory
    from tests.factories import NewsIndexPageFactory, make_home_page, news_posts
    from tests.goodpractice.bulk import bulk_publish
    from tests.goodpractice.factories import PracticeIndexPageFactory
    from tests.minutes.bulk import bulk_minutes
    from tests.networks.builders import network_with_members

    home = make_home_page()
    news = NewsIndexPageFactory(parent=home, show_in_menus=True)
    news_posts(
        news,
        40,
        title="Nyhet {n}: nyanländas bosättning",
        intro="Dokumentation från nätverksmötet finns på portalen.",
    )
    catalogue = PracticeIndexPageFactory(parent=home)
    bulk_publish(catalogue, size["practices"], seed=3)
    calendar = EventIndexPageFactory(parent=home, show_in_menus=True)
    bulk_events(calendar, size["events"], first_start=timezone.now() - timedelta(days=30))
    network, member = network_with_members(size["members"], "nationellt")
    minutes = bulk_minutes(network, size["minutes"], author=member, action_items=20, owner=member)
    token = feed_token_rotate(user=member).token
    client = Client()
    client.force_login(member)
    practice = PracticePage.objects.live().order_by("pk")[size["practices"] // 2]
    news_post = NewsPage.objects.live().order_by("pk").first()
    space = network.member_space.url
    anonymous = [
        ("home", "/"),
        ("news index", news.url),
        ("news post", news_post.url),
        ("calendar", calendar.url),
        ("catalogue", catalogue.url),
        ("catalogue with words", catalogue.url + "?q=bostad"),
        ("practice page", practice.url),
        ("site search", "/sok/?q=bostad"),
        ("public feed", "/tjanster/kalender/kalender.ics"),
    ]
    members = [
        ("member space", space),
        ("directory", space + "kontaktlista/"),
        ("minutes page", minutes[0].url),
        ("Mina sidor", "/mina-sidor/"),
        ("personal feed", f"/tjanster/kalender/min/{token}/kalender.ics"),
    ]
    # The cookies a browser holds after its first member page: the session and the CSRF cookie
    # that page set (every later page renews it, and keeps its token).
    client.get("/mina-sidor/")
    cookie = "; ".join(
        f"{name}={client.cookies[name].value}"
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    )
    return anonymous, members, cookie, client


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def query_count(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def production_env(var_dir: Path, static_root: Path) -> dict:
    database = connection.settings_dict
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            # The sessions made in this process must hold there: the same key signs them.
            "SECRET_KEY": settings.SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": url,
            "SECURE_SSL_REDIRECT": "false",
            "PORTAL_VAR_DIR": str(var_dir),
            "STATIC_ROOT": str(static_root),
            "MEDIA_ROOT": str(var_dir / "media"),
            "WEB_CONCURRENCY": str(WORKERS),
            "LOG_LEVEL": "ERROR",
            "GUNICORN_MAX_REQUESTS": "0",
        }
    )
    return env


def mixed_script(directory: Path, name: str, paths: list[tuple[str, str]]) -> Path:
    entries = ",\n".join(f"{{{lua_string(path)}, {lua_string(cookie)}}}" for path, cookie in paths)
    script = directory / f"{name}.lua"
    script.write_text(
        "local paths = {\n" + entries + "\n}\nlocal n = 0\n"
        "request = function()\n  n = n + 1\n  local entry = paths[(n % #paths) + 1]\n"
        "  local headers = {}\n  if entry[2] ~= '' then headers['Cookie'] = entry[2] end\n"
        "  return wrk.format('GET', entry[1], headers)\nend\n" + LUA_SUMMARY
    )
    return script


def lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(report):
    if connection.vendor != "postgresql":
        print("  (the throughput bench runs on PostgreSQL only)")
        return
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: `make bench` installs it (apt-get install -y wrk)")
    size_name = os.environ.get("BENCH_SIZE", "small")
    size = SIZES[size_name]
    began = time.perf_counter()
    anonymous, members, cookie, client = build(size)
    analyze()
    report(
        f"build ({size_name})",
        time.perf_counter() - began,
        "s",
        f"{size['practices']:,} practices, {size['events']:,} events, "
        f"{size['members']:,} members, {size['minutes']} minutes",
    )
    queries = {}
    anonymous_client = Client()
    for name, path in anonymous:
        queries[name] = query_count(anonymous_client, path)
    for name, path in members:
        queries[name] = query_count(client, path)

    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        var_dir = Path(tmp)
        static_root = var_dir / "static"
        env = production_env(var_dir, static_root)
        subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        pages = [(name, path, "") for name, path in anonymous]
        pages += [(name, path, cookie) for name, path in members]
        ceiling = static_root / "ceiling"
        ceiling.mkdir()
        cached = {}
        with Gunicorn(env) as server:
            for _warm in range(4):
                fetch(server.url("/"))
            status, _body, first = fetch(server.url("/goda-exempel/?q=bostadsbolag"))
            report("first search after start", first, "ms", "the word data was loaded before fork")
            later = [fetch(server.url(f"/goda-exempel/?q=kommun{n}"))[2] for n in range(5)]
            report("next searches after start (median)", sorted(later)[2], "ms")
            for number, (name, path, page_cookie) in enumerate(pages):
                try:
                    status, body, _ms = fetch(server.url(path), page_cookie)
                except urllib.error.HTTPError as error:
                    raise RuntimeError(f"{name} ({path}): HTTP {error.code}; see {LOG}") from error
                if page_cookie and path.endswith("/"):
                    assert b"/mina-sidor/" in body, f"{name}: not seen as the member"
                suffix = ".ics" if path.endswith(".ics") else ".html"
                (ceiling / f"{number}{suffix}").write_bytes(body)
                cached[name] = fetch_with_headers(server.url(path), page_cookie)[3].get(
                    "X-Portal-Cache", "not cached"
                )
        # Whitenoise reads the static files when the workers start.
        script = var_dir / "summary.lua"
        script.write_text(LUA_SUMMARY)
        with Gunicorn(env) as server:
            report("worker RSS at start (max)", max(server.rss_mb()), "MB", f"{WORKERS} workers")
            for number, (name, path, page_cookie) in enumerate(pages):
                suffix = ".ics" if path.endswith(".ics") else ".html"
                static_url = server.url(f"/static/ceiling/{number}{suffix}")
                legs = {"page": [], "static": []}
                for _round in range(2):
                    legs["page"].append(
                        wrk(
                            server.url(path),
                            seconds=size["leg"],
                            connections=4,
                            script=script,
                            cookie=page_cookie,
                        )
                    )
                    legs["static"].append(
                        wrk(static_url, seconds=size["leg"], connections=4, script=script)
                    )
                page_rps = sum(leg["rps"] for leg in legs["page"]) / 2
                static_rps = max(sum(leg["rps"] for leg in legs["static"]) / 2, 0.001)
                last = legs["page"][-1]
                errors = sum(leg["errors"] + leg["status"] for leg in legs["page"])
                who = "member" if page_cookie else "anonymous"
                report(
                    f"{name}: req/s",
                    page_rps,
                    "req/s",
                    f"{who}; static copy {static_rps:.0f} req/s; {errors} errors; "
                    f"page cache: {cached[name]}",
                )
                report(f"{name}: share of static ceiling", page_rps / static_rps * 100, "%")
                report(
                    f"{name}: p50 / p95 / p99",
                    last["p95"] / 1000,
                    "ms p95",
                    f"p50 {last['p50'] / 1000:.1f} ms, p99 {last['p99'] / 1000:.1f} ms",
                )
                report(f"{name}: SQL queries (uncached render)", queries[name], "queries")

            seconds = MIXED_SECONDS[size_name]
            mixed = mixed_script(var_dir, "mixed", [(path, c) for _n, path, c in pages])
            statics = [
                (f"/static/ceiling/{n}{'.ics' if p.endswith('.ics') else '.html'}", "")
                for n, (_name, p, _c) in enumerate(pages)
            ]
            mixed_static = mixed_script(var_dir, "mixed-static", statics)
            load = wrk(server.url("/"), seconds=seconds, connections=50, script=mixed)
            ceiling_load = wrk(
                server.url("/"), seconds=seconds, connections=50, script=mixed_static
            )
            report(
                f"mixed, 50 clients, {seconds} s: req/s",
                load["rps"],
                "req/s",
                f"{load['requests']:,} requests, {load['errors']} socket errors, "
                f"{load['status']} non-2xx",
            )
            report(
                "mixed, 50 clients: p50 / p95 / p99",
                load["p95"] / 1000,
                "ms p95",
                f"p50 {load['p50'] / 1000:.1f} ms, p99 {load['p99'] / 1000:.1f} ms",
            )
            report(
                "mixed static copies, 50 clients: p95",
                ceiling_load["p95"] / 1000,
                "ms p95",
                f"{ceiling_load['rps']:.0f} req/s",
            )
            report("mixed: p95 / static p95", load["p95"] / max(ceiling_load["p95"], 1), "x")
            # At least 1,000 page requests (not counting the static copies) before the RSS.
            served, deadline = load["requests"], time.monotonic() + 300
            while served < 1000 and time.monotonic() < deadline:
                _name, path, page_cookie = pages[served % len(pages)]
                fetch(server.url(path), page_cookie)
                served += 1
            rss = server.rss_mb()
            report(
                "worker RSS after the mixed load (max)",
                max(rss),
                "MB",
                ", ".join(f"{value:.0f}" for value in rss)
                + f" MB per worker, after {served:,} page requests",
            )
