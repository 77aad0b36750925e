"""The worker's pulse: heartbeats, who is alive, and the tasks of workers that are not.

Every `manage.py db_worker` process writes its heartbeat row every `heartbeat_seconds()`
(from a thread, so a long task does not silence it). From those rows:

- a task still "running" under a worker whose heartbeat stopped `lost_after()` ago is marked
  failed by the next living worker: its process was killed, and nothing else would finish the
  row (the work itself resumes from its own records: e-mail retries, newsletter deliveries);
- the Wagtail admin warns when no worker has been seen for `missing_after()`: then no e-mail,
  newsletter or index update runs.
"""

import os
import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from portal.housekeeping import WorkerVanished

from .models import WorkerHeartbeat


def heartbeat_seconds() -> float:
    return float(getattr(settings, "PORTAL_WORKER_HEARTBEAT_SECONDS", 10))


def lost_after() -> timedelta:
    """Three missed beats: the process is gone (a busy worker still beats, from its thread)."""
    return timedelta(seconds=3 * heartbeat_seconds())


def missing_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "PORTAL_WORKER_MISSING_AFTER", 180)))


def heartbeat_beat(*, worker_id: str, started_at) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"seen_at": now},
        create_defaults={
            "seen_at": now,
            "started_at": started_at,
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
        },
    )


def heartbeat_end(*, worker_id: str) -> None:
    """A worker stopping cleanly says so; its row would otherwise look alive for a while."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def heartbeats_prune() -> int:
    """Rows of workers gone for a day tell nothing any more."""
    cutoff = timezone.now() - timedelta(days=1)
    deleted, _per_model = WorkerHeartbeat.objects.filter(seen_at__lt=cutoff).delete()
    return deleted


def worker_last_seen():
    return WorkerHeartbeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()


def workers_needed() -> bool:
    """True when some task backend is the database queue, which only a worker empties."""
    return any(isinstance(backend, DatabaseBackend) for backend in task_backends.all())


def worker_missing() -> bool:
    """True when tasks wait for a worker and none has been seen for a few minutes."""
    if not workers_needed():
        return False
    seen = worker_last_seen()
    return seen is None or seen < timezone.now() - missing_after()


def tasks_of_lost_workers_fail() -> int:
    """Mark failed the tasks "running" under a worker whose heartbeat stopped; returns how many."""
    cutoff = timezone.now() - lost_after()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    count = 0
    for result in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        worker_id = result.worker_ids[-1] if result.worker_ids else None
        if worker_id in alive:
            continue
        result.set_failed(
            WorkerVanished(f"worker {worker_id} stopped beating while running this task")
        )
        count += 1
    return count
