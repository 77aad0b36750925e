"""Helpers for tests of every area: the repository root, a missing tool, a received e-mail, a
logged-in browser, the accessibility check and the Content-Security-Policy checks. Fixtures stay
in conftest.py; tests import these."""

import functools
import os
import re
import socket
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(what: str):
    """Outside CI a missing tool skips that part with a clear reason; in CI it fails the run."""
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run every part of the suite.")
    pytest.skip(f"{what} is missing: run `make test` to install it.")


class Mailbox:
    """Messages received by the SMTP server, parsed with the standard library."""

    def __init__(self):
        self.messages = []
        self.refuse = False
        self._lock = threading.Lock()

    def add(self, envelope):
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))

    def to(self, address):
        return [m for rcpts, m in self.messages if address in rcpts]

    def wait_for(self, count=1, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.messages)}")

    @staticmethod
    def body(message, subtype="plain"):
        part = message.get_body(preferencelist=(subtype,))
        return part.get_content() if part is not None else ""


def current_totp_code(secret):
    """The code an authenticator app shows now for this TOTP secret."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def follow(page, target):
    """Click a link or a submit button and wait until the page it loads has loaded.

    A bare `click()` returns once the navigation has started; an assertion right after it may read
    the old page or a half-parsed new one (a `count()` does not wait). `target` is a selector or a
    Playwright locator.
    """
    locator = page.locator(target) if isinstance(target, str) else target
    with page.expect_navigation(wait_until="load"):
        locator.click()


def browser_login(page, user, password=PASSWORD):
    """Log in through the real allauth form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    follow(page, "form[action$='/accounts/login/'] button[type=submit]")


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text()


def axe_violations(page):
    """Run axe-core with the WCAG 2.1 A and AA rules on the current page.

    axe is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
    not govern: a `<script>` tag (Playwright's add_script_tag) would be blocked as inline script,
    and turning the policy off (bypass_csp) would hide the violations the browser tests look for.
    """
    if not AXE_JS.exists():
        missing("axe-core (.ci/node/node_modules/axe-core)")
    page.evaluate(axe_source() + "\n;undefined")
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


def assert_accessible(page):
    violations = axe_violations(page)
    assert violations == [], f"axe-core violations on {page.url}:\n" + "\n".join(violations)


# The public and member site's policy (portal/settings/base.py), as every page must send it.
STRICT_CSP = {
    "default-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def csp_directives(header: str | None) -> dict[str, list[str]]:
    parts = (part.split() for part in (header or "").split(";"))
    return {words[0]: words[1:] for words in parts if words}


def csp_problems(header: str | None) -> list[str]:
    """What is wrong with a page's enforced Content-Security-Policy header (None: no header)."""
    if not header:
        return ["no Content-Security-Policy header"]
    directives = csp_directives(header)
    problems = [
        f"{name} is {directives.get(name)}, not {expected}"
        for name, expected in STRICT_CSP.items()
        if directives.get(name) != expected
    ]
    for name in ("script-src", "style-src"):
        sources = directives.get(name, directives.get("default-src", []))
        problems += [f"{name} allows {s}" for s in sources if s in ("'unsafe-inline'", "*")]
    return problems


# Runs in every frame before the page's own scripts (an init script, which the policy does not
# govern) and reports each violation to the console, where CSPWatch hears it.
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', (e) => console.error(
  'CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || '?') + ' in '
  + (e.sourceFile || e.documentURI) + ':' + e.lineNumber + (e.sample ? ' (' + e.sample + ')' : '')
), true);"""


class CSPWatch:
    """The session's Chromium, whose every context reports Content-Security-Policy violations.

    Tests use it like Playwright's Browser. conftest.py empties `violations` before each browser
    test and fails the test when any were reported during it.
    """

    def __init__(self, browser):
        self._browser = browser
        self.violations = []

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(script=CSP_LISTENER)
        context.on("console", self._heard)
        return context

    def _heard(self, message):
        if message.type == "error" and message.text.startswith("CSP violation: "):
            self.violations.append(message.text)

    def __getattr__(self, name):
        return getattr(self._browser, name)


def at_the_same_moment(*calls) -> list[Exception]:
    """Run each call in its own thread (so its own database connection), all starting together,
    as two workers would; returns the errors they raised."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # noqa: BLE001 (returned to the test)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def free_port() -> int:
    """A free TCP port on 127.0.0.1. aiosmtpd checks its own readiness by connecting to its
    port, so port 0 cannot be used."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def path_of(url: str) -> str:
    """A page's address without scheme and host: what its own site's pages link to. With more
    than one site (the access matrix has two) `page.url` is absolute."""
    return re.sub(r"^https?://[^/]+", "", url)


def commits_to_the_database(item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase (ends with a flush)."""
    if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)))
