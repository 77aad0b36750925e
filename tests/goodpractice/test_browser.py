"""The whole journey in a real browser, with e-mail through a real SMTP server on loopback."""

import re

import pytest
from wagtail.models import WorkflowState

from goodpractice.models import PracticePage, Submission, SubmissionStatus
from tests.goodpractice.factories import PracticeIndexPageFactory, PracticePageFactory
from tests.helpers import Mailbox, assert_accessible, browser_login, follow

pytestmark = pytest.mark.browser
ADDRESS = "karin.kontakt@hoor.example"


def link_in(message, fragment):
    body = Mailbox.body(message)
    match = re.search(rf"http://[^\s]+{fragment}[^\s]*", body)
    assert match, body
    return "/" + match.group(0).split("/", 3)[3]


def fill_submission(page):
    page.fill("#id_title", "Språkvänner i Höör")
    page.fill("#id_summary", "Nyanlända och etablerade Höörbor träffas varje vecka på biblioteket.")
    page.get_by_label("Höörs kommun").check()
    page.get_by_label("Samhällsliv").check()
    page.get_by_label("Nyanlända vuxna").check()
    page.fill("#id_description", "Biblioteket och föreningarna ordnar träffarna tillsammans.")
    page.fill("#id_period_start", "2018-02-01")
    page.get_by_label(re.compile("Still running|Pågår")).check()
    page.fill("#id_submitter_name", "Karin Kontakt")
    page.fill("#id_submitter_email", ADDRESS)


def moderate_in_admin(page, practice, action: str, comment=""):
    """Use the workflow actions in the page editor's footer, as a moderator does."""
    page.goto(f"/admin/pages/{practice.pk}/edit/")
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()
    if comment:
        page.locator(
            f"footer button[data-workflow-action-name={action}][data-workflow-action-modal-url]"
        ).click()
        page.locator("textarea[name=comment]").fill(comment)
        page.locator("textarea[name=comment]").locator("xpath=ancestor::form").locator(
            "button[type=submit]"
        ).click()
    else:
        page.locator(
            f"footer button[data-workflow-action-name={action}]"
            ":not([data-workflow-action-modal-url])"
        ).click()
    page.wait_for_url(re.compile(r"/admin/"))
    page.wait_for_load_state("networkidle")


def test_anonymous_submission_through_moderation_into_the_catalogue(
    page, live_server, smtp_server, home, moderator
):
    index = PracticeIndexPageFactory(parent=home, show_in_menus=False)
    PracticePageFactory(
        parent=index,
        title="Trelleborgs kommun avtalar med bostadsbolaget",
        organisations=["Trelleborgs kommun"],
        themes=["Bostadsförsörjning"],
    )

    # The form, first sent empty: errors are announced and accessible.
    page.goto("/tjanster/goda-exempel/skicka-in/")
    follow(page, page.get_by_role("button", name=re.compile("Send for review|Skicka")))
    assert page.locator("[role=alert]").is_visible()
    assert page.locator(".field--error").count() >= 4
    assert_accessible(page)

    fill_submission(page)
    follow(page, page.get_by_role("button", name=re.compile("Send for review|Skicka")))
    submission = Submission.objects.get()
    assert page.url.endswith(f"/status/{submission.token}/")
    assert_accessible(page)

    # The address is confirmed through the e-mail.
    smtp_server.wait_for(1)
    [confirm_mail] = smtp_server.to(ADDRESS)
    page.goto(link_in(confirm_mail, "/bekrafta/"))
    assert_accessible(page)
    follow(page, page.locator("main form button[type=submit]"))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    smtp_server.wait_for(2)

    # A moderator asks for a change in the Wagtail admin.
    practice = PracticePage.objects.get(pk=submission.page_id)
    browser_login(page, moderator)
    moderate_in_admin(page, practice, "reject", "Berätta om kostnaden.")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.CHANGES_REQUESTED
    page.context.clear_cookies()

    # The submitter edits through the link in the e-mail.
    changes_mail = next(
        m for m in reversed(smtp_server.to(ADDRESS)) if "Berätta om kostnaden." in Mailbox.body(m)
    )
    page.goto(link_in(changes_mail, "/status/"))
    assert "Berätta om kostnaden." in page.content()
    assert_accessible(page)
    page.fill("#id_cost_funding", "Två timmar i veckan av en bibliotekarie.")
    follow(page, page.get_by_role("button", name=re.compile("Send for review|Skicka")))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW

    # The moderator approves; the practice is published.
    browser_login(page, moderator)
    moderate_in_admin(page, practice, "approve")
    practice.refresh_from_db()
    assert practice.live
    assert not WorkflowState.objects.active().filter(object_id=str(practice.pk)).exists()
    page.context.clear_cookies()

    # Everyone finds it, with its facets.
    page.goto("/goda-exempel/?q=språkvänner")
    assert page.locator("#gp-total").inner_text().startswith("1 ")
    assert page.get_by_role("link", name="Språkvänner i Höör").is_visible()
    hoor = page.locator("[data-facet=org] li", has_text="Höörs kommun")
    assert hoor.locator(".gp-count").get_attribute("data-count") == "1"
    assert page.locator("[data-facet=org] li", has_text="Trelleborgs kommun").count() == 0
    assert_accessible(page)
    follow(page, page.get_by_role("link", name="Språkvänner i Höör"))
    assert "Två timmar i veckan" in page.content()
    assert_accessible(page)
    page.goto("/goda-exempel/?q=inget+sådant+finns")
    assert_accessible(page)
    page.goto("/")
    assert page.get_by_role("link", name="Språkvänner i Höör").is_visible()
    assert_accessible(page)
