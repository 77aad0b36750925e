"""Content-Security-Policy: enforced on every page, strict outside the Wagtail admin, and the
violation reports logged without ever failing (portal/csp.py). Every page the crawl reaches is
checked the same way (tests/crawl.py), and every browser test fails on a violation
(tests/conftest.py)."""

import json
import logging
import re

import pytest
from django.test import Client

from tests.helpers import ROOT, csp_directives, csp_problems

REPORT = {
    "csp-report": {
        "document-uri": "https://portal.example.se/natverk/",
        "violated-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "https://portal.example.se/natverk/",
        "line-number": 12,
    }
}
# What CSP governs in a template: an inline <script> (one without src=, unless it only holds
# data), a <style> element, a style="" attribute, an on...="" handler, a javascript: link.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>|<style[\s>]"
    r"|\sstyle=|\son[a-z]+=|javascript:",
    re.IGNORECASE,
)


def post_report(client, body, content_type="application/csp-report"):
    return client.post("/csp-rapport/", body, content_type=content_type)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/", 200),
        ("/sok/?q=samverkan", 200),
        ("/accounts/login/", 200),
        ("/finns-inte/", 404),
        ("/sok/?q=%00", 400),
    ],
)
def test_pages_and_error_pages_enforce_the_strict_policy(client, home, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "Content-Security-Policy-Report-Only" not in response
    assert csp_problems(response.get("Content-Security-Policy")) == []


def test_the_member_space_enforces_the_strict_policy(world):
    response = world.client("member").get(world.space.url)
    assert response.status_code == 200
    assert csp_problems(response.get("Content-Security-Policy")) == []


@pytest.mark.django_db
def test_the_wagtail_admin_gets_its_own_policy_with_inline_scripts_and_styles(client, superuser):
    client.force_login(superuser)
    directives = csp_directives(client.get("/admin/").get("Content-Security-Policy"))
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_an_address_that_only_starts_like_the_admin_gets_the_strict_policy(client, home):
    response = client.get("/administrera/")
    assert csp_problems(response.get("Content-Security-Policy")) == []


def test_no_template_of_the_site_has_inline_script_or_style():
    """The browser tests catch what they open; this catches a template none of them opens.
    E-mail templates are not served by the site: mail clients need inline styles."""
    found = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        if "email" not in path.relative_to(ROOT / "templates").parts
        for text in [path.read_text()]
        for match in INLINE.finditer(text)
    ]
    assert found == []


@pytest.mark.django_db
def test_a_violation_report_is_logged_and_answered_204(client, caplog):
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = post_report(client, json.dumps(REPORT))
    assert response.status_code == 204
    assert "violated-directive=script-src-elem" in caplog.text
    assert "blocked-uri=inline" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[1, 2]", b'{"csp-report": "x"}', b"\x00\xff" * 10, b"{" * 100_000],
)
def test_a_malformed_report_is_answered_204_and_not_logged(client, caplog, body):
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        response = post_report(client, body)
    assert response.status_code == 204
    assert "CSP violation" not in caplog.text


@pytest.mark.django_db
def test_a_report_cannot_write_control_characters_or_a_page_into_the_log(client, caplog):
    report = {"csp-report": {**REPORT["csp-report"], "blocked-uri": "x\n\rFAKE LINE" + "y" * 5000}}
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        post_report(client, json.dumps(report))
    assert "\n" not in caplog.records[0].getMessage()
    assert len(caplog.records[0].getMessage()) < 2000


@pytest.mark.django_db
def test_reports_beyond_the_limit_are_not_logged(client, caplog, settings):
    settings.PORTAL_RATE_LIMITS = {"csp_report": "2/m/ip"}
    with caplog.at_level(logging.WARNING, logger="portal.csp"):
        statuses = [post_report(client, json.dumps(REPORT)).status_code for _ in range(4)]
    assert statuses == [204] * 4
    assert caplog.text.count("CSP violation") == 2


@pytest.mark.django_db
def test_the_report_address_takes_only_post(client):
    assert client.get("/csp-rapport/").status_code == 405


@pytest.mark.browser
def test_the_browser_tests_hear_every_violation_of_the_policy(browser, page, home):
    """The listener every browser tab gets (tests/helpers.CSPWatch) hears an inline script and an
    inline style that the portal's policy blocks; the test empties the record afterwards, as
    otherwise this test itself would fail."""
    page.goto("/")
    page.evaluate(
        """() => {
        const script = document.createElement('script');
        script.textContent = 'window.ran = true';
        document.body.append(script);
        document.body.insertAdjacentHTML('beforeend', '<p style="color: red">x</p>');
    }"""
    )
    assert page.evaluate("window.ran === undefined")
    page.evaluate("0")
    heard, browser.violations = browser.violations, []
    assert any(v.startswith("CSP violation: script-src-elem blocked inline") for v in heard), heard
    assert any(v.startswith("CSP violation: style-src-attr blocked inline") for v in heard), heard


@pytest.mark.django_db
def test_a_refused_form_token_gets_the_portal_page_in_swedish_under_the_policy(home):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Formuläret kunde inte skickas" in response.text
    assert "<style" not in response.text
    assert csp_problems(response.get("Content-Security-Policy")) == []
