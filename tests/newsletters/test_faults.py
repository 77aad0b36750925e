"""Faults with real worker processes: every recipient ends with exactly one message.

The dispatch is queued in the database (django-tasks-db) and sent by `manage.py db_worker`
subprocesses against a real SMTP server on loopback, as in production.
"""

import signal
import time
from collections import Counter

import pytest

from portal.newsletters import sending
from portal.newsletters.models import Delivery, DeliveryStatus, Dispatch, DispatchStatus
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import subscribe, subscribe_many
from tests.newsletters.worker import SharedDatabase

# serialized_rollback brings back what migrations made (root page, locale) after the flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RECIPIENTS = [f"mottagare{n:03}@kommun.example" for n in range(60)]
FINISHED = "SELECT status FROM newsletters_dispatch"


@pytest.fixture
def queued_issue(home, settings):
    """An issue to 60 subscribers, scheduled into the database queue (not sent yet)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.NEWSLETTER_LEASE_SECONDS = 2
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, *RECIPIENTS)
    issue = NewsletterIssuePageFactory(lists=[subscriber_list])
    sending.dispatch_schedule(issue=issue)
    return issue


def assert_each_got_exactly_one(smtp_server):
    assert sorted(a for rcpts, _m in smtp_server.messages for a in rcpts) == RECIPIENTS
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == len(RECIPIENTS)
    assert Dispatch.objects.get().status == DispatchStatus.FINISHED


def test_worker_killed_mid_send_resumes_without_losing_or_repeating(
    queued_issue, smtp_server, tmp_path
):
    # The 25th message is held mid-transaction (DATA sent, no answer yet) and the worker is
    # killed right there: the message was never accepted, so it must be sent again, once.
    smtp_server.stall_at = 25
    with SharedDatabase(tmp_path) as shared:
        worker = shared.start_worker()
        assert smtp_server.stalled.wait(60), "the worker never reached the 25th message"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        smtp_server.release()
        assert len(smtp_server.messages) == 24
        assert shared.scalar(FINISHED) == DispatchStatus.SENDING

        restarted = shared.start_worker()
        shared.wait_until(FINISHED, DispatchStatus.FINISHED)
        shared.stop(restarted)
    assert_each_got_exactly_one(smtp_server)


def test_smtp_server_down_halfway_then_back(queued_issue, smtp_server, tmp_path):
    # The server goes down in the middle of the 31st transaction and refuses connections
    # until it comes back; the worker keeps retrying with growing pauses.
    smtp_server.stall_at = 31
    with SharedDatabase(tmp_path) as shared:
        shared.start_worker()
        assert smtp_server.stalled.wait(60), "the worker never reached the 31st message"
        smtp_server.stop()
        smtp_server.release()
        shared.wait_until(
            "SELECT COUNT(*) > 0 FROM newsletters_delivery WHERE error LIKE '%Refused%'", 1
        )
        assert len(smtp_server.messages) == 30
        smtp_server.start()
        shared.wait_until(FINISHED, DispatchStatus.FINISHED)
    assert_each_got_exactly_one(smtp_server)


NEWSLETTER_SIZE = 2500


@pytest.fixture
def large_queued_issue(home, settings):
    """An issue to 2,500 subscribers in the database queue, with production's lease and chunk."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    settings.NEWSLETTER_LEASE_SECONDS = sending.DEFAULT_LEASE_SECONDS
    subscriber_list = SubscriberListFactory()
    addresses = [f"tjansteperson{n:04}@kommun.example" for n in range(NEWSLETTER_SIZE)]
    subscribe_many(subscriber_list, addresses)
    sending.dispatch_schedule(issue=NewsletterIssuePageFactory(lists=[subscriber_list]))
    return addresses


@pytest.mark.postgres_only
def test_worker_killed_at_half_of_2500_new_worker_at_once_finishes_within_2_minutes(
    large_queued_issue, smtp_server, tmp_path
):
    production = {
        "NEWSLETTER_LEASE_SECONDS": sending.DEFAULT_LEASE_SECONDS,
        "NEWSLETTER_CHUNK_SIZE": sending.DEFAULT_CHUNK_SIZE,
    }
    smtp_server.stall_at = NEWSLETTER_SIZE // 2
    with SharedDatabase(tmp_path) as shared:
        worker = shared.start_worker(**production)
        assert smtp_server.stalled.wait(120), "the worker never got halfway"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        killed_at = time.monotonic()
        smtp_server.release()
        shared.start_worker(**production)
        shared.wait_until(FINISHED, DispatchStatus.FINISHED, timeout=120)
        took = time.monotonic() - killed_at
    assert took < 120
    received = Counter(a for rcpts, _m in smtp_server.messages for a in rcpts)
    assert received == Counter(large_queued_issue)  # each address exactly once
    assert Delivery.objects.filter(status=DeliveryStatus.SENT).count() == NEWSLETTER_SIZE
