"""In a real browser: subscribing, confirming, reading, managing and unsubscribing, sending from
the admin with a live progress bar; axe-core checks every newsletter page type on the way."""

import re

import pytest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.newsletters import sending
from portal.newsletters.models import Delivery, DeliveryStatus, Dispatch, DispatchStatus
from portal.newsletters.rendering import issue_render
from tests.factories import UserFactory
from tests.helpers import Mailbox, assert_accessible, browser_login, follow
from tests.newsletters.factories import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    SubscriberListFactory,
)
from tests.newsletters.helpers import subscribe

pytestmark = pytest.mark.browser


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_subscriber_journey_is_accessible(page, home, smtp_server):
    subscriber_list = SubscriberListFactory()
    issue = NewsletterIssuePageFactory(
        title="Nyhetsbrev 2/2017: Kvotflyktingar", lists=[subscriber_list]
    )
    sending.dispatch_schedule(issue=issue)

    page.goto("/tjanster/nyhetsbrev/prenumerera/")
    assert_accessible(page)
    page.locator("input[name=email]").fill("karin@example.org")
    page.get_by_label(subscriber_list.name).check()
    page.locator("input[name=consent]").check()
    follow(page, page.locator("main button[type=submit]"))
    assert_accessible(page)  # "check your inbox"

    confirmation = smtp_server.wait_for(1) and smtp_server.to("karin@example.org")[-1]
    confirm_url = re.search(r"https?://\S+/bekrafta/\S+/", Mailbox.body(confirmation)).group(0)
    page.goto(_path(confirm_url))
    assert_accessible(page)
    follow(page, page.locator("main button[type=submit]"))
    assert_accessible(page)
    follow(page, page.locator("main a", has_text=re.compile(".")).first)  # to the manage page
    assert "/hantera/" in page.url
    assert_accessible(page)
    follow(page, page.locator("a[href$='/radera/']"))
    assert_accessible(page)

    page.goto(NewsletterIndexPageFactory(parent=home).url)
    assert_accessible(page)
    follow(page, page.get_by_role("link", name=issue.title))
    assert page.locator("h1").inner_text() == issue.title
    assert_accessible(page)

    page.goto("/tjanster/nyhetsbrev/hantera/")
    assert_accessible(page)


def test_unsubscribe_page_is_accessible_and_its_button_unsubscribes(page, home, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "olle@example.org")
    sending.dispatch_schedule(issue=NewsletterIssuePageFactory(lists=[subscriber_list]))
    message = smtp_server.wait_for(1) and smtp_server.to("olle@example.org")[0]
    link = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
    page.goto(_path(link))
    assert_accessible(page)
    follow(page, page.locator("main button[type=submit]"))
    assert_accessible(page)
    assert subscriber_list.subscriptions.get().status == "unsubscribed"


def test_the_e_mail_itself_passes_axe(page, home):
    issue = NewsletterIssuePageFactory(lists=[SubscriberListFactory()])
    page.set_content(issue_render(issue=issue, preview=True).html)
    assert_accessible(page)


def test_sending_from_the_admin_shows_count_list_and_live_progress(page, home, smtp_server):
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "a@example.org", "b@example.org", "c@example.org")
    issue = NewsletterIssuePageFactory(lists=[subscriber_list])
    browser_login(page, admin)

    page.goto(f"/admin/nyhetsbrev/{issue.pk}/skicka/")
    assert "3" in page.locator("#recipient-count").inner_text()
    assert_accessible(page)
    follow(page, page.get_by_role("link", name=_("Show the recipients")).first)
    assert page.locator("td", has_text="b@example.org").count() == 1
    assert_accessible(page)

    # Sending asks to confirm, naming the count; going back sends nothing.
    page.goto(f"/admin/nyhetsbrev/{issue.pk}/skicka/")
    follow(page, page.locator("#send-heading ~ form button[type=submit]"))
    assert "3" in page.locator("#confirm-count").inner_text()
    for width in (320, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    follow(page, page.locator("#confirm-heading ~ form a.button-secondary"))
    assert not Dispatch.objects.exists()

    # A sending in progress, so the bar has something to follow.
    dispatch = Dispatch.objects.create(issue=issue, status=DispatchStatus.SCHEDULED)
    sending.dispatch_start(dispatch_id=dispatch.pk)
    page.goto(f"/admin/nyhetsbrev/utskick/{dispatch.pk}/")
    assert page.locator("[data-field=remaining]").inner_text() == "3"
    assert_accessible(page)
    first = Delivery.objects.filter(dispatch=dispatch).order_by("pk").first()
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
    page.wait_for_function(
        # A function, not an expression: Playwright evaluates an expression with eval(), which
        # the admin's Content-Security-Policy refuses.
        "() => document.querySelector('[data-field=sent]').textContent === '1'",
        timeout=10_000,
    )
    assert page.locator("#newsletter-progress-bar").get_attribute("value") is not None
    assert page.locator("[data-field=remaining]").inner_text() == "2"
