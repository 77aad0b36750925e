"""The pre-encoded MIME template, scheduling into the database queue, tests to oneself, and who
may send."""

import random
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from portal.newsletters import sending
from portal.newsletters.mime import UNSUBSCRIBE_MARK, MessageTemplate, Recipient
from portal.newsletters.models import Dispatch, DispatchStatus
from tests.factories import UserFactory
from tests.helpers import Mailbox
from tests.networks.factories import MembershipFactory, NetworkPageFactory
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import subscribe

pytestmark = pytest.mark.django_db


def _recipient(url="https://portal.example/tjanster/nyhetsbrev/avsluta/7/abc_-DEF/"):
    return Recipient(
        to="anna@example.org",
        message_id="newsletter.7@example.org",
        unsubscribe_url=url,
        unsubscribe_mailto="mailto:unsubscribe@example.org?subject=unsubscribe-7-abc",
    )


def test_template_round_trips_any_text_with_short_lines():
    rng = random.Random(2017)
    alphabet = "abc åäöæø ÅÄÖÆØ \t\n=.<>\"'–€" + "x" * 5
    for _ in range(200):
        pieces = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 500))) for _ in "abc"]
        text = UNSUBSCRIBE_MARK.join(pieces)
        template = MessageTemplate(
            subject="Nyhetsbrev – vår",
            text=text,
            html=text,
            from_email="a@example.org",
            list_id="<nyhetsbrev.example.org>",
        )
        raw = template.render(_recipient())
        assert max(len(line) for line in raw.split(b"\r\n")) <= 998  # SMTP's limit
        body = raw.split(b"\r\n\r\n", 1)[1]
        assert max(len(line) for line in body.split(b"\r\n")) <= 76  # quoted-printable's
        message = message_from_bytes(raw, policy=policy.default)
        expected = text.replace(UNSUBSCRIBE_MARK, _recipient().unsubscribe_url)
        for subtype in ("plain", "html"):
            assert Mailbox.body(message, subtype).replace("\r\n", "\n") == expected


def test_template_headers_are_per_recipient_and_rfc_8058():
    template = MessageTemplate(
        subject="Nyhetsbrev: å ä ö æ ø",
        text="Hej",
        html="<p>Hej</p>",
        from_email="Samverkansportalen <noreply@example.org>",
        list_id="<nyhetsbrev.example.org>",
    )
    message = message_from_bytes(template.render(_recipient()), policy=policy.default)
    assert message["Subject"] == "Nyhetsbrev: å ä ö æ ø"
    assert message["To"] == "anna@example.org"
    assert message["Message-ID"] == "<newsletter.7@example.org>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"] == (
        "<https://portal.example/tjanster/nyhetsbrev/avsluta/7/abc_-DEF/>, "
        "<mailto:unsubscribe@example.org?subject=unsubscribe-7-abc>"
    )


def test_a_resent_delivery_keeps_its_message_id():
    assert sending.delivery_recipient(42, "a@example.org").message_id == (
        sending.delivery_recipient(42, "a@example.org").message_id
    )


def test_scheduled_sending_waits_in_the_database_queue_until_its_time(home, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "a@example.org")
    send_at = timezone.now() + timedelta(days=2)
    dispatch = sending.dispatch_schedule(
        issue=NewsletterIssuePageFactory(lists=[subscriber_list]), send_at=send_at
    )
    run = DBTaskResult.objects.get(task_path="portal.newsletters.tasks.dispatch_run")
    assert run.run_after == send_at
    assert run.args_kwargs["kwargs"] == {"dispatch_id": dispatch.pk}
    assert (
        DBTaskResult.objects.ready().filter(task_path__startswith="portal.newsletters").count() == 0
    )
    assert dispatch.deliveries.count() == 0  # the audience is resolved when sending starts


def test_a_cancelled_scheduled_dispatch_sends_nothing(home, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "a@example.org")
    issue = NewsletterIssuePageFactory(lists=[subscriber_list])
    dispatch = Dispatch.objects.create(issue=issue, send_at=timezone.now())
    assert sending.dispatch_cancel(dispatch=dispatch)
    assert sending.dispatch_start(dispatch_id=dispatch.pk) is None
    assert smtp_server.messages == []


def test_an_issue_is_sent_only_once(home, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "a@example.org")
    issue = NewsletterIssuePageFactory(lists=[subscriber_list])
    sending.dispatch_schedule(issue=issue)
    with pytest.raises(
        ValidationError, match=gettext("This issue has already been sent or scheduled.")
    ):
        sending.dispatch_schedule(issue=issue)
    sending.dispatch_start(dispatch_id=issue.dispatch.pk)  # a second run finds nothing to do
    assert len(smtp_server.messages) == 1
    assert Dispatch.objects.get().status == DispatchStatus.FINISHED


def test_send_a_test_to_myself_from_the_admin(home, smtp_server, superuser):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "a@example.org")
    issue = NewsletterIssuePageFactory(lists=[subscriber_list])
    client = Client()
    client.force_login(superuser)
    response = client.post(f"/admin/nyhetsbrev/{issue.pk}/skicka/", {"action": "test"})
    assert response.status_code == 302
    assert [rcpts for rcpts, _m in smtp_server.messages] == [["super@example.org"]]
    assert smtp_server.messages[0][1]["Subject"].endswith(issue.title)
    assert not Dispatch.objects.exists()  # a test is not a sending


def test_sending_from_the_admin_queues_the_dispatch(home, smtp_server, superuser):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "a@example.org", "b@example.org")
    issue = NewsletterIssuePageFactory(lists=[subscriber_list])
    client = Client()
    client.force_login(superuser)
    response = client.get(f"/admin/nyhetsbrev/{issue.pk}/skicka/")
    assert response.context["recipient_count"] == 2
    preview = client.get(f"/admin/nyhetsbrev/{issue.pk}/e-post/").content.decode()
    assert issue.title in preview and 'role="presentation"' in preview
    response = client.post(
        f"/admin/nyhetsbrev/{issue.pk}/skicka/", {"action": "confirm", "when": "now", "count": 2}
    )
    dispatch = Dispatch.objects.get()
    assert response["Location"].endswith(f"/admin/nyhetsbrev/utskick/{dispatch.pk}/")
    progress = client.get(f"/admin/nyhetsbrev/utskick/{dispatch.pk}/status.json").json()
    assert progress | {"status_label": ""} == {
        "status": "finished",
        "status_label": "",
        "total": 2,
        "sent": 2,
        "failed": 0,
        "remaining": 0,
        "done": 2,
        "percent": 100,
        "finished": True,
        "paused": False,
    }


def test_a_coordinator_may_send_to_their_network_only(home):
    from portal.newsletters.selectors import can_send_issue

    network, other = NetworkPageFactory(title="Bosättning"), NetworkPageFactory(title="Återsök")
    coordinator = UserFactory(email="samordnare@example.org")
    MembershipFactory(user=coordinator, network=network, role="coordinator")
    own = NewsletterIssuePageFactory(networks=[network])
    foreign = NewsletterIssuePageFactory(title="Annat", networks=[other])
    to_subscribers = NewsletterIssuePageFactory(title="Öppet", lists=[SubscriberListFactory()])
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    editors = Group.objects.create(name="Nyhetsbrevsredaktörer")
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=editors,
            page=own.get_parent(),
            permission=Permission.objects.get(
                codename=codename, content_type__app_label="wagtailcore"
            ),
        )
    coordinator.groups.add(editors)
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    assert can_send_issue(coordinator, own)
    assert not can_send_issue(coordinator, foreign)
    assert not can_send_issue(coordinator, to_subscribers)


def test_email_preview_in_the_admin_shows_the_e_mail(home, superuser, rf):
    issue = NewsletterIssuePageFactory(lists=[SubscriberListFactory()])
    request = rf.get("/")
    request.user = superuser
    response = issue.serve_preview(request, "email")
    html = response.content.decode()
    assert 'role="presentation"' in html  # the e-mail's table layout, not the site's page
    assert UNSUBSCRIBE_MARK not in html  # the preview's links lead somewhere harmless
    assert issue.title in html
