"""Faults with real parts: PostgreSQL stopped under a running site and its task workers.

gunicorn serves the portal and two `manage.py db_worker` processes work the queue, all on the
test database; the SMTP server is aiosmtpd on loopback. Nobody restarts anything by hand.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from tests.events.factories import EventIndexPageFactory, EventPageFactory
from tests.newsletters.worker import ROOT, WORKER_SETTINGS, SharedDatabase
from tests.worker.postgres import PostgresServer

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

OUTAGE_SECONDS = 15


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer to look at, not a page to follow


class Site:
    """gunicorn on loopback, and a browser-like client with cookies and the CSRF token."""

    def __init__(self, shared: SharedDatabase):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": WORKER_SETTINGS,
            "DATABASE_URL": shared.url(),
            "EMAIL_PORT": str(settings.EMAIL_PORT),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "portal.wsgi", "-b", f"127.0.0.1:{self.port}"]
            + ["--workers", "2", "--timeout", "60"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shared.processes.append(self.process)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def status(self, path: str, data: dict | None = None) -> int:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=10) as response:
                self.html = response.read().decode()
                return response.status
        except urllib.error.HTTPError as error:
            self.html = error.read().decode(errors="replace")
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return 0

    def wait_for_200(self, path: str, timeout: float) -> float:
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.status(path) == 200:
                return time.monotonic() - started
            time.sleep(0.1)
        raise AssertionError(f"{path} did not answer 200 within {timeout} s")

    def register(self, event_path: str, email: str) -> int:
        """Open the event page, then send its registration form, as a visitor does."""
        assert self.status(event_path) == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.html).group(1)
        form = {"csrfmiddlewaretoken": token, "name": "Anna Andersson", "email": email}
        return self.status(event_path + "anmalan/", form | {"organisation": "Tyresö kommun"})


def test_postgres_away_15_s_while_a_registration_is_made(home, smtp_server, tmp_path):
    seminar = EventPageFactory(
        parent=EventIndexPageFactory(parent=home),
        title="Seminarium om bosättning",
        registration_enabled=True,
    )
    server = PostgresServer()
    with SharedDatabase(tmp_path) as shared:
        site = Site(shared)
        workers = [shared.start_worker("--interval", "1") for _ in range(2)]
        pids = [worker.pid for worker in workers]
        site.wait_for_200(seminar.url, timeout=60)
        shared.wait_until("SELECT COUNT(*) FROM worker_workerheartbeat", 2, timeout=30)

        # The visitor sends the form; the database goes down right after the answer, before
        # the workers (polling every second) had time to send the confirmation.
        assert site.register(seminar.url, "fore@kommun.example") == 302
        server.stop()
        stopped = time.monotonic()
        # Another visitor tries during the outage: an error page, no registration.
        assert site.status(seminar.url) >= 500
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))
        server.start()

        assert site.wait_for_200(seminar.url, timeout=5) < 5
        assert site.register(seminar.url, "efter@kommun.example") == 302
        smtp_server.wait_for(2, timeout=60)
        assert all(worker.poll() is None for worker in workers), "a worker died"
        assert [worker.pid for worker in workers] == pids
        shared.wait_until("SELECT COUNT(*) FROM worker_workerheartbeat", 2, timeout=30)
    received = sorted(address for rcpts, _message in smtp_server.messages for address in rcpts)
    assert received == ["efter@kommun.example", "fore@kommun.example"]
