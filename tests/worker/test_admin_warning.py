"""The admin dashboard warns while the database queue has no worker to empty it."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from portal.worker.models import WorkerHeartbeat

WARNING = 'id="worker-missing-heading"'


@pytest.fixture
def dashboard(client, superuser, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
    client.force_login(superuser)
    return lambda: client.get("/admin/").content.decode()


def beat(seconds_ago):
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id="w1",
        defaults={"started_at": now, "seen_at": now - timedelta(seconds=seconds_ago)},
    )


def test_warns_when_no_worker_ever_reported(dashboard):
    page = dashboard()
    assert WARNING in page
    assert "Ingen bakgrundsarbetare körs" in page


def test_warns_when_the_last_heartbeat_is_minutes_old(dashboard):
    beat(seconds_ago=4 * 60)
    assert WARNING in dashboard()


def test_quiet_while_a_worker_beats(dashboard):
    beat(seconds_ago=5)
    assert WARNING not in dashboard()


def test_quiet_when_tasks_run_in_the_request(dashboard, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert WARNING not in dashboard()


def test_housekeeping_forgets_workers_gone_for_a_day(db):
    beat(seconds_ago=2 * 86400)
    WorkerHeartbeat.objects.create(
        worker_id="w2", started_at=timezone.now(), seen_at=timezone.now()
    )
    call_command("housekeeping", stdout=io.StringIO())
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["w2"]
