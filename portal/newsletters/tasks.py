"""Background tasks of the newsletter (django-tasks; the database backend's worker runs them).

Every task takes ids, not objects, and is idempotent: running it twice, or on two workers at
once, sends nothing twice (the Delivery claims in sending.py see to that).
"""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task, task_backends

from . import sending
from .models import Dispatch, NewsletterIssuePage

logger = logging.getLogger(__name__)


def enqueue(task_function, *, at=None, **kwargs) -> None:
    """Queue a task, at a time when the backend can wait (the database backend can).

    The immediate backend (unit tests) runs at once and cannot wait: a task meant for later is
    then left out, and tests that need waiting use the database backend and a real worker.
    """
    backend = task_backends[task_function.backend]
    if at is not None and at > timezone.now():
        if not backend.supports_defer:
            logger.info("%s not queued: backend cannot wait until %s", task_function.name, at)
            return
        task_function.using(run_after=at).enqueue(**kwargs)
        return
    task_function.enqueue(**kwargs)


@task()
def dispatch_run(*, dispatch_id: int) -> dict:
    """Send what is due of one dispatch; queue the next run when retries are waiting."""
    if not Dispatch.objects.filter(pk=dispatch_id).exists():
        return {"skipped": "gone"}
    dispatch = sending.dispatch_start(dispatch_id=dispatch_id)
    if dispatch is None:
        return {"skipped": "not open"}
    result = sending.dispatch_send(dispatch=dispatch)
    next_at = sending.dispatch_settle(dispatch_id=dispatch_id)
    if result.out_of_time:
        enqueue(dispatch_run, dispatch_id=dispatch_id)
    elif next_at is not None:
        enqueue(dispatch_run, at=next_at, dispatch_id=dispatch_id)
    return {"sent": result.sent, "failed": result.failed, "retry": result.retry}


@task()
def dispatch_watch(*, dispatch_id: int) -> str:
    """While a dispatch is open, every `watch_seconds()`: restart the sending if nobody is on it.

    This is what makes a killed worker's dispatch resume: the watch task waits in the queue,
    and whichever worker runs next picks it up.
    """
    dispatch = Dispatch.objects.filter(pk=dispatch_id).first()
    if dispatch is None or not dispatch.is_open:
        return "closed"
    again = timezone.now() + timedelta(seconds=sending.watch_seconds())
    if dispatch.started_at is None:
        if dispatch.send_at <= timezone.now():
            enqueue(dispatch_run, dispatch_id=dispatch_id)
    else:
        sending.dispatch_settle(dispatch_id=dispatch_id)
        dispatch.refresh_from_db()
        if not dispatch.is_open:
            return "finished"
        if sending.dispatch_is_stalled(dispatch_id=dispatch_id):
            logger.warning("Dispatch %s stalled; starting a new run", dispatch_id)
            enqueue(dispatch_run, dispatch_id=dispatch_id)
    enqueue(dispatch_watch, at=again, dispatch_id=dispatch_id)
    return "watching"


@task()
def issue_send_test(*, issue_id: int, email: str) -> None:
    issue = NewsletterIssuePage.objects.get(pk=issue_id)
    sending.issue_send_test(issue=issue, email=email)
