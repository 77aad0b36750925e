"""Every link in every newsletter e-mail leads somewhere: a 200, or a deliberate redirect.

Links are built with reverse(); the old links in mail already sent must keep working whatever
the URL scheme becomes (a changed prefix needs redirects from the old one).
"""

import pytest
from django.test import Client

from portal.newsletters import sending, services
from portal.newsletters.models import Delivery, Dispatch, Subscriber
from tests.mail_links import assert_every_link_works
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import subscribe

pytestmark = pytest.mark.django_db


def test_the_confirmation_and_manage_mails(home, smtp_server):
    newsletter = SubscriberListFactory()
    services.subscriber_subscribe(
        email="ny@kommun.example", lists=[newsletter], source="test", consent_text="Ja"
    )
    services.subscriber_send_manage_link(email="ny@kommun.example")
    assert len(smtp_server.messages) == 2
    for _rcpts, message in smtp_server.messages:
        assert_every_link_works(message)


def test_an_issue_and_the_test_to_oneself(home, smtp_server):
    newsletter = SubscriberListFactory()
    subscribe(newsletter, "lasare@kommun.example")
    issue = NewsletterIssuePageFactory(lists=[newsletter])
    sending.issue_send_test(issue=issue, email="redaktor@kommun.example")
    sending.dispatch_schedule(issue=issue)
    assert len(smtp_server.messages) == 2
    for _rcpts, message in smtp_server.messages:
        assert_every_link_works(message)


def test_links_in_mail_already_sent_keep_working(home):
    # The formats that went out before links were built with reverse(): they stay valid.
    newsletter = SubscriberListFactory()
    subscribe(newsletter, "gammal@kommun.example")
    subscriber = Subscriber.objects.get()
    issue = NewsletterIssuePageFactory(lists=[newsletter])
    sending.dispatch_start(
        dispatch_id=Dispatch.objects.create(
            issue=issue, status="scheduled", send_at=issue.first_published_at
        ).pk
    )
    delivery = Delivery.objects.get()
    confirm = services.subscriber_token(subscriber=subscriber, purpose="confirm")
    manage = services.subscriber_token(subscriber=subscriber, purpose="manage")
    old = [
        f"/tjanster/nyhetsbrev/bekrafta/{confirm}/",
        f"/tjanster/nyhetsbrev/hantera/{manage}/",
        "/tjanster/nyhetsbrev/hantera/",
        f"/tjanster/nyhetsbrev/avsluta/{delivery.pk}/{services.delivery_token(delivery.pk)}/",
    ]
    for path in old:
        assert Client().get(path, follow=True).status_code == 200, path
