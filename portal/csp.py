"""Content-Security-Policy on every response (django-csp), and the one place that picks the policy.

The public and member site runs under CONTENT_SECURITY_POLICY (settings/base.py): scripts and
styles only from our own files, no inline script or style, no plugins, never in a frame. An
injected `<script>` or `style=""` that got past the sanitiser would do nothing.

The Wagtail admin is the one exception: its own templates and JavaScript write inline scripts
and style attributes (panels, date pickers, notifications), which we cannot change. Below the
admin's URL, PORTAL_ADMIN_CONTENT_SECURITY_POLICY replaces the strict policy; only staff reach
those pages, behind login and TOTP. A view that sets its own policy with django-csp's decorators
keeps it.

Browsers report what a policy blocked to `violation_report`, which logs it (at most
PORTAL_RATE_LIMITS["csp_report"] per client, so a flood of reports cannot fill the log).
"""

import json
import logging
from functools import cache

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.ratelimits import rate_limit_consume

logger = logging.getLogger(__name__)

# A report is a few hundred bytes; anything past this is not read.
MAX_REPORT_BYTES = 8192
# Each logged field is cut to this length, so a report cannot write a page into the log.
MAX_FIELD_LENGTH = 300
REPORT_FIELDS = ("document-uri", "violated-directive", "blocked-uri", "source-file", "line-number")


@cache
def admin_prefix() -> str:
    return reverse("wagtailadmin_home")


def is_admin_path(path: str) -> bool:
    return path.startswith(admin_prefix())


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy below the admin's URL."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = settings.PORTAL_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def _clean(value) -> str:
    text = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return text[:MAX_FIELD_LENGTH]


@csrf_exempt  # browsers send reports without a session or token; all this does is log
@require_POST
def violation_report(request):
    """Log one CSP violation report (the `report-uri` format). Always 204: a browser does nothing
    with the answer, and a malformed or rate-limited report is simply not logged."""
    if rate_limit_consume(request, action="csp_report"):
        try:
            report = json.loads(request.read(MAX_REPORT_BYTES)).get("csp-report", {})
        except (ValueError, AttributeError):
            report = None
        if isinstance(report, dict) and report:
            logger.warning(
                "CSP violation: %s",
                ", ".join(f"{name}={_clean(report.get(name, ''))}" for name in REPORT_FIELDS),
            )
    return HttpResponse(status=204)
