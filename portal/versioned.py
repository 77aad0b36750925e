"""Reads that every request of one content version shares, kept in this process.

The site for a host name, the route from an address to a page, the pages' view restrictions and
where the member spaces are change only when content changes, and every change draws a new
content version (portal/page_cache.py). So each worker keeps them for as long as the version is
the one it read at the start of the request: one read of the shared cache instead of a query per
lookup, on every page, for every visitor.

What is kept here describes the content, never a person: who may see what is still decided per
request by networks/access.py, from the user's own memberships. Outside a request (tasks,
commands, the shell) nothing is kept, and neither is anything in a request that changed content
itself (it must see its own, maybe uncommitted, change, which no other request may be given).

Why `connect()` replaces three of Wagtail's methods instead of overriding them (checked against
Wagtail 8.0; its issues #9756 and #14108 describe the same repeated queries, with no setting or
hook to answer them): Wagtail calls them on objects the project does not make.
- `Site.get_site_root_paths` is a static method that `Page._get_site_root_paths` calls for
  every page whose URL is worked out, also for plain `Page` instances (menus, breadcrumbs,
  `get_children()`, the admin), which a method on the project's own page classes never sees.
  There is no Site manager or setting behind it, only Django's cache (one round trip each).
- `Page.get_view_restrictions` is called by Wagtail's own `before_serve_page` hook
  (`check_view_restrictions`), which cannot be unregistered, for every page served: a mixin on
  each page class would have to be on every class (a forgotten one costs a query, silently).
- `PageQuerySet.private_q` is what `.public()` and `.not_public()` use, also on
  `Page.objects`, Wagtail's own manager, which a custom queryset on the project's page classes
  does not replace.
Outside a request each stays Wagtail's own, so the admin, tasks and commands are unchanged;
tests/portal/test_versioned.py fails if an upgrade renames one (the query counts grow).
"""

import copy
from contextvars import ContextVar

from django.core.signals import request_finished, request_started

_process: dict = {"version": None, "values": {}}
# Per request: None outside one; {"version": ..., "changed": bool} inside.
_request: ContextVar[dict | None] = ContextVar("portal_versioned_request", default=None)


def begin_request(**kwargs) -> None:
    _request.set({"version": None, "changed": False})


def end_request(**kwargs) -> None:
    _request.set(None)


request_started.connect(begin_request, dispatch_uid="portal_versioned_begin")
request_finished.connect(end_request, dispatch_uid="portal_versioned_end")


def request_version(version: str) -> None:
    """The content version this request was found to run under (read with its cached page)."""
    state = _request.get()
    if state is not None and state["version"] is None:
        state["version"] = version


def current_version() -> str | None:
    """This request's content version (read once per request), None outside a request."""
    from . import page_cache

    state = _request.get()
    if state is None:
        return None
    if state["version"] is None:
        state["version"] = page_cache.read_version()
    return state["version"]


def changed() -> None:
    """Content changed in this process: forget everything kept, and keep nothing more in this
    request."""
    _process["version"] = None
    _process["values"] = {}
    state = _request.get()
    if state is not None:
        state["changed"] = True


def forget() -> None:
    """Forget everything kept in this process (the tests call it between tests)."""
    _process["version"] = None
    _process["values"] = {}


def remembered(key, compute, *, copied: bool = False):
    """`compute()`, worked out once per content version in this process. With `copied`, every
    caller gets its own deep copy (for model instances, which a request may change)."""
    state = _request.get()
    if state is None or state["changed"]:
        return compute()
    version = current_version()
    if _process["version"] != version:
        _process["version"] = version
        _process["values"] = {}
    values = _process["values"]
    if key not in values:
        values[key] = compute()
    return copy.deepcopy(values[key]) if copied else values[key]


def active() -> bool:
    """Whether this request may use what is kept (inside a request that changed nothing)."""
    state = _request.get()
    return state is not None and not state["changed"]


# --- the site for a host name ------------------------------------------------------------------


class SiteMiddleware:
    """Finds the request's Wagtail Site once per content version (Wagtail asks the database on
    every request), where `Site.find_for_request` looks first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http.request import split_domain_port
        from wagtail.models import Site

        if not hasattr(request, "_wagtail_site"):
            key = ("site", split_domain_port(request._get_raw_host())[0], request.get_port())
            request._wagtail_site = remembered(
                key, lambda: Site._find_for_request(request), copied=True
            )
        return self.get_response(request)


# --- the route from an address to a page --------------------------------------------------------


def _route(request, path):
    from wagtail.models import Page

    found = Page.route_for_request(request, path)
    if found is None:
        return None
    page, args, kwargs = found
    return type(page), page.pk, args, kwargs, getattr(request, "routable_resolver_match", None)


def route(request, path) -> None:
    """Where Wagtail's `Page.route_for_request` looks first: the page an address leads to, found
    once per content version (Wagtail walks the tree with two queries per level), and loaded
    with one query."""
    from wagtail.models import Site
    from wagtail.url_routing import RouteResult

    site = Site.find_for_request(request)
    if site is None or hasattr(request, "_wagtail_route_for_request"):
        return
    kept = remembered(("route", site.pk, path), lambda: _route(request, path))
    if kept is None or hasattr(request, "_wagtail_route_for_request"):
        return
    model, pk, args, kwargs, resolver_match = kept
    page = model.objects.filter(pk=pk).first()
    if page is None:
        return
    request._wagtail_route_for_request = RouteResult(page, args=args, kwargs=kwargs)
    if resolver_match is not None:
        request.routable_resolver_match = resolver_match


# --- the pages' view restrictions ---------------------------------------------------------------


def _load_restrictions() -> dict:
    from wagtail.models import Page, PageViewRestriction

    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    return {
        "restrictions": [(restriction.page.path, restriction) for restriction in restrictions],
        "aliases": set(Page.objects.filter(alias_of__isnull=False).values_list("path", flat=True)),
    }


def _restrictions() -> dict:
    return remembered("page-view-restrictions", _load_restrictions)


def connect() -> None:
    """Three of Wagtail's readers answer from what is kept: the sites' root paths (read from the
    shared cache for every page URL worked out without a request), and the page view
    restrictions, read by the check before a page is served (`Page.get_view_restrictions`) and
    by `.public()`/`.not_public()` (`PageQuerySet.private_q`) with a query every time. All stay
    Wagtail's own outside a request; the second still returns a QuerySet, so the admin's uses
    are intact."""
    from django.db.models import Q
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.query import PageQuerySet

    own_root_paths = Site.get_site_root_paths
    own_restrictions = Page.get_view_restrictions
    own_private_q = PageQuerySet.private_q

    def get_site_root_paths():
        return remembered("site-root-paths", own_root_paths) if active() else own_root_paths()

    def get_view_restrictions(page):
        if not active() or page.alias_of_id:
            return own_restrictions(page)
        kept = _restrictions()
        above = {page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)}
        if above & kept["aliases"]:
            return own_restrictions(page)
        found = [restriction for path, restriction in kept["restrictions"] if path in above]
        restrictions = PageViewRestriction.objects.filter(pk__in=[r.pk for r in found])
        # A QuerySet already evaluated: iterating it asks nothing, refining it asks afresh.
        restrictions._result_cache = copy.deepcopy(found)
        restrictions._prefetch_done = True
        return restrictions

    def private_q(queryset):
        if not active():
            return own_private_q(queryset)
        q = Q()
        for path, _restriction in _restrictions()["restrictions"]:
            q |= Q(path__startswith=path)
        return q if q else Q(pk__in=[])

    Site.get_site_root_paths = staticmethod(get_site_root_paths)
    Page.get_view_restrictions = get_view_restrictions
    PageQuerySet.private_q = private_q
