"""What people do in the newsletter tests: join networks and subscribe to lists. The objects
come from tests/newsletters/factories.py and tests/networks/factories.py."""

from tests.factories import UserFactory
from tests.networks.factories import MembershipFactory
from tests.newsletters.factories import SubscriberFactory, SubscriptionFactory


def add_members(network, *users):
    for user in users:
        MembershipFactory(user=user, network=network, organisation=None)
    return users


def make_members(network, *emails):
    return add_members(network, *[UserFactory(email=email) for email in emails])


def subscribe(subscriber_list, *emails):
    for email in emails:
        SubscriptionFactory(
            subscriber=SubscriberFactory(email=email), subscriber_list=subscriber_list
        )


def subscribe_many(subscriber_list, emails):
    """Confirmed subscriptions for many addresses at once (a few queries, not two per address)."""
    SubscriberFactory._meta.model.objects.bulk_create(
        [SubscriberFactory.build(email=email) for email in emails]
    )
    subscribers = SubscriberFactory._meta.model.objects.filter(email__in=emails)
    SubscriptionFactory._meta.model.objects.bulk_create(
        [
            SubscriptionFactory.build(subscriber=subscriber, subscriber_list=subscriber_list)
            for subscriber in subscribers
        ]
    )
