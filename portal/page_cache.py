"""Anonymous pages from the shared cache, invalidated by a content version.

Why not a library: wagtail-cache (the usual choice) declares `wagtail<8`, so it is Django's cache
framework here, on the `default` cache that every worker shares (Redis with REDIS_URL).

What is cached: only responses that opted in (every Wagtail page, the site search, the public
feed) and only for a request that cannot belong to anybody: a GET without a session cookie and
without pending messages. Only a plain 200 is stored, and never one that set a cookie, used a CSRF
token, touched the session or said `Cache-Control: private/no-store/no-cache`. So a page with a
form that needs a token is rendered afresh every time, and a cached page never carries somebody's
name, menu, token or member-only link: no somebody was there when it was rendered.

When it is invalidated: every stored page carries the content version it was rendered under, and
counts only while that is still the current one (a random token in the cache, read with the page
in one round trip). Saving or deleting anything a page shows (any page, and the models in
`SHOWN_MODELS`) draws a new one, at once and again when the transaction commits (a request that
read the old rows between the two cannot store its page under the new version). Time alone also changes pages ("upcoming events"),
so entries live at most PORTAL_PAGE_CACHE_SECONDS.
"""

import hashlib
import secrets

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from . import versioned

VERSION_KEY = "portal:content-version"
HEADER = "X-Portal-Cache"

# Rows shown on pages that are not pages themselves (a page's own rows publish with it).
SHOWN_MODELS = [
    "portal.PortalSettings",
    "portal.Organisation",
    "portal.County",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "taggit.Tag",
    "events.EventSeries",
    "events.Registration",
    "goodpractice.CatalogueEntry",
    "goodpractice.Theme",
    "goodpractice.TargetGroup",
    "municipalities.FigureType",
    "municipalities.FigureValue",
    "municipalities.Quota",
    "municipalities.ContactPerson",
    "municipalities.ReportingRound",
    "municipalities.RoundParty",
]

# A draft saved or a page locked changes no published page.
DRAFT_ONLY_FIELDS = {
    "draft_title",
    "latest_revision",
    "latest_revision_created_at",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}


def read_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def content_version() -> str:
    """The current content version; read once per request (portal/versioned.py keeps it)."""
    return versioned.current_version() or read_version()


def content_changed() -> None:
    """Something a page shows changed: every cached page is stale from now on."""
    versioned.changed()
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None))


def _on_save(sender, update_fields=None, **kwargs):
    if update_fields and set(update_fields) <= DRAFT_ONLY_FIELDS:
        return
    content_changed()


def _on_change(sender, **kwargs):
    content_changed()


def _on_settings_save(sender, created=False, **kwargs):
    # Wagtail creates a site's settings row, with the defaults, on the first page it renders.
    if not created:
        content_changed()


def connect() -> None:
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Page, PageViewRestriction
    from wagtail.signals import post_page_move

    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(_on_save, sender=model, dispatch_uid=f"page-cache-{model._meta}")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"page-cache-{model._meta}")
    for label in SHOWN_MODELS:
        model = apps.get_model(label)
        on_save = _on_settings_save if issubclass(model, BaseSiteSetting) else _on_change
        post_save.connect(on_save, sender=model, dispatch_uid=f"page-cache-{label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"page-cache-{label}")
    post_page_move.connect(_on_change, dispatch_uid="page-cache-move")
    # Which groups a restriction lets in.
    m2m_changed.connect(
        _on_change, sender=PageViewRestriction.groups.through, dispatch_uid="page-cache-groups"
    )


def mark_cacheable(request) -> None:
    """The view's answer depends on nothing but the address and the language."""
    request.portal_cacheable = True


def cacheable(view):
    def wrapped(request, *args, **kwargs):
        mark_cacheable(request)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _anonymous_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request) -> str:
    language = translation.get_language_from_request(request)
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"portal:page:{language}:{digest}"


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    cache_control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and getattr(request, "portal_cacheable", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
    )


def from_cache(request, stored):
    """The stored (content, headers) as a response, or a 304 when the client holds it."""
    from django.http import HttpResponse

    content, headers = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
    not_modified = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=last_modified, response=response
    )
    return not_modified or response


class AnonymousPageCacheMiddleware:
    """Answers anonymous requests from the cache; stores what may be stored. Placed before the
    session, CSRF and message middleware, so it sees every cookie they set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.PORTAL_PAGE_CACHE_SECONDS
        if not timeout or not _anonymous_request(request):
            return self.get_response(request)
        # The page and the content version in one round trip; the page holds the version it
        # was rendered under and counts only while that is still the current one.
        key = _key(request)
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY) or read_version()
        versioned.request_version(version)
        stored = found.get(key)
        if stored is not None and stored[0] == version:
            return from_cache(request, stored[1:])
        response = self.get_response(request)
        if _storable(request, response):
            headers = [(name, value) for name, value in response.items() if name != HEADER]
            cache.set(key, (version, response.content, headers), timeout)
            response[HEADER] = "miss"
        return response
