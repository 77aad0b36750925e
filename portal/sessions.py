"""Sessions kept in the shared cache as well as the database, read in one round trip with the
content version.

Every request of a logged-in person reads their session, and every request reads the content
version (portal/page_cache.py). Django's `cached_db` sessions keep each session in the cache
too (written through to the database, so none is lost when the cache is emptied or culled);
`SessionPrefetchMiddleware` reads the session and the content version in one `get_many`, and
`SessionStore` takes the session from there instead of asking the cache again. A session the
cache does not hold is read from the database, as `cached_db` does.

Every way a session ends goes through the store (logout flushes it, a new login cycles its
key, the password check of Django's auth runs on each request), which deletes the cached copy
too; no code here deletes session rows behind its back.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.core.cache import cache

from . import page_cache, versioned

# (session key, its data or None when the cache did not hold it), for this request only.
_prefetched: ContextVar[tuple[str, dict | None] | None] = ContextVar(
    "portal_session_prefetched", default=None
)


def plausible(session_key: str) -> bool:
    # Django's keys are 32 lower-case letters and digits; anything else is not looked up.
    return 8 <= len(session_key) <= 40 and session_key.isalnum()


@contextmanager
def prefetched(session_key: str, data: dict | None):
    """The session `session_key` was read already (with `data`, or None when the cache did not
    hold it): the store takes it from here (portal/member_page_cache.py reads it with a page)."""
    token = _prefetched.set((session_key, data))
    try:
        yield
    finally:
        _prefetched.reset(token)


class SessionStore(cached_db.SessionStore):
    def load(self):
        found = _prefetched.get()
        if found is None or found[0] != self.session_key:
            return super().load()
        _prefetched.set(None)
        if found[1] is not None:
            return found[1]
        session = self._get_session_from_db()
        if not session:
            return {}
        data = self.decode(session.session_data)
        self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=session.expire_date))
        return data


class SessionPrefetchMiddleware:
    """Reads the session with the content version, before anything needs either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")
        already = _prefetched.get()
        if not plausible(session_key) or (already is not None and already[0] == session_key):
            return self.get_response(request)
        key = SessionStore.cache_key_prefix + session_key
        found = cache.get_many([page_cache.VERSION_KEY, key])
        if page_cache.VERSION_KEY in found:
            versioned.request_version(found[page_cache.VERSION_KEY])
        token = _prefetched.set((session_key, found.get(key)))
        try:
            return self.get_response(request)
        finally:
            _prefetched.reset(token)
