from wagtail import hooks

from .housekeeping import task_results_abandoned_fail, task_results_prune


@hooks.register("portal_housekeeping")
def prune_task_results():
    return f"{task_results_prune()} finished background-task records deleted"


@hooks.register("portal_housekeeping")
def fail_abandoned_tasks():
    return f"{task_results_abandoned_fail()} tasks left running by a vanished worker marked failed"
