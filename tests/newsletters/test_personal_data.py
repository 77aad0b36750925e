"""A member's own newsletter data: the copy they download, and what deleting the account leaves."""

import json

import pytest

from portal.accounts import privacy
from portal.newsletters import sending, services
from portal.newsletters.models import Delivery, Subscriber
from tests.factories import UserFactory
from tests.networks.factories import NetworkPageFactory
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import add_members, subscribe
from tests.privacy import erase, rows_naming

pytestmark = pytest.mark.django_db
ADDRESS = "anna@example.org"


@pytest.fixture
def anna(db):
    return UserFactory(email=ADDRESS)


@pytest.fixture
def network(home, anna):
    network = NetworkPageFactory(title="Nätverk för bosättning")
    add_members(network, anna)
    return network


def send_to_members(home, network, title="Till medlemmarna"):
    issue = NewsletterIssuePageFactory(title=title, networks=[network])
    sending.dispatch_schedule(issue=issue)
    return issue


def send_to_list(home, subscriber_list, title="Till prenumeranterna"):
    issue = NewsletterIssuePageFactory(title=title, lists=[subscriber_list])
    sending.dispatch_schedule(issue=issue)
    return issue


# --- the copy ---


def test_the_copy_holds_each_subscription_with_its_consent(home, anna):
    subscribe(SubscriberListFactory(), ADDRESS)
    [subscription] = privacy.personal_data_export(user=anna)["newsletters"]["subscriptions"]
    assert subscription["list"] == "Nyhetsbrev från nätverken"
    assert (subscription["status"], subscription["consent_source"]) == ("confirmed", "test")
    assert subscription["confirmed_at"] is not None


def test_the_copy_holds_the_opt_out_from_member_newsletters(home, anna):
    services.member_newsletters_set(email=ADDRESS, receive=False)
    data = privacy.personal_data_export(user=anna)["newsletters"]
    assert data["members_opted_out_at"] is not None


def test_the_copy_holds_member_issues_for_a_member_who_never_subscribed(
    home, anna, network, smtp_server
):
    issue = send_to_members(home, network)
    data = privacy.personal_data_export(user=anna)["newsletters"]
    assert (data["email"], data["created_at"], data["subscriptions"]) == (ADDRESS, None, [])
    assert [(d["issue"], d["status"]) for d in data["deliveries"]] == [(issue.title, "sent")]


def test_the_copy_holds_issues_sent_to_the_accounts_earlier_address(
    home, anna, network, smtp_server
):
    issue = send_to_members(home, network)
    anna.email = "anna.ny@example.org"
    anna.save()
    deliveries = privacy.personal_data_export(user=anna)["newsletters"]["deliveries"]
    assert [d["issue"] for d in deliveries] == [issue.title]


def sent_with_others(home, network):
    """An issue to a list Anna shares with Bertil, and one to a network she shares with Cecilia."""
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, ADDRESS, "bertil@example.org")
    add_members(network, UserFactory(email="cecilia@example.org"))
    send_to_list(home, subscriber_list)
    send_to_members(home, network)


def test_the_copy_leaves_out_the_other_recipients(home, anna, network, smtp_server):
    sent_with_others(home, network)
    text = json.dumps(privacy.personal_data_export(user=anna))
    assert "bertil@example.org" not in text and "cecilia@example.org" not in text


def test_the_copy_costs_three_queries_however_many_rows(
    home, anna, network, smtp_server, django_assert_num_queries
):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, ADDRESS)
    for n in range(2):
        send_to_list(home, subscriber_list, f"Lista {n}")
        send_to_members(home, network, f"Medlemmar {n}")
    with django_assert_num_queries(3):
        services.subscriber_export(email=ADDRESS, user=anna)


# --- deleting the account ---


def test_deleting_the_account_leaves_no_row_with_the_address(home, anna, network, smtp_server):
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, ADDRESS)
    send_to_list(home, subscriber_list)
    send_to_members(home, network)
    services.member_newsletters_set(email=ADDRESS, receive=False)
    erase(anna)
    assert rows_naming(ADDRESS, "newsletters") == []


def test_deleting_the_account_removes_issues_sent_to_its_earlier_address(
    home, anna, network, smtp_server
):
    send_to_members(home, network)
    anna.email = "anna.ny@example.org"
    anna.save()
    erase(anna)
    assert not Delivery.objects.filter(email=ADDRESS).exists()


def test_other_recipients_keep_their_records(home, anna, network, smtp_server):
    sent_with_others(home, network)
    erase(anna)
    assert Subscriber.objects.filter(email="bertil@example.org").exists()
    assert set(Delivery.objects.values_list("email", flat=True)) == {
        "bertil@example.org",
        "cecilia@example.org",
    }
