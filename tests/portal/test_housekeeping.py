"""`manage.py housekeeping`: every app's daily job runs, and one failing job stops no other."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail import hooks

from networks.models import Invitation
from portal.newsletters.models import Subscriber, Subscription, SubscriptionStatus
from tests.newsletters.helpers import make_list

pytestmark = pytest.mark.django_db


def _stale_pending_subscription():
    subscriber = Subscriber.objects.create(email="glomd@example.org")
    Subscription.objects.create(
        subscriber=subscriber,
        subscriber_list=make_list(),
        status=SubscriptionStatus.PENDING,
        consent_source="test",
        consent_at=timezone.now() - timedelta(days=30),
    )


def test_runs_every_registered_job_and_reports_each(world):
    _stale_pending_subscription()
    Invitation.objects.create(
        network=world.network,
        email="gammal@example.org",
        token_hash="x" * 64,
        expires_at=timezone.now() - timedelta(days=200),
    )
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(hooks.get_hooks("portal_housekeeping"))
    assert "purge_unconfirmed_subscriptions: 1 " in out.getvalue()
    assert "purge_stale_invitations: 1 " in out.getvalue()
    assert not Subscriber.objects.exists()
    assert not Invitation.objects.exists()


def test_a_failing_job_is_reported_and_the_others_still_run():
    _stale_pending_subscription()

    def broken():
        raise RuntimeError("disk full")

    err = io.StringIO()
    with hooks.register_temporarily("portal_housekeeping", broken, order=-1):
        with pytest.raises(SystemExit, match="1 job"):
            call_command("housekeeping", stdout=io.StringIO(), stderr=err)
    assert "disk full" in err.getvalue()
    assert not Subscriber.objects.exists()
