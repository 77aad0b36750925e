"""In a real Chromium with a real SMTP server: a coordinator invites, the invitee signs up from the
e-mail and downloads a document; someone else asks to join and is approved. axe-core checks every
network page type on the way."""

import re
import time

import pytest

from tests.helpers import Mailbox, assert_accessible, browser_login, follow, path_of

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://[^\s]+?(/tjanster/natverk/inbjudan/[^\s/]+/)")


def new_tab(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return tab


def mail_to(smtp_server, address, timeout=10.0):
    """The latest message to `address`, waiting for the first one to arrive."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp_server.to(address)
        if messages:
            return messages[-1]
        time.sleep(0.05)
    raise AssertionError(f"no mail to {address}")


def test_invite_sign_up_download_and_join_request(page, browser, live_server, world, smtp_server):
    coordinator = world.users["coordinator"]
    network = world.network

    # The coordinator invites a new address with a role and a message.
    browser_login(page, coordinator)
    page.goto(network.member_space.screen_url("manage"))
    assert_accessible(page)
    follow(page, f"a[href='{network.member_space.screen_url('invite')}']")
    assert_accessible(page)
    page.fill("textarea[name=emails]", "ny.handlaggare@example.org")
    page.select_option("select[name=role]", "member")
    page.fill("textarea[name=message]", "Välkommen till nätverket för bosättningsfrågor!")
    follow(page, "main form button[type=submit]")
    assert path_of(page.url) == network.member_space.screen_url("manage")
    assert "ny.handlaggare@example.org" in page.content()

    # The invitation arrives over SMTP; the invitee opens it, signs up and lands in the space.
    invitation = mail_to(smtp_server, "ny.handlaggare@example.org")
    body = Mailbox.body(invitation)
    assert "Välkommen till nätverket för bosättningsfrågor!" in body
    link = LINK.search(body).group(1)
    invitee = new_tab(browser, live_server)
    invitee.goto(link)
    assert_accessible(invitee)
    follow(invitee, "main a[href^='/accounts/signup/']")
    assert invitee.input_value("input[name=email]") == "ny.handlaggare@example.org"
    invitee.fill("input[name=first_name]", "Nina")
    invitee.fill("input[name=last_name]", "Nyberg")
    invitee.fill("input[name=job_title]", "Flyktingsamordnare")
    invitee.fill("input[name=password1]", "ett-eget-langt-losenord-77")
    invitee.fill("input[name=password2]", "ett-eget-langt-losenord-77")
    invitee.click("main form button[type=submit]")
    invitee.wait_for_url(f"**{world.space.url}")
    assert_accessible(invitee)
    invitee.goto("/mina-sidor/")
    assert world.network.title in invitee.content()
    assert_accessible(invitee)
    invitee.goto(world.space.url)
    follow(invitee, "nav.space-nav a[href$='kontaktlista/']")
    assert coordinator.email in invitee.content()
    assert "Nina Nyberg" in invitee.content()
    assert_accessible(invitee)
    invitee.fill("#directory-q", "nyberg")
    follow(invitee, "form.directory-search button[type=submit]")
    assert invitee.locator("table.directory tbody tr").count() == 1
    assert_accessible(invitee)
    follow(invitee, "nav.space-nav a[href$='dokument/']")
    assert_accessible(invitee)
    with invitee.expect_download() as download:
        invitee.click(f"main a[href='{world.document.url}']")
    with open(download.value.path(), encoding="utf-8") as downloaded:
        assert world.secret in downloaded.read()
    invitee.context.close()

    # Someone else asks to join; the refusal page tells them how.
    asker = new_tab(browser, live_server)
    browser_login(asker, world.users["outsider"])
    refused = asker.goto(world.space.url)
    assert refused.status == 403
    assert world.document.title not in asker.content()
    assert_accessible(asker)
    follow(asker, "main a[href$='/ansok/']")
    assert_accessible(asker)
    asker.fill("textarea[name=message]", "Jag är enhetschef i Nacka och arbetar med bosättning.")
    follow(asker, "main form button[type=submit]")
    request_mail = mail_to(smtp_server, coordinator.email)
    assert "Nacka" in Mailbox.body(request_mail)

    # The coordinator approves; the asker is told and gets in.
    page.goto(network.member_space.screen_url("manage"))
    follow(page, "main form[action$='/godkann/'] button")
    decision = mail_to(smtp_server, world.users["outsider"].email)
    assert world.space.url in Mailbox.body(decision)
    response = asker.goto(world.space.url)
    assert response.status == 200
    assert world.document.title in asker.content()
    asker.context.close()


def test_public_network_pages_are_accessible(page, world):
    page.goto(world.index.url)
    assert world.network.title in page.content()
    assert_accessible(page)
    page.goto(world.network.url)
    assert_accessible(page)


def test_upload_refusal_and_broken_link_pages_are_accessible(page, world):
    page.goto("/tjanster/natverk/inbjudan/inte-en-riktig-lank/")
    assert_accessible(page)
    browser_login(page, world.users["coordinator"])
    page.goto(world.space.screen_url("document_upload"))
    follow(page, "main form button[type=submit]")
    assert page.locator("[role=alert]").count() >= 1
    assert_accessible(page)
    response = page.goto(world.other_network.member_space.url)
    assert response.status == 403
    assert_accessible(page)
