"""The site's own daily jobs for `manage.py housekeeping` (each app registers its own)."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

TASK_RESULTS_KEPT_FOR = timedelta(days=7)


def task_results_prune(*, older_than: timedelta = TASK_RESULTS_KEPT_FOR) -> int:
    """Delete the records of background tasks that finished a week ago; returns how many.

    Each e-mail task keeps the message as rendered (addresses, invitation and calendar links)
    in its arguments, and every page save leaves a search-index task behind: kept forever,
    they would be a copy of the mail archive and an ever-growing table.
    """
    cutoff = timezone.now() - older_than
    deleted, _per_model = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    return deleted
