"""The site's own daily jobs for `manage.py housekeeping` (each app registers its own)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

TASK_RESULTS_KEPT_FOR = timedelta(days=7)
# No task of the portal runs this long: sending works in budgets of minutes and re-queues itself.
TASK_RUNNING_AT_MOST = timedelta(hours=6)


class WorkerVanished(Exception):
    """The worker running the task stopped (killed, machine restarted) before it finished."""


def task_results_prune(*, older_than: timedelta = TASK_RESULTS_KEPT_FOR) -> int:
    """Delete the records of background tasks that finished a week ago; returns how many.

    Each e-mail task keeps the message as rendered (addresses, invitation and calendar links)
    in its arguments, and every page save leaves a search-index task behind: kept forever,
    they would be a copy of the mail archive and an ever-growing table.
    """
    cutoff = timezone.now() - older_than
    deleted, _per_model = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted


def task_results_abandoned_fail(*, older_than: timedelta = TASK_RUNNING_AT_MOST) -> int:
    """Mark tasks "running" for longer than any task runs as failed; returns how many.

    A worker killed mid-task never finishes its row, so it would say "running" forever. The
    work itself is not lost: e-mail and newsletter sending resume from their own records.
    """
    cutoff = timezone.now() - older_than
    abandoned = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    count = 0
    for result in abandoned:
        result.set_failed(WorkerVanished(f"still running after {older_than}; its worker is gone"))
        count += 1
    return count
