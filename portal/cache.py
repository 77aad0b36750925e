"""The cache every process shares, and the refusal to run production without one.

The rate limits (allauth's login and password-reset limits, the submission form, subscriptions)
count attempts in Django's cache. A per-process cache gives each gunicorn worker its own counters:
with four workers an attacker gets four times the attempts, and more as workers restart. So
production refuses to start unless the cache is one that every process sees (the database cache
by default, Redis when REDIS_URL is set; see the settings).
"""

from django.core.exceptions import ImproperlyConfigured

PER_PROCESS_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    # Forgets at once: every counter stays at zero.
    "django.core.cache.backends.dummy.DummyCache",
}


def require_shared_cache(caches: dict) -> None:
    """Raise ImproperlyConfigured when any configured cache is private to one process."""
    for alias, config in caches.items():
        if config.get("BACKEND") in PER_PROCESS_BACKENDS:
            raise ImproperlyConfigured(
                f"CACHES[{alias!r}] uses {config['BACKEND']}, which each process keeps for "
                "itself, so rate limits would be counted per worker. Use the database cache "
                "(the default; run `manage.py createcachetable`) or set REDIS_URL."
            )
