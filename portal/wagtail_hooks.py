from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import page_cache, site_admin
from .housekeeping import task_results_abandoned_fail, task_results_prune


@hooks.register("before_serve_page")
def pages_are_cacheable(page, request, serve_args, serve_kwargs):
    """A page's answer to an anonymous visitor is the same for every one of them (see
    portal/page_cache.py for what is never stored)."""
    page_cache.mark_cacheable(request)


@hooks.register("portal_housekeeping")
def prune_task_results():
    return f"{task_results_prune()} finished background-task records deleted"


@hooks.register("portal_housekeeping")
def fail_abandoned_tasks():
    return f"{task_results_abandoned_fail()} tasks left running by a vanished worker marked failed"


@hooks.register("construct_help_menu")
def drop_english_help_links(request, menu_items):
    """Wagtail's guide and release notes exist only in English; a Swedish editor's help menu
    keeps what is in the admin itself (the keyboard shortcuts)."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in {"editor-guide"} and not item.name.startswith("whats-new-in-wagtail")
    ]


@hooks.register("register_admin_urls")
def site_admin_urls():
    return [path("webbplatser/ny/", site_admin.site_new, name="portal_site_new")]


class SuperuserMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_settings_menu_item")
def site_new_menu_item():
    return SuperuserMenuItem(
        _("New regional site"), reverse("portal_site_new"), icon_name="site", order=601
    )
