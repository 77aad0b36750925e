"""The task worker (`manage.py db_worker`, portal/worker/runner.py) as real processes.

The PostgreSQL outage itself is in test_faults.py; these run on both databases.
"""

import signal
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from portal.worker.models import WorkerHeartbeat
from tests.factories import StandardPageFactory
from tests.newsletters.worker import SharedDatabase
from tests.worker.tasks import explode

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DATABASE_QUEUE


def run_batch(tmp_path):
    with SharedDatabase(tmp_path) as shared:
        worker = shared.start_worker("--batch")
        assert worker.wait(60) == 0, worker.stderr.read().decode()[-3000:]


def test_a_task_for_a_row_deleted_before_it_ran_is_a_no_op(database_queue, home, tmp_path):
    # What load_demo did: save rows (each save queues reference- and search-index tasks with
    # the row's pk), then delete some before the worker got to them.
    page = StandardPageFactory(parent=home, title="Kortlivad sida")
    page_pk = page.pk
    page.delete()
    assert any(str(page_pk) in r.args_kwargs["args"] for r in DBTaskResult.objects.all())

    run_batch(tmp_path)

    assert not DBTaskResult.objects.failed().exists(), DBTaskResult.objects.failed().first()
    results = DBTaskResult.objects.filter(task_path__startswith="wagtail.tasks")
    assert results.exists()
    assert all(r.status == "SUCCESSFUL" for r in results)
    assert any("does not exist" in str(r.return_value) for r in results)


def test_a_task_that_fails_for_a_real_reason_still_fails(database_queue, tmp_path):
    result = explode.enqueue()
    run_batch(tmp_path)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED"
    assert row.exception_class_path == "builtins.ValueError"


def test_a_running_worker_beats_and_a_stopped_one_says_goodbye(database_queue, tmp_path):
    seen = "SELECT COUNT(*) FROM worker_workerheartbeat"
    with SharedDatabase(tmp_path) as shared:
        worker = shared.start_worker()
        shared.wait_until(seen, 1, timeout=30)
        shared.stop(worker)
        assert worker.returncode == 0
        assert shared.scalar(seen) == 0


def test_the_task_of_a_killed_worker_is_failed_soon_not_after_six_hours(database_queue, tmp_path):
    result = explode.enqueue()
    DBTaskResult.objects.filter(pk=result.id).update(
        status="RUNNING",
        worker_ids=["killed-worker"],
        started_at=timezone.now() - timedelta(minutes=2),
    )
    WorkerHeartbeat.objects.create(
        worker_id="killed-worker",
        started_at=timezone.now() - timedelta(minutes=3),
        seen_at=timezone.now() - timedelta(minutes=2),
    )
    failed = "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
    with SharedDatabase(tmp_path) as shared:
        worker = shared.start_worker()
        try:
            shared.wait_until(failed, 1, timeout=30)
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(15)
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.exception_class_path == "portal.housekeeping.WorkerVanished"
