"""Sending an issue through a real SMTP server on loopback: who gets what, exactly once."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client

from portal.newsletters import sending
from portal.newsletters.models import (
    Delivery,
    DeliveryStatus,
    DispatchStatus,
    Subscriber,
    SubscriptionStatus,
)
from portal.newsletters.selectors import issue_audience
from tests.helpers import Mailbox
from tests.networks.factories import MembershipFactory, NetworkPageFactory
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import make_members, subscribe

pytestmark = pytest.mark.django_db


def _path(url):
    return urlsplit(url).path


def _https_unsubscribe(message):
    return re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)


def _subscribe_and_confirm(client, smtp_server, email, subscriber_list):
    response = client.post(
        "/tjanster/nyhetsbrev/prenumerera/",
        {"email": email, "lists": [subscriber_list.pk], "consent": "on"},
    )
    assert response.status_code == 302
    confirmation = smtp_server.to(email.lower())[-1]
    confirm_url = re.search(r"https?://\S+/bekrafta/\S+/", Mailbox.body(confirmation)).group(0)
    assert client.get(_path(confirm_url)).status_code == 200  # only asks: link scanners are safe
    assert client.post(_path(confirm_url)).status_code == 200


@pytest.fixture
def audience(home):
    """A list and two networks whose members overlap with each other and with the list."""
    subscriber_list = SubscriberListFactory()
    network_a = NetworkPageFactory(title="Nätverk för bosättningsfrågor")
    network_b = NetworkPageFactory(title="Vuxen-etableringsgruppen")
    make_members(network_a, "anna@botkyrka.example", "both@huddinge.example")
    make_members(network_b, "bo@haninge.example")
    from portal.models import User

    both = User.objects.get(email="both@huddinge.example")
    MembershipFactory(user=both, network=network_b)
    return subscriber_list, network_a, network_b


def test_subscribe_confirm_send_and_one_click_unsubscribe(home, smtp_server, audience):
    subscriber_list, network_a, network_b = audience
    client = Client()
    _subscribe_and_confirm(client, smtp_server, "sofia@example.org", subscriber_list)
    # A network member who also subscribes: in three audiences, still one message.
    _subscribe_and_confirm(client, smtp_server, "Both@Huddinge.example", subscriber_list)
    subscriber = Subscriber.objects.get(email="sofia@example.org")
    subscription = subscriber.subscriptions.get()
    assert subscription.status == SubscriptionStatus.CONFIRMED
    assert subscription.consent_source.endswith("/tjanster/nyhetsbrev/prenumerera/")
    assert subscription.consent_at is not None and subscription.confirmed_at is not None
    smtp_server.messages.clear()

    issue = NewsletterIssuePageFactory(lists=[subscriber_list], networks=[network_a, network_b])
    dispatch = sending.dispatch_schedule(issue=issue)

    expected = {
        "sofia@example.org",
        "both@huddinge.example",
        "anna@botkyrka.example",
        "bo@haninge.example",
    }
    smtp_server.wait_for(len(expected))
    received = [address for rcpts, _message in smtp_server.messages for address in rcpts]
    assert sorted(received) == sorted(expected)  # every address exactly once
    for _rcpts, message in smtp_server.messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "<mailto:" in message["List-Unsubscribe"]
        assert _https_unsubscribe(message).startswith("http")
        assert message["Subject"] == issue.title
        assert "å ä ö æ ø" in Mailbox.body(message, "plain")
        assert "å ä ö æ ø" in Mailbox.body(message, "html")
        assert _https_unsubscribe(message) in Mailbox.body(message, "html")  # visible footer link
        assert issue.full_url.split("/", 3)[3] in Mailbox.body(message, "plain")  # web version
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.FINISHED
    assert dispatch.deliveries.filter(status=DeliveryStatus.SENT).count() == len(expected)

    # RFC 8058: the mail client POSTs to the link, with no session and no CSRF token.
    message = smtp_server.to("sofia@example.org")[0]
    one_click = Client(enforce_csrf_checks=True)
    response = one_click.post(_path(_https_unsubscribe(message)), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert subscriber.subscriptions.get().status == SubscriptionStatus.UNSUBSCRIBED

    smtp_server.messages.clear()
    next_issue = NewsletterIssuePageFactory(
        title="Nyhetsbrev hösten 2017", lists=[subscriber_list], networks=[network_a, network_b]
    )
    sending.dispatch_schedule(issue=next_issue)
    smtp_server.wait_for(len(expected) - 1)
    received = sorted(a for rcpts, _m in smtp_server.messages for a in rcpts)
    assert received == sorted(expected - {"sofia@example.org"})


def test_unsubscribing_a_member_stops_member_issues_but_not_their_other_list(
    home, smtp_server, audience
):
    subscriber_list, network_a, _network_b = audience
    issue = NewsletterIssuePageFactory(networks=[network_a])
    sending.dispatch_schedule(issue=issue)
    smtp_server.wait_for(2)
    message = smtp_server.to("anna@botkyrka.example")[0]
    assert Client().post(_path(_https_unsubscribe(message))).status_code == 200

    addresses = [
        member.email for member in issue_audience(NewsletterIssuePageFactory(networks=[network_a]))
    ]
    assert addresses == ["both@huddinge.example"]


def test_get_on_the_unsubscribe_link_only_asks(home, smtp_server, audience):
    subscriber_list, _a, _b = audience
    subscribe(subscriber_list, "kerstin@example.org")
    sending.dispatch_schedule(issue=NewsletterIssuePageFactory(lists=[subscriber_list]))
    message = smtp_server.wait_for(1) and smtp_server.to("kerstin@example.org")[0]
    response = Client().get(_path(_https_unsubscribe(message)))
    assert response.status_code == 200
    assert b"<form" in response.content
    subscription = Subscriber.objects.get(email="kerstin@example.org").subscriptions.get()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_a_forged_unsubscribe_link_is_refused(home, smtp_server, audience):
    subscriber_list, _a, _b = audience
    subscribe(subscriber_list, "kerstin@example.org")
    sending.dispatch_schedule(issue=NewsletterIssuePageFactory(lists=[subscriber_list]))
    delivery = Delivery.objects.get()
    response = Client().post(f"/tjanster/nyhetsbrev/avsluta/{delivery.pk}/{'0' * 32}/")
    assert response.status_code == 404
    subscription = Subscriber.objects.get(email="kerstin@example.org").subscriptions.get()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_permanent_refusal_fails_the_address_and_later_issues_skip_it(home, smtp_server, settings):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "finns-inte@example.org", "finns@example.org")
    smtp_server.reject = {"finns-inte@example.org"}
    sending.dispatch_schedule(issue=NewsletterIssuePageFactory(lists=[subscriber_list]))
    smtp_server.wait_for(1)
    failed = Delivery.objects.get(email="finns-inte@example.org")
    assert failed.status == DeliveryStatus.FAILED
    assert failed.error.startswith("550")
    assert Subscriber.objects.get(email="finns-inte@example.org").undeliverable_at is not None
    later = NewsletterIssuePageFactory(title="Nästa nummer", lists=[subscriber_list])
    assert [m.email for m in issue_audience(later)] == ["finns@example.org"]


def test_lines_in_the_message_stay_within_smtp_limits(home, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "lang@example.org")
    long_paragraph = "<p>" + "Bosättning och etablering av nyanlända i kommunerna. " * 200 + "</p>"
    issue = NewsletterIssuePageFactory(
        lists=[subscriber_list], body=[("paragraph", long_paragraph)]
    )
    sending.dispatch_schedule(issue=issue)
    smtp_server.wait_for(1)
    raw = smtp_server.raw[0]
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    assert "Bosättning och etablering" in Mailbox.body(smtp_server.messages[0][1], "plain")


def test_a_temporary_refusal_waits_with_backoff_then_sends_once(home, smtp_server, settings):
    from django.utils import timezone

    from portal.newsletters import tasks

    settings.NEWSLETTER_RETRY_SECONDS = 60
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "greylist@example.org")
    smtp_server.refuse = True  # 451: try again later
    dispatch = sending.dispatch_schedule(issue=NewsletterIssuePageFactory(lists=[subscriber_list]))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert delivery.error.startswith("451")
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 50 < wait <= 60
    assert tasks.dispatch_run.call(dispatch_id=dispatch.pk)["sent"] == 0  # not due yet

    smtp_server.refuse = False
    Delivery.objects.update(next_attempt_at=timezone.now())
    tasks.dispatch_run.call(dispatch_id=dispatch.pk)
    assert smtp_server.count("greylist@example.org") == 1
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.FINISHED
