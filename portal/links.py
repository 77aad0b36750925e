"""Links to the portal from outside a request: e-mails, feeds, exports and background tasks.

Inside a request `request.build_absolute_uri` knows the host; a task or an e-mail does not, so
these use the public address from the settings (`PORTAL_BASE_URL`). That is the default site's
address; every other regional site is reached at its own (its Wagtail Site's root URL), which is
also what Wagtail puts in its pages' links once there is more than one site.
"""

from django.conf import settings


def base_url(site=None) -> str:
    """The public address of a site (default: the default site), without a trailing slash."""
    if site is not None and not site.is_default_site:
        return site.root_url.rstrip("/")
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute_url(path: str, site=None) -> str:
    """`path` (from `reverse()` or a page's `url`) as a full address on `site` (default: the
    default site's); full addresses stay."""
    if path.startswith(("http://", "https://")):
        return path
    return base_url(site) + path
