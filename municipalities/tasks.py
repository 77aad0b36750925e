"""Background work for municipalities: imports run by the worker, their progress on the run."""

from django_tasks import task

from . import imports
from .models import ImportRun


@task()
def import_run(*, run_id: int) -> str:
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None:
        return "gone"
    return imports.import_execute(run=run).summary()
