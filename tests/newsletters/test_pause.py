"""A dispatch whose sender died: the lease is a heartbeat, and the progress page says "paused"."""

from datetime import timedelta

import pytest
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from portal.newsletters import sending
from portal.newsletters.models import Delivery, Dispatch, DispatchStatus
from tests.newsletters.factories import NewsletterIssuePageFactory, SubscriberListFactory
from tests.newsletters.helpers import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimed_dispatch(home):
    """A dispatch being sent: its three rows claimed by a worker, as mid-chunk."""
    subscriber_list = SubscriberListFactory()
    subscribe(subscriber_list, "a@example.org", "b@example.org", "c@example.org")
    issue = NewsletterIssuePageFactory(lists=[subscriber_list])
    dispatch = Dispatch.objects.create(
        issue=issue, status=DispatchStatus.SCHEDULED, send_at=timezone.now()
    )
    sending.dispatch_start(dispatch_id=dispatch.pk)
    _token, rows = sending.deliveries_claim(dispatch_id=dispatch.pk, limit=10)
    assert len(rows) == 3
    return Dispatch.objects.get(pk=dispatch.pk)


def last_renewal(dispatch, seconds_ago):
    Delivery.objects.filter(dispatch=dispatch).update(
        claimed_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def progress_page(dispatch, superuser):
    client = Client()
    client.force_login(superuser)
    html = client.get(f"/admin/nyhetsbrev/utskick/{dispatch.pk}/").content.decode()
    status = client.get(f"/admin/nyhetsbrev/utskick/{dispatch.pk}/status.json").json()
    return html, status


def test_a_dead_sender_is_detected_within_a_minute_by_default():
    # The claim is renewed many times per lease; the watch looks often enough that a killed
    # worker's rows are taken over at most a minute after its last renewal.
    assert sending.heartbeat_seconds() * 5 < sending.lease_seconds()
    assert sending.lease_seconds() + sending.watch_seconds() <= 60


def test_the_progress_page_says_paused_when_no_worker_renews_the_lease(claimed_dispatch, superuser):
    last_renewal(claimed_dispatch, seconds_ago=sending.lease_seconds() + 1)
    html, status = progress_page(claimed_dispatch, superuser)
    assert "Pausad: ingen arbetare skickar" in html
    assert status["paused"] is True
    assert status["status_label"] == "Pausad: ingen arbetare skickar"
    assert sending.dispatch_is_stalled(dispatch_id=claimed_dispatch.pk)


def test_a_renewed_lease_is_a_sending_in_progress(claimed_dispatch, superuser):
    last_renewal(claimed_dispatch, seconds_ago=sending.heartbeat_seconds())
    html, status = progress_page(claimed_dispatch, superuser)
    assert "Pausad" not in html
    assert status["paused"] is False
    assert status["status_label"] == "Skickas"


@override_settings(NEWSLETTER_LEASE_SECONDS=45)
def test_a_due_dispatch_no_worker_started_is_paused_too(home, superuser):
    issue = NewsletterIssuePageFactory(lists=[SubscriberListFactory()])
    dispatch = Dispatch.objects.create(
        issue=issue,
        status=DispatchStatus.SCHEDULED,
        send_at=timezone.now() - timedelta(minutes=2),
    )
    assert progress_page(dispatch, superuser)[1]["paused"] is True
    Dispatch.objects.filter(pk=dispatch.pk).update(send_at=timezone.now())
    assert progress_page(dispatch, superuser)[1]["paused"] is False


@override_settings(NEWSLETTER_LEASE_SECONDS=0.001)
def test_a_sender_that_lost_its_lease_leaves_the_rows_to_their_new_holder(claimed_dispatch):
    # The worker stalled past its lease and another took over two of its rows: at its next
    # heartbeat it finds out, and sends only what it still holds.
    from django.core import mail
    from django.db import connection

    rows = list(Delivery.objects.filter(dispatch=claimed_dispatch).order_by("pk"))
    token = rows[0].claim_token
    Delivery.objects.filter(pk__in=[r.pk for r in rows[1:]]).update(claim_token="the-other")
    template = sending.issue_template(subject="Nyhetsbrev", html="<p>Hej</p>", text="Hej")
    result = sending.RunResult()
    with connection.cursor() as cursor:
        sending._send_chunk(
            cursor, sending.Transport(), template, token, [(r.pk, r.email) for r in rows], result
        )
    assert [m.to for m in mail.outbox] == [[rows[0].email]]
    assert result.sent == 1
