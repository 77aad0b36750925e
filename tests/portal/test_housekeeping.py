"""`manage.py housekeeping`: every app's daily job runs, and one failing job stops no other."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail import hooks

from networks.models import Invitation
from portal.housekeeping import task_results_abandoned_fail, task_results_prune
from portal.mail import mail_queue
from portal.newsletters.models import Subscriber, SubscriptionStatus
from tests.newsletters.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


def _stale_pending_subscription():
    SubscriptionFactory(
        subscriber__email="glomd@example.org",
        status=SubscriptionStatus.PENDING,
        confirmed_at=None,
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
    with (
        hooks.register_temporarily("portal_housekeeping", broken, order=-1),
        pytest.raises(SystemExit, match="1 job"),
    ):
        call_command("housekeeping", stdout=io.StringIO(), stderr=err)
    assert "disk full" in err.getvalue()
    assert not Subscriber.objects.exists()


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_finished_task_records_go_after_a_week_with_the_mail_they_carried():
    for n in range(3):
        mail_queue(template="newsletters_manage", to=f"p{n}@example.org", context={})
    done_long_ago, done_today, waiting = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=done_long_ago.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now() - timedelta(days=8)
    )
    DBTaskResult.objects.filter(pk=done_today.pk).update(
        status=TaskResultStatus.SUCCESSFUL, finished_at=timezone.now()
    )
    assert task_results_prune() == 1
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {done_today.pk, waiting.pk}


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_a_task_left_running_by_a_killed_worker_is_marked_failed():
    for n in range(2):
        mail_queue(template="newsletters_manage", to=f"p{n}@example.org", context={})
    abandoned, working = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=abandoned.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(hours=7)
    )
    DBTaskResult.objects.filter(pk=working.pk).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now() - timedelta(minutes=5)
    )
    assert task_results_abandoned_fail() == 1
    abandoned.refresh_from_db()
    working.refresh_from_db()
    assert abandoned.status == TaskResultStatus.FAILED
    assert abandoned.exception_class_path == "portal.housekeeping.WorkerVanished"
    assert working.status == TaskResultStatus.RUNNING
