"""Subscribers' rights: double opt-in, changing lists, export and deletion of their data."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from portal.newsletters import sending, services
from portal.newsletters.models import (
    Delivery,
    DeliveryStatus,
    Dispatch,
    DispatchStatus,
    Subscriber,
    Subscription,
    SubscriptionStatus,
)
from portal.newsletters.selectors import issue_audience
from tests.helpers import Mailbox
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import subscribe

pytestmark = pytest.mark.django_db


def _manage_url(subscriber):
    token = services.subscriber_token(subscriber=subscriber, purpose="manage")
    return f"/tjanster/nyhetsbrev/hantera/{token}/"


def test_an_unconfirmed_subscription_receives_nothing(home):
    subscriber_list = SubscriberListFactory()
    Client().post(
        "/tjanster/nyhetsbrev/prenumerera/",
        {"email": "vantar@example.org", "lists": [subscriber_list.pk], "consent": "on"},
    )
    subscription = Subscriber.objects.get(email="vantar@example.org").subscriptions.get()
    assert subscription.status == SubscriptionStatus.PENDING
    assert issue_audience(NewsletterIssuePageFactory(lists=[subscriber_list])) == []


def test_subscribing_needs_consent(home):
    subscriber_list = SubscriberListFactory()
    response = Client().post(
        "/tjanster/nyhetsbrev/prenumerera/",
        {"email": "utan@example.org", "lists": [subscriber_list.pk]},
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()


def test_subscribing_again_does_not_reveal_whether_the_address_is_known(home, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "finns@example.org")
    data = {"email": "finns@example.org", "lists": [subscriber_list.pk], "consent": "on"}
    response = Client().post("/tjanster/nyhetsbrev/prenumerera/", data)
    assert response.status_code == 302
    assert response["Location"].endswith("/prenumerera/skickat/")
    subscription = Subscriber.objects.get(email="finns@example.org").subscriptions.get()
    assert subscription.status == SubscriptionStatus.CONFIRMED


def test_a_tampered_confirmation_link_confirms_nothing(home):
    subscriber_list = SubscriberListFactory()
    Client().post(
        "/tjanster/nyhetsbrev/prenumerera/",
        {"email": "x@example.org", "lists": [subscriber_list.pk], "consent": "on"},
    )
    subscriber = Subscriber.objects.get()
    token = services.subscriber_token(subscriber=subscriber, purpose="manage")  # wrong purpose
    assert Client().post(f"/tjanster/nyhetsbrev/bekrafta/{token}/").status_code == 410
    assert subscriber.subscriptions.get().status == SubscriptionStatus.PENDING


def test_manage_link_is_sent_only_to_known_addresses(home, smtp_server):
    subscribe(SubscriberListFactory(), "kand@example.org")
    for email in ("kand@example.org", "okand@example.org"):
        response = Client().post("/tjanster/nyhetsbrev/hantera/", {"email": email})
        assert response.status_code == 200
    assert [rcpts for rcpts, _m in smtp_server.messages] == [["kand@example.org"]]
    link = re.search(r"https?://\S+/hantera/\S+/", Mailbox.body(smtp_server.messages[0][1]))
    assert Client().get(link.group(0).split("testserver")[1]).status_code == 200


def test_unticking_a_list_on_the_manage_page_ends_it(home):
    first, second = (
        SubscriberListFactory(name="Första", slug="forsta"),
        SubscriberListFactory(name="Andra", slug="andra"),
    )
    subscribe(first, "anna@example.org")
    subscribe(second, "anna@example.org")
    subscriber = Subscriber.objects.get(email="anna@example.org")
    response = Client().post(_manage_url(subscriber), {"lists": [second.pk]})
    assert response.status_code == 302
    statuses = dict(subscriber.subscriptions.values_list("subscriber_list__slug", "status"))
    assert statuses == {"forsta": "unsubscribed", "andra": "confirmed"}


def test_export_as_json_and_csv_holds_consent_and_deliveries(home, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "data@example.org")
    issue = NewsletterIssuePageFactory(title="Nyhetsbrev 1/2017", lists=[subscriber_list])
    sending.dispatch_schedule(issue=issue)
    subscriber = Subscriber.objects.get(email="data@example.org")
    client = Client()

    response = client.get(_manage_url(subscriber) + "data.json")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["email"] == "data@example.org"
    assert data["subscriptions"][0]["consent_source"] == "test"
    assert data["deliveries"] == [
        {"issue": issue.title, "status": "sent", "sent_at": data["deliveries"][0]["sent_at"]}
    ]

    text = client.get(_manage_url(subscriber) + "data.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["delivery", issue.title, "sent"] == rows[-1][:3]
    assert rows[1][:2] == ["address", "data@example.org"]


def test_deleting_erases_the_address_and_its_delivery_records(home, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "bort@example.org", "kvar@example.org")
    sending.dispatch_schedule(issue=NewsletterIssuePageFactory(lists=[subscriber_list]))
    subscriber = Subscriber.objects.get(email="bort@example.org")
    url = _manage_url(subscriber)
    assert Client().get(url + "radera/").status_code == 200  # asks first
    assert Subscriber.objects.filter(email="bort@example.org").exists()
    assert Client().post(url + "radera/").status_code == 200
    assert not Subscriber.objects.filter(email="bort@example.org").exists()
    assert not Delivery.objects.filter(email="bort@example.org").exists()
    assert Delivery.objects.filter(email="kvar@example.org").exists()
    assert Client().get(url).status_code == 404  # the link dies with the data


def test_member_can_stop_and_restart_member_newsletters_from_my_pages(home, user):
    client = Client()
    client.force_login(user)
    assert "/tjanster/nyhetsbrev/medlemsutskick/" in client.get("/mina-sidor/").text
    client.post("/tjanster/nyhetsbrev/medlemsutskick/", {"receive": "0"})
    assert Subscriber.objects.get(email=user.email).members_opted_out_at is not None
    client.post("/tjanster/nyhetsbrev/medlemsutskick/", {"receive": "1"})
    assert Subscriber.objects.get(email=user.email).members_opted_out_at is None


def test_the_subscribe_form_cannot_flood_an_inbox(home, smtp_server):
    subscriber_list = SubscriberListFactory()
    data = {"email": "offer@example.org", "lists": [subscriber_list.pk], "consent": "on"}
    for _ in range(5):
        Client().post("/tjanster/nyhetsbrev/prenumerera/", data)
    assert len(smtp_server.to("offer@example.org")) == 1


def test_the_newsletter_forms_limit_how_many_mails_one_client_asks_for(home, settings):
    settings.PORTAL_RATE_LIMITS = {"newsletter_mail": "3/h/ip"}
    subscriber_list = SubscriberListFactory()
    statuses = [
        Client()
        .post(
            "/tjanster/nyhetsbrev/prenumerera/",
            {"email": f"offer{n}@example.org", "lists": [subscriber_list.pk], "consent": "on"},
        )
        .status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 302]
    refused = Client().post("/tjanster/nyhetsbrev/hantera/", {"email": "offer0@example.org"})
    assert "För många förfrågningar härifrån just nu" in refused.text
    assert refused.context["form"]["email"].value() == "offer0@example.org"
    assert Subscriber.objects.count() == 3
    other = Client(REMOTE_ADDR="198.51.100.7").post(
        "/tjanster/nyhetsbrev/prenumerera/",
        {"email": "annan@example.org", "lists": [subscriber_list.pk], "consent": "on"},
    )
    assert other.status_code == 302


def test_consent_never_confirmed_is_forgotten_once_the_link_has_expired(home):
    news, events = (
        SubscriberListFactory(),
        SubscriberListFactory(name="Kalendarium", slug="kalendarium"),
    )
    subscribe(news, "bekraftad@example.org")
    for email, lists in [("glomd@example.org", [news]), ("bekraftad@example.org", [events])]:
        Client().post(
            "/tjanster/nyhetsbrev/prenumerera/",
            {"email": email, "lists": [lst.pk for lst in lists], "consent": "on"},
        )
    fresh = Client().post(
        "/tjanster/nyhetsbrev/prenumerera/",
        {"email": "ny@example.org", "lists": [news.pk], "consent": "on"},
    )
    assert fresh.status_code == 302
    stale = timezone.now() - services.CONFIRM_VALID_FOR - timedelta(hours=1)
    Subscription.objects.exclude(subscriber__email="ny@example.org").filter(
        status=SubscriptionStatus.PENDING
    ).update(consent_at=stale)

    assert services.subscriptions_purge_unconfirmed() == 2

    assert not Subscriber.objects.filter(email="glomd@example.org").exists()
    kept = Subscriber.objects.get(email="bekraftad@example.org")
    assert [s.status for s in kept.subscriptions.all()] == [SubscriptionStatus.CONFIRMED]
    assert Subscriber.objects.get(email="ny@example.org").subscriptions.get().status == (
        SubscriptionStatus.PENDING
    )


def test_an_address_with_a_delivery_record_is_kept_when_its_consent_lapses(home):
    news = SubscriberListFactory()
    Client().post(
        "/tjanster/nyhetsbrev/prenumerera/",
        {"email": "medlem@example.org", "lists": [news.pk], "consent": "on"},
    )
    subscriber = Subscriber.objects.get(email="medlem@example.org")
    dispatch = Dispatch.objects.create(
        issue=NewsletterIssuePageFactory(), status=DispatchStatus.FINISHED
    )
    Delivery.objects.create(dispatch=dispatch, email=subscriber.email, status=DeliveryStatus.SENT)
    Subscription.objects.update(consent_at=timezone.now() - timedelta(days=30))
    assert services.subscriptions_purge_unconfirmed() == 1
    assert Subscriber.objects.filter(email="medlem@example.org").exists()
