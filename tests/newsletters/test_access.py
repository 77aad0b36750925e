"""The access matrix for newsletters: member issues in the archive, on the web, in e-mail,
in search and in the sitemap reach the network's members and no one else."""

from io import StringIO

import pytest
from django.core.management import call_command

from portal.newsletters import sending
from portal.newsletters.models import NewsletterIssuePage
from tests.access_matrix import EVERYONE, MEMBERS, ROLES, assert_only, response_text
from tests.helpers import Mailbox, path_of
from tests.minutes.helpers import approved_minutes
from tests.newsletters.factories import (
    NewsletterIndexPageFactory,
    NewsletterIssuePageFactory,
    SubscriberListFactory,
)
from tests.newsletters.helpers import subscribe

pytestmark = pytest.mark.django_db

# Everyone with an active membership somewhere, and those who see every network.
ANY_MEMBER = MEMBERS | {"other_member"}


def _sent(issue):
    sending.dispatch_schedule(issue=issue)
    return NewsletterIssuePage.objects.get(pk=issue.pk)


@pytest.fixture
def member_issue(world, home):
    """A sent issue to the network's members, with the secret and new minutes in it."""
    minutes = approved_minutes(world, approver=world.users["member"])
    world.extra["minutes"] = minutes
    return _sent(
        NewsletterIssuePageFactory(
            title=f"Till bosättningsnätverket {world.secret}",
            networks=[world.network],
            body=[
                ("paragraph", f"<p>Internt: {world.secret}</p>"),
                ("minutes", {"heading": "Nya minnesanteckningar", "count": 5, "days": 30}),
            ],
        )
    )


def test_member_issue_web_version_is_for_the_networks_members(world, member_issue):
    assert_only(world.client, member_issue.url, MEMBERS, secret_text=world.secret)


def test_member_issue_web_version_lists_the_new_minutes_to_members(world, member_issue):
    response = world.client("member").get(member_issue.url)
    assert world.extra["minutes"].title in response_text(response)


def test_all_members_issue_is_for_anyone_with_a_membership(world, home):
    issue = _sent(
        NewsletterIssuePageFactory(title=f"Till alla medlemmar {world.secret}", all_members=True)
    )
    assert_only(world.client, issue.url, ANY_MEMBER, secret_text=world.secret)


def test_public_issue_is_public(world, home):
    issue = _sent(
        NewsletterIssuePageFactory(title="Öppet nyhetsbrev", lists=[SubscriberListFactory()])
    )
    assert_only(world.client, issue.url, EVERYONE)


def test_archive_lists_member_issues_only_to_members(world, home, member_issue):
    public = _sent(
        NewsletterIssuePageFactory(title="Öppet nyhetsbrev", lists=[SubscriberListFactory()])
    )
    archive = NewsletterIndexPageFactory(parent=home)
    for role in ROLES:
        text = response_text(world.client(role).get(archive.url))
        assert public.title in text, role
        assert (world.secret in text) == (role in MEMBERS), role


def test_archive_lists_only_sent_issues(world, home):
    NewsletterIssuePageFactory(title="Inte skickat än", lists=[SubscriberListFactory()])
    text = response_text(world.client("superuser").get(NewsletterIndexPageFactory(parent=home).url))
    assert "Inte skickat än" not in text


def test_member_issue_e_mail_reaches_only_active_members(world, home, smtp_server):
    minutes = approved_minutes(world, approver=world.users["member"])
    smtp_server.messages.clear()
    subscribe(
        SubscriberListFactory(), "outsider@example.org"
    )  # on a list, but not in this audience
    _sent(
        NewsletterIssuePageFactory(
            title="Till bosättningsnätverket",
            networks=[world.network],
            body=[("minutes", {"heading": "Nya minnesanteckningar", "count": 5, "days": 30})],
        )
    )
    smtp_server.wait_for(2)
    recipients = sorted(a for rcpts, _m in smtp_server.messages for a in rcpts)
    assert recipients == ["coordinator@example.org", "member@example.org"]
    for _rcpts, message in smtp_server.messages:
        assert minutes.title in Mailbox.body(message, "plain")
        assert minutes.title in Mailbox.body(message, "html")


def test_minutes_never_appear_in_an_issue_that_also_goes_to_subscribers(world, home, smtp_server):
    minutes = approved_minutes(world, approver=world.users["member"])
    smtp_server.messages.clear()
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "prenumerant@example.org")
    # Saved around the admin form's check: rendering applies the rule again.
    issue = NewsletterIssuePageFactory(
        title="Blandad publik",
        lists=[subscriber_list],
        networks=[world.network],
        body=[("minutes", {"heading": "Nya minnesanteckningar", "count": 5, "days": 30})],
    )
    _sent(issue)
    smtp_server.wait_for(3)
    for _rcpts, message in smtp_server.messages:
        assert minutes.title not in Mailbox.body(message, "plain")
        assert minutes.title not in Mailbox.body(message, "html")
    assert minutes.title not in response_text(world.client("member").get(issue.url))


def test_member_issues_stay_out_of_search_and_sitemap(world, home, member_issue):
    public = _sent(
        NewsletterIssuePageFactory(
            title="Öppet nyhetsbrev",
            lists=[SubscriberListFactory()],
            intro=f"Kvotflyktingar {world.secret}",
        )
    )
    anonymous_results = response_text(world.client("anonymous").get("/sok/", {"q": world.secret}))
    assert (
        path_of(public.url) in anonymous_results
    )  # the search works; it just never shows member issues
    for role in ROLES:
        text = response_text(world.client(role).get("/sok/", {"q": world.secret}))
        assert member_issue.url not in text, role
    assert member_issue.url not in response_text(world.client("anonymous").get("/sitemap.xml"))


def test_rebuilding_the_search_index_keeps_member_issues_out(world, home, member_issue):
    call_command("update_index", stdout=StringIO())
    for role in set(ROLES) - MEMBERS:
        text = response_text(world.client(role).get("/sok/", {"q": member_issue.title}))
        assert member_issue.url not in text, role


def test_sending_pages_in_the_admin_are_for_those_who_may_send(world, member_issue):
    dispatch = member_issue.dispatch
    for url in (
        f"/admin/nyhetsbrev/{member_issue.pk}/skicka/",
        f"/admin/nyhetsbrev/{member_issue.pk}/mottagare/",
        f"/admin/nyhetsbrev/{member_issue.pk}/e-post/",
        f"/admin/nyhetsbrev/utskick/{dispatch.pk}/",
        f"/admin/nyhetsbrev/utskick/{dispatch.pk}/status.json",
    ):
        for role in ROLES:
            response = world.client(role).get(url)
            if role == "superuser":
                assert response.status_code == 200, (url, role)
            else:
                assert response.status_code in (302, 403), (url, role, response.status_code)
                text = response_text(response)
                assert "member@example.org" not in text and world.secret not in text, (url, role)


def test_home_page_lists_the_latest_issues_each_visitor_may_read(world, home, member_issue):
    public = _sent(
        NewsletterIssuePageFactory(title="Öppet nyhetsbrev", lists=[SubscriberListFactory()])
    )
    for role in ROLES:
        text = response_text(world.client(role).get(home.url))
        assert public.title in text, role
        assert (world.secret in text) == (role in MEMBERS), role
