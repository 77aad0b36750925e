"""Test settings: fast hashing, tasks run on the spot unless a test is about the queue itself."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
ACCOUNT_RATE_LIMITS = False
PORTAL_RATE_LIMITS = {}  # tests about a limit switch it on
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL = "http://testserver"
LANGUAGE_CODE = "sv"
# Most tests look at a page's context, which a cached answer has not: the page cache is tested
# on its own (tests/portal/test_page_cache.py), with this turned on.
PORTAL_PAGE_CACHE_SECONDS = 0
# The same for whole member pages (tested in tests/portal/test_member_page_cache.py).
PORTAL_MEMBER_PAGE_CACHE_SECONDS = 0
