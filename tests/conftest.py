"""Fixtures for the whole suite: pages, users, a real SMTP server and a real browser."""

import os
import shutil
import threading
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import PASSWORD, OrganisationFactory, UserFactory, make_home_page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_JS = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(what: str):
    """Outside CI a missing tool skips that part with a clear reason; in CI it fails the run."""
    if IN_CI:
        pytest.fail(f"{what} is missing, and CI must run every part of the suite.")
    pytest.skip(f"{what} is missing: run `make test` to install it.")


# --- content and people ------------------------------------------------------------------------


@pytest.fixture
def home(db):
    return make_home_page()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def superuser(db):
    return UserFactory(email="super@example.org", is_staff=True, is_superuser=True)


# --- a real SMTP server on loopback --------------------------------------------------------------


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


@pytest.fixture
def smtp_server(settings):
    """aiosmtpd on 127.0.0.1; the portal's SMTP backend is pointed at it for the test."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            if mailbox.refuse:
                return "451 Try again later"
            mailbox.add(envelope)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=0)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


# --- a real browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        missing("Chromium (/usr/bin/chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh browser tab whose relative URLs go to the live test server."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def browser_login(page, user, password=PASSWORD):
    """Log in through the real allauth form, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("form[action$='/accounts/login/'] button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page):
    """Run axe-core with the WCAG 2.1 A and AA rules on the current page."""
    if not AXE_JS.exists():
        missing("axe-core (var/node/node_modules/axe-core)")
    page.add_script_tag(path=str(AXE_JS))
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


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _reset_language():
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
