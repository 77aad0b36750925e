"""Links to the portal from outside a request: e-mails, feeds, exports and background tasks.

Inside a request `request.build_absolute_uri` knows the host; a task or an e-mail does not, so
these use the public address from the settings (`PORTAL_BASE_URL`).
"""

from django.conf import settings


def base_url() -> str:
    """The portal's public address, without a trailing slash."""
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """`path` (from `reverse()` or a page's `url`) as a full address; full addresses stay."""
    if path.startswith(("http://", "https://")):
        return path
    return base_url() + path
