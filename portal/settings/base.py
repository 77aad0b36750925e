"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
# `.localhost`: every regional site of the demo (sodertorn.localhost, ...) on loopback.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,.localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps, in the order their demo content builds on each other.
    "portal",
    "networks",
    "events",
    "networks.minutes",
    "goodpractice",
    "portal.newsletters",
    "questionnaires",
    "municipalities",
    "reports",
    # Before django_tasks_db: its `db_worker` command is the portal's (portal/worker/runner.py).
    "portal.worker",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that may answer early (bad input, the page cache), so every page has
    # the header; after WhiteNoise, which serves static files without it.
    "portal.csp.PortalCSPMiddleware",
    # Before anything reads the request: bad input gets a 400 page, never a 500.
    "portal.input.BadInputMiddleware",
    # Before the session, CSRF and message middleware: it must see every cookie they set.
    "portal.page_cache.AnonymousPageCacheMiddleware",
    # A member page for the same session, until anything is written (portal/member_page_cache.py);
    # it reads the session for SessionPrefetchMiddleware when it does not answer.
    "portal.member_page_cache.MemberPageCacheMiddleware",
    # A logged-in person's session with the content version, in one read (portal/sessions.py).
    "portal.sessions.SessionPrefetchMiddleware",
    # The Wagtail Site once per content version, before anything looks for it.
    "portal.versioned.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "portal.sites.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.UserLanguageMiddleware",
    # After the message middleware: it leaves a message on the way to the TOTP setup.
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before the MFA check, which reads permissions: admin rights follow membership dates.
    "networks.middleware.CoordinatorAdminRightsMiddleware",
    "portal.middleware.AdminRequiresMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Innermost: it sees the exceptions of the admin's views first (portal/input.py).
    "portal.input.AdminBadInputMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    # The embedded default: a SQLite file under var/, which a fresh clone does not have yet.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the task worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "portal.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # A person's permissions in one query; it logs nobody in (portal/accounts/backends.py).
    "portal.accounts.backends.PermissionsInOneQueryBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Languages -----------------------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("nb", "Norsk bokmål"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "portal" / "locale", BASE_DIR / "portal" / "locale_overrides"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SECURE = False

# --- Static and uploaded files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
# Form fields (not files) may be 2.5 MB together, Django's default: a 5 MB field is refused with
# the 400 page instead of being echoed back in the form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# No query-string value the portal asks for (searches, filters, tokens, pages) is this long.
PORTAL_MAX_QUERY_VALUE_LENGTH = 2000

# --- Wagtail ---------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Samverkansportalen"
# No avatars from gravatar.com: it would send a hash of every staff member's e-mail address to a
# third party on each admin page.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# The "what's new" banner links to release notes in English only.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")
PORTAL_BASE_URL = WAGTAILADMIN_BASE_URL
# Documents always go through Wagtail's serve view, so the access rule is asked on every download.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "doc",
    "odt",
    "xlsx",
    "xls",
    "ods",
    "pptx",
    "ppt",
    "txt",
    "csv",
]
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_I18N_ENABLED = False
# "simple": no English stemming or stop words on PostgreSQL, so it matches exactly what SQLite's
# FTS5 matches; Swedish/Norwegian words are normalised in Python (portal/text.py).
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "portal.search_backend", "SEARCH_CONFIG": "simple"}
}
WAGTAIL_USER_CUSTOM_FIELDS = ["organisation", "job_title", "phone", "preferred_language"]
WAGTAILADMIN_RICH_TEXT_EDITORS = {
    "default": {
        "WIDGET": "wagtail.admin.rich_text.DraftailRichTextArea",
        "OPTIONS": {
            "features": ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]
        },
    }
}
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

# --- Accounts (django-allauth) ---------------------------------------------------------------------
ACCOUNT_ADAPTER = "portal.accounts.adapter.PortalAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.accounts.forms.SignupProfileForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samverkansportalen] "
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PORTAL_BASE_URL.startswith("https") else "http"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/mina-sidor/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samverkansportalen"
# Require TOTP for staff and superusers before the Wagtail admin opens (on in production).
PORTAL_ADMIN_REQUIRES_MFA = env_bool("PORTAL_ADMIN_REQUIRES_MFA", False)

# --- E-mail ----------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Samverkansportalen <noreply@example.org>"
)
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# The mailbox the portal receives mail at (calendar replies, unsubscribe requests, bounces).
# Each invitation names its own plus-address of it as ORGANIZER: svar+<signed token>@domain.
PORTAL_REPLY_ADDRESS = os.environ.get("PORTAL_REPLY_ADDRESS", "svar@example.org")
# How `manage.py mail_receiver` gets that mail from the mail server: it listens for "lmtp" or
# "smtp" on PORTAL_INBOUND_HOST:PORTAL_INBOUND_PORT, and the mail server forwards to it.
PORTAL_INBOUND_PROTOCOL = os.environ.get("PORTAL_INBOUND_PROTOCOL", "lmtp")
PORTAL_INBOUND_HOST = os.environ.get("PORTAL_INBOUND_HOST", "127.0.0.1")
PORTAL_INBOUND_PORT = int(os.environ.get("PORTAL_INBOUND_PORT", "8024"))

# --- Background work -------------------------------------------------------------------------------
# Kolada's open API (municipalities/imports.py), for key figures by kommun.
PORTAL_KOLADA_URL = os.environ.get("PORTAL_KOLADA_URL", "https://api.kolada.se/v2")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

# --- Cache ---------------------------------------------------------------------------------------
# One cache that every process shares: the rate limits (login, password reset, submissions,
# subscriptions) count in it, so with several web workers an attacker cannot spread attempts over
# them. The database cache by default (`manage.py createcachetable` makes its table), Redis when
# REDIS_URL is set. A per-process cache (locmem) is refused in production (portal/cache.py).
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
            # Django's default of 300 entries is far too few at national scale: anonymous pages
            # (one per address and language), the fragments of every practice page, the member
            # spaces' fragments, every logged-in person's session (portal/sessions.py) and the
            # rate-limit counters all live here. Past the limit Django deletes the expired
            # entries, then a quarter of the rest (CULL_FREQUENCY 4), so a full table costs a
            # cull now and then, not one per write. PostgreSQL compresses the pages (TOAST):
            # 100,000 entries of 10-15 kB as stored are about 1-1.5 GB.
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("PORTAL_CACHE_MAX_ENTRIES", "100000")),
                "CULL_FREQUENCY": 4,
            },
        }
    }
PORTAL_REQUIRE_SHARED_CACHE = False

# Anonymous pages live this long at most in the cache (changes invalidate them at once).
PORTAL_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_PAGE_CACHE_SECONDS", "300"))
# Template fragments that are the same for every visitor (keyed by the content version, so a
# change replaces them at once; the time only bounds what a stale version leaves behind).
PORTAL_FRAGMENT_CACHE_SECONDS = 24 * 60 * 60
# Member-space fragments shared by a network's members (portal/member_fragments.py); short,
# because upcoming meetings drop out of them as time passes.
PORTAL_MEMBER_FRAGMENT_SECONDS = int(os.environ.get("PORTAL_MEMBER_FRAGMENT_SECONDS", "300"))
# Whole member pages kept for the session they were rendered for, until anything is written
# (portal/member_page_cache.py); 0 switches it off.
PORTAL_MEMBER_PAGE_CACHE_SECONDS = int(os.environ.get("PORTAL_MEMBER_PAGE_CACHE_SECONDS", "300"))

# --- Content-Security-Policy (django-csp, portal/csp.py) ------------------------------------------
# Enforced, not report-only. Every script and style is a file under /static/: no 'unsafe-inline',
# no nonces, so a script or style attribute that slipped into a page would not run.
# img-src allows data: for the TOTP QR code, which allauth draws as a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "report-uri": ["/csp-rapport/"],
    }
}
# The Wagtail admin (below its URL, portal/csp.py) writes inline scripts and style attributes in
# its own templates and JavaScript, so it gets 'unsafe-inline' for both; blob: images for the
# upload previews; and frame-src/frame-ancestors 'self' for the live preview, which shows the page
# in a frame of the editor. Everything else is as strict as the site's policy.
PORTAL_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    }
}

# --- Rate limits (portal/ratelimits.py) ------------------------------------------------------------
# The proxies whose X-Forwarded-For is believed: comma-separated addresses or networks, e.g.
# "127.0.0.1,10.0.0.0/8". Empty: the client is REMOTE_ADDR, whatever the header says.
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES")
# The portal's own limits, in allauth's notation (amount/period/per); allauth's login and
# password-reset limits are its defaults (ACCOUNT_RATE_LIMITS).
PORTAL_RATE_LIMITS = {
    # Newsletter forms that send an e-mail to the address typed in.
    "newsletter_mail": "10/h/ip",
    # Browsers' reports of what the Content-Security-Policy blocked, logged (portal/csp.py).
    "csp_report": "30/m/ip",
}

# `cached_db`, read with the content version (portal/sessions.py).
SESSION_ENGINE = "portal.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
