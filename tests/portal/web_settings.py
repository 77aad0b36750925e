"""Settings for real gunicorn processes in the rate-limit tests: the test settings, with allauth's
rate limits on and the shared-cache rule of production. The database comes from the environment."""

from portal.settings.test import *  # noqa: F403

ACCOUNT_RATE_LIMITS = {}  # allauth's defaults, as in production
PORTAL_REQUIRE_SHARED_CACHE = True
