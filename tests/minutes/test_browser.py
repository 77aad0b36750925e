"""The whole justering flow in a real browser, with a real SMTP server, and axe-core on every
new page type."""

import re

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from networks.access import strategists_group
from networks.minutes.models import MinutesPage
from networks.services import membership_add
from tests.factories import PASSWORD, UserFactory
from tests.helpers import Mailbox, assert_accessible, browser_login, follow, path_of
from tests.minutes.factories import AnswerFactory, MeetingFactory
from tests.minutes.helpers import publication_subject

pytestmark = pytest.mark.browser


@pytest.fixture
def people(world):
    strateg = UserFactory(email="strateg@example.org", first_name="Sara", last_name="Strateg")
    strateg.groups.add(strategists_group())
    membership_add(network=world.network, user=strateg, role="coordinator")
    medlem = UserFactory(email="medlem@example.org", first_name="Maja", last_name="Medlem")
    membership_add(network=world.network, user=medlem)
    return {"strateg": strateg, "medlem": medlem}


def link_in(message, pattern):
    return re.search(pattern, Mailbox.body(message)).group(0)


def login_as(page, user):
    page.context.clear_cookies()
    browser_login(page, user)


def mails_to(smtp_server, address, count, timeout=15.0):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = smtp_server.to(address)
        if len(messages) >= count:
            return messages
        time.sleep(0.1)
    raise AssertionError(
        f"{address}: expected {count} messages, got {len(smtp_server.to(address))}"
    )


def admin_submit(page):
    """Open the action menu at the foot of the Wagtail editor and submit to the workflow."""
    page.locator("footer .w-dropdown__toggle").last.click()
    follow(page, page.locator("button[name=action-submit]"))


def confirm_password(page):
    """The step-up: deciding asks for the password (allauth's page), then goes through."""
    page.wait_for_load_state()
    assert path_of(page.url).startswith(reverse("account_reauthenticate")), page.url
    assert_accessible(page)
    page.fill("input[name=password]", PASSWORD)
    follow(page, page.locator("main form button[type=submit]"))


def write_notes(page, text):
    editor = page.locator("[data-contentpath=notes] .public-DraftEditor-content").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    # Draftail writes to its hidden input a moment after typing; submit only once it has.
    page.wait_for_function(
        "t => document.querySelector('[name=\"agenda-0-value-notes\"]').value.includes(t)",
        arg=text.split(".")[-2].strip(),
    )


def test_the_strategist_writes_minutes_and_the_approver_approves_them(
    page, world, people, smtp_server
):
    strateg, medlem = people["strateg"], people["medlem"]
    meeting = MeetingFactory(parent=world.space, title="Nätverksträff med Göteborgs stad")
    AnswerFactory(event=meeting, user=medlem)
    AnswerFactory(
        event=meeting,
        name="Anna Andersson",
        email="anna@goteborg.se",
        organisation="Göteborgs stad",
    )

    # The strategist starts the minutes from the held meeting, in the member space.
    login_as(page, strateg)
    page.goto(world.space.screen_url("minutes"))
    assert_accessible(page)
    follow(page, page.get_by_role("button", name=re.compile(re.escape(_("Write minutes")))).first)
    assert "/admin/pages/" in page.url
    minutes = MinutesPage.objects.get(meeting=meeting)
    assert page.locator("#id_present_members").get_by_label("Maja Medlem").is_checked()

    # ...writes the notes, an action item for Maja, names Maja as approver and submits.
    write_notes(page, "Göteborgs stad berättade om boendekedjor på kort och lång sikt.")
    page.locator("#id_action_items-ADD").click()
    page.fill("#id_action_items-0-what", "Sammanställ erfarenheter av mellanboenden")
    page.select_option("#id_action_items-0-owner", label="Maja Medlem")
    page.fill("#id_action_items-0-due_date", "2030-01-31")
    page.locator("#id_approvers").get_by_label("Maja Medlem").check()
    admin_submit(page)
    assert not MinutesPage.objects.get(pk=minutes.pk).live

    # Maja gets an e-mail with a link, reads the draft and sends it back with a comment.
    (request,) = mails_to(smtp_server, medlem.email, 1)
    review_link = link_in(request, r"http://\S+/minnesanteckningar/\d+/granska/")
    assert "boendekedjor på kort" not in Mailbox.body(request)
    login_as(page, medlem)
    page.goto(path_of(review_link))
    assert page.get_by_text("Göteborgs stad berättade om boendekedjor").is_visible()
    assert_accessible(page)
    page.fill("#id_send_back-comment", "Lägg till att Migrationsverket inte var med.")
    follow(page, page.get_by_role("button", name=re.compile(re.escape(_("Send back")))))
    confirm_password(page)

    # The strategist is told, fixes the notes and submits again.
    (sent_back,) = [
        m for m in mails_to(smtp_server, strateg.email, 1) if "granska" in Mailbox.body(m)
    ]
    login_as(page, strateg)
    page.goto(path_of(link_in(sent_back, r"http://\S+/minnesanteckningar/\d+/granska/")))
    assert page.get_by_text("Lägg till att Migrationsverket inte var med.").is_visible()
    page.goto(reverse("wagtailadmin_pages:edit", args=[minutes.pk]))
    write_notes(page, "Göteborgs stad berättade om boendekedjor. Migrationsverket deltog inte.")
    admin_submit(page)

    # Maja is asked again and approves: the minutes are published.
    second_request = mails_to(smtp_server, medlem.email, 2)[1]
    login_as(page, medlem)
    page.goto(path_of(link_in(second_request, r"http://\S+/minnesanteckningar/\d+/granska/")))
    assert page.get_by_text("Migrationsverket deltog inte.").is_visible()
    follow(page, page.get_by_role("button", name=re.compile(re.escape(_("Approve the minutes")))))
    confirm_password(page)
    minutes.refresh_from_db()
    assert minutes.live
    assert path_of(page.url) == minutes.url
    assert page.get_by_text("Migrationsverket deltog inte.").is_visible()
    assert_accessible(page)

    # Every active member gets the publication e-mail, with a link and no content.
    subject = publication_subject(minutes)
    members = [medlem, strateg, world.users["member"], world.users["coordinator"]]
    for person in members:
        published = [
            m for m in mails_to(smtp_server, person.email, 1) if m["Subject"].strip() == subject
        ]
        assert len(published) == 1, person.email
        assert minutes.url in Mailbox.body(published[0])
        assert "Migrationsverket deltog inte" not in Mailbox.body(published[0])
    for outsider in ("former_member", "other_member", "outsider"):
        assert smtp_server.to(world.users[outsider].email) == []

    # The action item shows on Maja's personal page, and she marks it done there.
    page.goto(reverse("portal:personal_page"))
    item = page.get_by_text("Sammanställ erfarenheter av mellanboenden")
    assert item.is_visible()
    assert_accessible(page)
    follow(page, page.get_by_role("button", name=re.compile(re.escape(_("Mark as done")))).first)
    assert minutes.action_items.get().status == "done"


def test_the_new_pages_have_no_accessibility_violations(page, world, people):
    from tests.minutes.helpers import approved_minutes

    medlem = people["medlem"]
    minutes = approved_minutes(
        world,
        approver=medlem,
        notes="<p>Brandskydd i <b>modulbostäder</b>.</p>",
        action_items=[{"what": "Ta fram checklista", "owner": medlem}],
    )
    login_as(page, medlem)
    for url in (
        minutes.url,
        world.space.screen_url("minutes"),
        world.space.screen_url("action_items"),
        reverse("portal:my_action_items"),
        reverse("portal:personal_page"),
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)


def test_the_send_back_form_with_errors_is_accessible(page, world, people):
    from networks.minutes import services
    from tests.minutes.helpers import write_minutes

    medlem = people["medlem"]
    meeting = MeetingFactory(parent=world.space)
    AnswerFactory(event=meeting, user=medlem)
    author = world.users["coordinator"]
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    minutes = write_minutes(minutes, user=author, approvers=[medlem], notes="<p>Utkast.</p>")
    services.minutes_submit(minutes=minutes, user=author)
    login_as(page, medlem)
    page.goto(minutes.review_url)
    # The browser would stop an empty comment; the server's answer must be accessible too.
    page.evaluate("document.getElementById('id_send_back-comment').removeAttribute('required')")
    follow(page, page.get_by_role("button", name=re.compile(re.escape(_("Send back")))))
    confirm_password(page)
    assert page.locator(".form-errors").is_visible()
    assert_accessible(page)
    assert selectors_round_open(minutes)


def selectors_round_open(minutes):
    from networks.minutes import selectors

    return selectors.current_round(minutes) is not None
