"""Every e-mail kind the portal sends, and following the links of a received e-mail.

A kind is a template under templates/email/ with a subject (`<kind>_subject.txt`). A test
that sends kinds says so with `@sends(...)` and checks what arrived with `Sent.check()`:
exactly those kinds were rendered, and every link in every message points at the portal's
base URL and opens for the person it was sent to (a 200, or the login page for someone
without an account or not logged in). tests/portal/test_mail_links.py fails when a kind is
in no test's `@sends`.
"""

import re
from html import unescape

from django.conf import settings
from django.test import Client

from portal import mail
from portal.models import User
from tests.helpers import ROOT

URL = re.compile(r"https?://[^\s\"'<>)]+")


def mail_kinds() -> set[str]:
    return {
        p.name.removesuffix("_subject.txt")
        for p in (ROOT / "templates/email").glob("*_subject.txt")
    }


def sends(*kinds):
    """Declare the mail kinds a test sends (read by the coverage test)."""

    def mark(test):
        test.mail_kinds = set(kinds)
        return test

    return mark


HREF = re.compile(r"""(?:href|src)=["']([^"']+)["']""")


def links(message) -> set[str]:
    """The web links of a message: in its text, the href/src of its HTML, and its headers."""
    found = set()
    plain, html = (message.get_body(preferencelist=(subtype,)) for subtype in ("plain", "html"))
    if plain is not None:
        found |= set(URL.findall(plain.get_content()))
    if html is not None:
        hrefs = (unescape(url) for url in HREF.findall(html.get_content()))
        found |= {url for url in hrefs if url.startswith("http")}
    found |= set(URL.findall(str(message.get("List-Unsubscribe", ""))))
    return {url.rstrip(".,;") for url in found}


def client_for(address) -> Client:
    """The recipient, logged in when they have an account; anonymous otherwise."""
    client = Client()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return client


def assert_every_link_works(message, recipient=None):
    base = settings.PORTAL_BASE_URL.rstrip("/") + "/"
    found = links(message)
    assert found, f"no link in {message['Subject']!r}"
    for url in sorted(found):
        assert url.startswith(base), (message["Subject"], url, "is not at", base)
        client = client_for(recipient or message["To"])
        response = client.get(url.removeprefix(base[:-1]), follow=True)
        assert response.status_code == 200, (message["Subject"], url, response.status_code)
        if "_auth_user_id" in client.session:  # the recipient gets in, not a login page
            landed = response.request["PATH_INFO"]
            assert not landed.startswith(settings.LOGIN_URL), (message["Subject"], url, landed)


class Sent:
    """The kinds rendered while the test runs (a spy on mail_render, which still renders)."""

    def __init__(self, monkeypatch, mailbox, test):
        self.kinds = []
        self.mailbox = mailbox
        self.expected = test.mail_kinds
        render = mail.mail_render

        def recording(*, template, **kwargs):
            self.kinds.append(template)
            return render(template=template, **kwargs)

        monkeypatch.setattr(mail, "mail_render", recording)

    def check(self, *, count=None):
        """Exactly the declared kinds were sent, and every link in every message works."""
        assert set(self.kinds) == self.expected, sorted(set(self.kinds) ^ self.expected)
        assert self.mailbox.messages
        if count is not None:
            assert len(self.mailbox.messages) == count
        for recipients, message in self.mailbox.messages:
            for recipient in recipients:
                assert_every_link_works(message, recipient)
        return len(self.mailbox.messages)
