"""Tasks the worker tests queue (the worker processes import them by path)."""

from django_tasks import task


@task()
def explode() -> None:
    raise ValueError("a real failure of the task")
