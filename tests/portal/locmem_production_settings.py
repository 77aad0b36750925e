"""Production settings with a per-process cache: what the shared-cache rule must refuse."""

from portal.settings.production import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
