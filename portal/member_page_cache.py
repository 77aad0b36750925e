"""Member pages from the shared cache: a page is given again only to the session it was rendered
for, and only until anything at all is written to the database.

Why: a member page costs a logged-in request's whole stack (session, user, CSRF, messages,
language, the access rule, the layout) before its own rendering, so no fragment cache brings it
near what a stored page costs. The pages that opted in (`mark_cacheable`) are kept whole and
answered before any of that runs, in one read of the shared cache.

For whom (the key): the address (scheme, host, path and query), the language the request asks
for (language cookie, Accept-Language) and
- for a page of the session (`per="session"`: member space, directory, minutes, Mina sidor):
  the session key and the CSRF cookie. A session key is the browser's secret, so no one else's
  request can name the entry; the page's CSRF token was made from that CSRF cookie, so it stays
  valid for the request that gets it. On a hit the session must still be in the cache and still
  name the same user with the same password hash (a logout deletes it, a new login gets a new
  key), and hold no pending message;
- for an address that is its own credential (`per="address"`: the personal calendar feed, whose
  URL holds the person's secret key), the address alone, whoever asks.

When it is stale: each entry holds the write version it was rendered under and counts only while
that is still the current one. Every statement that writes to the database (INSERT, UPDATE,
DELETE; any model, also `QuerySet.update()`, bulk writes and raw SQL, in any process: requests,
tasks, commands) draws a new one, at once and again when its transaction commits, except writes
to the cache table itself. So a publish, an ended membership, a renamed person, a new action item,
an answered invitation or a revoked key is shown by the next request. Memberships also start and
end by date, so an entry holds the date it was made for; and upcoming meetings drop out as time
passes, so it lives at most PORTAL_MEMBER_PAGE_CACHE_SECONDS. A request that wrote anything, used
a new CSRF cookie, changed its session, set a cookie or answered anything but a 200 stores nothing.

This is deliberately coarse: any write anywhere renders every member page afresh, which costs a
render, never a wrong page.
"""

import hashlib
import re
import secrets
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.utils import timezone

from . import page_cache, sessions, versioned
from .csp import is_admin_path

VERSION_KEY = "portal:write-version"
HEADER = page_cache.HEADER
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)
# Whether the current request wrote anything (None outside a request that may store its page).
_wrote: ContextVar[list | None] = ContextVar("portal_member_page_wrote", default=None)


def enabled() -> bool:
    return settings.PORTAL_MEMBER_PAGE_CACHE_SECONDS > 0


def mark_cacheable(request, *, per: str = "session") -> None:
    """The view's answer depends on nothing but the address, the language and, with
    `per="session"`, the person of the session (what they may see is still decided by the access
    rule when the page is rendered)."""
    assert per in ("session", "address")
    request.portal_member_cacheable = per


# --- the write version -------------------------------------------------------------------------


def _cache_tables() -> set[str]:
    return {
        config["LOCATION"]
        for config in settings.CACHES.values()
        if config["BACKEND"].endswith("DatabaseCache")
    }


def _draw() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


def written(connection) -> None:
    """Something was written on `connection`: member pages are stale from now on (at once and
    again when the transaction commits, so a request that read the old rows in between cannot
    store its page under the new version)."""
    wrote = _wrote.get()
    if wrote is not None:
        wrote.append(True)
    _draw()
    if connection.in_atomic_block and not any(
        callback is _draw for _sids, callback, _robust in connection.run_on_commit
    ):
        connection.on_commit(_draw)


_ready: set = set()


def _cache_ready(connection) -> bool:
    """Whether the cache can be written: not while `migrate` has not made the cache table yet
    (nothing can be cached then either). Asked once per process and connection alias."""
    tables = _cache_tables()
    if not tables or connection.alias in _ready:
        return True
    if tables <= set(connection.introspection.table_names()):
        _ready.add(connection.alias)
        return True
    return False


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if enabled():
        found = _WRITE.match(sql)
        connection = context["connection"]
        if found and found.group(1) not in _cache_tables() and _cache_ready(connection):
            written(connection)
    return result


def _on_connection(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def connect() -> None:
    from django.db import connections

    connection_created.connect(_on_connection, dispatch_uid="member-page-cache-writes")
    for connection in connections.all(initialized_only=True):
        _on_connection(None, connection)


def read_version(found: dict) -> str:
    version = found.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


# --- the middleware ----------------------------------------------------------------------------


def _key(request, per: str) -> str:
    parts = [
        per,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
        request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
    ]
    if per == "session":
        parts += [
            request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""),
            request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"portal:member-page:{digest}"


def _person(session: dict | None) -> tuple | None:
    if not session or SESSION_KEY not in session or "_messages" in session:
        return None
    return (str(session[SESSION_KEY]), session.get(HASH_SESSION_KEY, ""))


def _only_csrf_renewed(request, response) -> bool:
    """The response sets no cookie but the request's own CSRF cookie again (Django renews its
    expiry whenever a page uses the token): a new or rotated one would not match the page."""
    name = settings.CSRF_COOKIE_NAME
    if not response.cookies:
        return True
    return set(response.cookies) == {name} and response.cookies[name].value == request.COOKIES.get(
        name
    )


def _storable(request, response) -> str | None:
    per = getattr(request, "portal_member_cacheable", None)
    session = getattr(request, "session", None)
    if per is None or request.method != "GET" or response.status_code != 200:
        return None
    # A preview shows a draft, from the admin: never kept.
    if getattr(request, "is_preview", False) or is_admin_path(request.path_info):
        return None
    # Its Cache-Control (member pages say no-store, private) is for browsers and proxies, and is
    # given again with the page; this is the server's own copy of what it rendered.
    if response.streaming:
        return None
    if not _only_csrf_renewed(request, response) or not versioned.active():
        return None
    if session is not None and session.modified:
        return None
    if per == "session" and not request.user.is_authenticated:
        return None
    return per


class MemberPageCacheMiddleware:
    """Answers a GET for a page that opted in from the cache, before the session, CSRF, message
    and authentication middleware run; stores what may be stored. Placed after the anonymous
    page cache and before SessionPrefetchMiddleware, whose read it makes for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not enabled() or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.COOKIES.get("messages"):
            return self.get_response(request)
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        keys = {"address": _key(request, "address")}
        wanted = [VERSION_KEY, page_cache.VERSION_KEY, keys["address"]]
        session_cache_key = None
        if sessions.plausible(session_key):
            keys["session"] = _key(request, "session")
            session_cache_key = sessions.SessionStore.cache_key_prefix + session_key
            wanted += [keys["session"], session_cache_key]
        found = cache.get_many(wanted)
        if page_cache.VERSION_KEY in found:
            versioned.request_version(found[page_cache.VERSION_KEY])
        version = read_version(found)
        today = timezone.localdate().isoformat()
        person = _person(found.get(session_cache_key)) if session_cache_key else None
        for per, key in keys.items():
            stored = found.get(key)
            if stored is None or stored[0] != (version, today):
                continue
            if per == "session" and (person is None or stored[1] != person):
                continue
            return page_cache.from_cache(request, stored[2:])
        token = _wrote.set([])
        try:
            if session_cache_key:
                with sessions.prefetched(session_key, found.get(session_cache_key)):
                    response = self.get_response(request)
            else:
                response = self.get_response(request)
            per = _storable(request, response) if not _wrote.get() else None
        finally:
            _wrote.reset(token)
        if per is not None:
            who = _person(request.session) if per == "session" else None
            if per == "address" or who is not None:
                headers = [(name, value) for name, value in response.items() if name != HEADER]
                value = ((version, today), who, response.content, headers)
                cache.set(keys[per], value, settings.PORTAL_MEMBER_PAGE_CACHE_SECONDS)
                response[HEADER] = "miss"
        return response
