"""Rate limits hold across processes: four real gunicorn workers share one set of counters."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.factories import PASSWORD, UserFactory
from tests.helpers import ROOT
from tests.newsletters.worker import SharedDatabase

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 4
REFUSED = "För många misslyckade inloggningsförsök"
LOGIN = "/accounts/login/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn portal.wsgi --workers 4`, as the README runs it, logging which worker answered."""

    def __init__(self, shared: SharedDatabase, log):
        self.port = free_port()
        self.log = log
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.portal.web_settings",
            "DATABASE_URL": shared.url(),
        }
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "portal.wsgi"),
                *("--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}"),
                *("--access-logfile", str(log), "--access-logformat", "%(p)s %(r)s %(s)s"),
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        shared.processes.append(self.process)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, timeout=180.0):
        # A readiness wait, not a measurement: four workers importing Django on a busy machine
        # (both passes of `make test` side by side) take a while.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.process.stderr.read().decode()[-3000:])
            try:
                with urllib.request.urlopen(self.url + LOGIN, timeout=15) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError("gunicorn did not answer")

    def worker_of(self, attempt: int) -> str:
        """The process id of the worker that answered attempt N (from the access log)."""
        pattern = re.compile(rf"^<(\d+)> POST {LOGIN}\?attempt={attempt} ")
        for _ in range(50):
            for line in self.log.read_text().splitlines():
                if match := pattern.match(line):
                    return match.group(1)
            time.sleep(0.1)
        raise AssertionError(f"attempt {attempt} is not in the access log")


class Browser:
    """One visitor: a cookie jar and the login form's CSRF token."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with self.opener.open(base_url + LOGIN, timeout=10) as response:
            page = response.read().decode()
        self.csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self, email, password, attempt) -> str:
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.csrf, "login": email, "password": password}
        ).encode()
        request = urllib.request.Request(
            f"{self.base_url}{LOGIN}?attempt={attempt}",
            data=data,
            headers={"Referer": self.base_url + LOGIN},
        )
        with self.opener.open(request, timeout=30) as response:
            return response.read().decode()


def test_sixth_wrong_password_is_refused_whichever_of_four_workers_answers(tmp_path):
    user = UserFactory(email="karin@huddinge.example")
    with SharedDatabase(tmp_path) as shared:
        server = Gunicorn(shared, tmp_path / "access.log")
        server.wait_ready()
        visitor = Browser(server.url)
        for attempt in range(1, 6):
            page = visitor.log_in(user.email, "fel-lösenord", attempt)
            assert REFUSED not in page, f"attempt {attempt} was refused too early"

        # From the sixth on, every attempt is refused, whichever worker takes it: four at a time,
        # so that busy workers leave the next connection to the others.
        refused_by = set()
        attempt = 6
        with ThreadPoolExecutor(WORKERS) as pool:
            while len(refused_by) < WORKERS and attempt < 6 + 10 * WORKERS:
                batch = range(attempt, attempt + WORKERS)
                pages = pool.map(lambda n: visitor.log_in(user.email, "fel-lösenord", n), batch)
                for number, page in zip(batch, pages, strict=True):
                    assert REFUSED in page, f"attempt {number} was checked"
                    refused_by.add(server.worker_of(number))
                attempt += WORKERS
        assert len(refused_by) == WORKERS, f"only workers {refused_by} answered"

        # Refused means not checked at all: even the right password does not get in now.
        assert REFUSED in visitor.log_in(user.email, PASSWORD, attempt)
        shared.processes.remove(server.process)
        server.process.terminate()
        try:
            server.process.wait(120)  # a loaded CI machine can take a while to stop four workers
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
