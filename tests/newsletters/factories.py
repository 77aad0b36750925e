"""Newsletter test data: lists, subscribers with confirmed subscriptions, the archive and
issues published to an audience."""

import factory
from django.utils import timezone
from django.utils.text import slugify

from portal.newsletters import models
from tests.factories import IndexPageFactory, PageFactory


class SubscriberListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.SubscriberList
        django_get_or_create = ("slug",)

    name = "Nyhetsbrev från nätverken"
    slug = "natverken"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Subscriber
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"prenumerant{n}@example.org")


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A confirmed subscription, given on the test's own form."""

    class Meta:
        model = models.Subscription

    subscriber = factory.SubFactory(SubscriberFactory)
    subscriber_list = factory.SubFactory(SubscriberListFactory)
    status = models.SubscriptionStatus.CONFIRMED
    consent_source = "test"
    confirmed_at = factory.LazyFunction(timezone.now)


class NewsletterIndexPageFactory(IndexPageFactory):
    class Meta:
        model = models.NewsletterIndexPage

    title = "Nyhetsbrev"
    slug = "nyhetsbrev"


class NewsletterIssuePageFactory(PageFactory):
    """An issue in the archive, published to `lists`, `networks` and/or `all_members`."""

    class Meta:
        model = models.NewsletterIssuePage

    parent = factory.SubFactory(NewsletterIndexPageFactory)
    title = "Nyhetsbrev våren 2017"
    slug = factory.LazyAttributeSequence(
        lambda issue, n: f"{slugify(issue.title, allow_unicode=False)}-{n}"
    )
    intro = "Nyheter från nätverken på Södertörn: å ä ö æ ø."
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>Bostadsförsörjningen är den största utmaningen 2017.</p>")]
    )
    audience_lists = factory.SelfAttribute("lists")
    audience_networks = factory.SelfAttribute("networks")
    audience_all_members = factory.SelfAttribute("all_members")

    class Params:
        lists = ()
        networks = ()
        all_members = False


class DispatchFactory(factory.django.DjangoModelFactory):
    """A sending of `issue` that has finished; `recipients` delivered addresses come with it."""

    class Meta:
        model = models.Dispatch
        skip_postgeneration_save = True

    issue = factory.SubFactory(NewsletterIssuePageFactory)
    status = models.DispatchStatus.FINISHED
    send_at = factory.LazyFunction(timezone.now)
    started_at = factory.SelfAttribute("send_at")
    finished_at = factory.SelfAttribute("send_at")
    subject = factory.SelfAttribute("issue.title")

    @factory.post_generation
    def recipients(self, create, extracted, **kwargs):
        if create and extracted:
            models.Delivery.objects.bulk_create(
                models.Delivery(
                    dispatch=self,
                    email=f"mottagare{n}@example.org",
                    status=models.DeliveryStatus.SENT,
                    sent_at=self.finished_at,
                )
                for n in range(extracted)
            )
