"""The portal's task worker: django-tasks-db's `Worker`, made to keep going.

Upstream (django-tasks-db 0.13) exits on the first database error that is not a locked SQLite
file: a PostgreSQL restart of a few seconds stopped all e-mail, newsletters and index updates
(the upstream request is RealOrangeOne/django-tasks-db#49; there is no option for it yet).
This subclass adds three things and leaves the claiming and running of tasks to upstream:

- **Reconnect with backoff.** A lost database closes the connections and waits, doubling
  from `RECONNECT_FIRST` up to `reconnect_max_seconds()`, then polls again; SIGTERM still stops
  it at once. A task cut off by the outage goes back to the queue (at least once, as the
  newsletter sending is: a mail sent just before the outage may go out again).
- **A heartbeat** from a thread (see `services`); each beat also fails the tasks of workers
  that stopped beating, so a killed worker's task does not say "running" for hours.
- **A task for a row that no longer exists is a no-op.** Wagtail's reference-index and search
  tasks take (app, model, pk) and look the row up when they run; when it was deleted in the
  meantime (demo loading, a page saved and its inline rows replaced) there is nothing to do.
  Such a task is recorded as successful with the reason, instead of as a failure with a
  traceback.
"""

import logging
import threading
import time
from functools import partial

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from . import services

logger = logging.getLogger(__name__)

DATABASE_DOWN = (OperationalError, InterfaceError)
RECONNECT_FIRST = 0.25


def reconnect_max_seconds() -> float:
    return float(getattr(settings, "PORTAL_WORKER_RECONNECT_MAX_SECONDS", 5))


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DATABASE_DOWN:
            connection.connection = None


def _database_reachable(db_result: DBTaskResult) -> bool:
    connection = connections[db_result._state.db or "default"]
    return connection.connection is not None and connection.is_usable()


def _record_failure(db_result: DBTaskResult, error: BaseException) -> None:
    """What upstream's `set_failed` does, but for a vanished row or a lost database."""
    if isinstance(error, ObjectDoesNotExist):
        logger.info("Task %s skipped: %s", db_result.task_path, error)
        db_result.set_successful({"skipped": str(error)})
        return
    if isinstance(error, DATABASE_DOWN) and not _database_reachable(db_result):
        raise error  # the run loop reconnects and puts the task back in the queue
    DBTaskResult.set_failed(db_result, error)


class Heartbeat(threading.Thread):
    def __init__(self, *, worker_id: str):
        super().__init__(name="worker-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.beating_since = None

    def beat(self) -> None:
        """Record this worker; judge the others only after beating a whole `lost_after()`.

        After an outage every worker's beats stopped, not only a dead one's: the others get
        that long to beat again before their running tasks would count as abandoned.
        """
        try:
            services.heartbeat_beat(worker_id=self.worker_id, started_at=self.started_at)
            if self.beating_since is None:
                self.beating_since = time.monotonic()
            if time.monotonic() - self.beating_since >= services.lost_after().total_seconds():
                services.tasks_of_lost_workers_fail()
        except DATABASE_DOWN as error:
            logger.warning("Heartbeat not recorded: %s", error)
            self.beating_since = None
            _close_connections()

    def run(self) -> None:
        while not self.stopping.is_set():
            self.beat()
            self.stopping.wait(services.heartbeat_seconds())
        try:
            services.heartbeat_end(worker_id=self.worker_id)
        except DATABASE_DOWN:
            pass
        finally:
            _close_connections()

    def stop(self) -> None:
        """Wait for the goodbye: longer than a database write may wait for a lock (SQLite's
        busy timeout is 20 s), or the process ends before the heartbeat row is removed."""
        self.stopping.set()
        self.join(30)


class PortalWorker(Worker):
    def run(self) -> None:
        heartbeat = Heartbeat(worker_id=self.worker_id)
        heartbeat.start()
        delay = RECONNECT_FIRST
        interrupted = False
        try:
            while self.running:
                try:
                    if interrupted:
                        self.requeue_interrupted()
                        interrupted, delay = False, RECONNECT_FIRST
                        logger.warning("Database reachable again; worker resumes")
                    super().run()
                    return
                except DATABASE_DOWN as error:
                    interrupted = True
                    self.startup_delay = False
                    logger.warning("Database unavailable (%s); retrying in %.2f s", error, delay)
                    _close_connections()
                    time.sleep(delay)
                    delay = min(delay * 2, reconnect_max_seconds())
        finally:
            heartbeat.stop()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # Upstream records any exception with `set_failed`; this instance's version knows the
        # two cases that are not failures of the task.
        db_task_result.set_failed = partial(_record_failure, db_task_result)
        super().run_task(db_task_result)

    def requeue_interrupted(self) -> None:
        """Tasks this worker had claimed when the database went away go back to the queue."""
        close_old_connections()
        for result in DBTaskResult.objects.running():
            if result.worker_ids and result.worker_ids[-1] == self.worker_id:
                result.status = TaskResultStatus.READY
                result.started_at = None
                result.save(update_fields=["status", "started_at"])
