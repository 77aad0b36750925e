"""Builders for the newsletter tests: networks with members, lists with subscribers, issues."""

from django.utils import timezone

from networks.models import Membership, NetworkIndexPage, NetworkPage
from portal.newsletters.models import (
    NewsletterIndexPage,
    NewsletterIssuePage,
    Subscriber,
    SubscriberList,
    Subscription,
    SubscriptionStatus,
)
from tests.factories import UserFactory


def make_network(home, title):
    index = NetworkIndexPage.objects.first()
    if index is None:
        index = NetworkIndexPage(title="Nätverk", slug="natverk")
        home.add_child(instance=index)
        index.save_revision().publish()
    network = NetworkPage(title=title, slug=title.lower().replace(" ", "-"))
    index.add_child(instance=network)
    network.save_revision().publish()
    return network


def add_members(network, *users):
    for user in users:
        Membership.objects.create(user=user, network=network)
    return users


def make_members(network, *emails):
    return add_members(network, *[UserFactory(email=email) for email in emails])


def make_list(name="Nyhetsbrev från nätverken", slug="natverken"):
    return SubscriberList.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def subscribe(subscriber_list, *emails):
    for email in emails:
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        Subscription.objects.create(
            subscriber=subscriber,
            subscriber_list=subscriber_list,
            status=SubscriptionStatus.CONFIRMED,
            consent_source="test",
            confirmed_at=timezone.now(),
        )


def subscribe_many(subscriber_list, emails):
    """Confirmed subscriptions for many addresses at once (a few queries, not two per address)."""
    Subscriber.objects.bulk_create([Subscriber(email=email) for email in emails])
    subscribers = Subscriber.objects.filter(email__in=emails)
    Subscription.objects.bulk_create(
        [
            Subscription(
                subscriber=subscriber,
                subscriber_list=subscriber_list,
                status=SubscriptionStatus.CONFIRMED,
                consent_source="test",
                confirmed_at=timezone.now(),
            )
            for subscriber in subscribers
        ]
    )


def make_archive(home):
    archive = NewsletterIndexPage.objects.first()
    if archive is None:
        archive = NewsletterIndexPage(title="Nyhetsbrev", slug="nyhetsbrev")
        home.add_child(instance=archive)
        archive.save_revision().publish()
    return archive


def make_issue(
    home,
    title="Nyhetsbrev våren 2017",
    *,
    lists=(),
    networks=(),
    all_members=False,
    body=None,
    intro="Nyheter från nätverken på Södertörn: å ä ö æ ø.",
):
    archive = make_archive(home)
    slug = "".join(
        c for c in title.lower().replace(" ", "-") if c.isascii() and (c.isalnum() or c == "-")
    )
    issue = NewsletterIssuePage(
        title=title,
        slug=f"{slug}-{NewsletterIssuePage.objects.count()}",
        intro=intro,
        audience_all_members=all_members,
        body=body or [("paragraph", "<p>Bostadsförsörjningen är den största utmaningen 2017.</p>")],
    )
    archive.add_child(instance=issue)
    issue.audience_lists.set(lists)
    issue.audience_networks.set(networks)
    issue.save_revision().publish()
    return NewsletterIssuePage.objects.get(pk=issue.pk)
