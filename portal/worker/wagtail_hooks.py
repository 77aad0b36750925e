from wagtail import hooks
from wagtail.admin.ui.components import Component

from . import services


class WorkerMissingPanel(Component):
    """At the top of the admin dashboard while no task worker has been seen for minutes."""

    name = "worker_missing"
    template_name = "worker/missing_panel.html"
    order = 10

    def get_context_data(self, parent_context=None):
        return {
            "last_seen": services.worker_last_seen(),
            "minutes": int(services.missing_after().total_seconds() // 60),
        }


@hooks.register("construct_homepage_panels")
def worker_missing_panel(request, panels):
    if services.worker_missing():
        panels.append(WorkerMissingPanel())


@hooks.register("portal_housekeeping")
def prune_worker_heartbeats():
    return f"{services.heartbeats_prune()} heartbeats of workers gone for a day deleted"
