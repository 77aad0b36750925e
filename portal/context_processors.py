from django.conf import settings
from wagtail.models import Site

from . import page_cache, versioned
from .site_settings import PortalSettings


def portal(request):
    """Navigation and language choices for the base layout.

    Worked out once per request (sections rendered with `render_to_string(request=...)` run the
    context processors again), and the menu and the site settings once per content version in
    each worker (portal/versioned.py)."""
    memo = getattr(request, "_portal_context", None)
    if memo is None:
        memo = request._portal_context = {
            "menu_pages": site_layout(request)["menu"],
            "portal_languages": settings.LANGUAGES,
            # For `{% cache fragment_seconds "name" ... content_version LANGUAGE_CODE %}`: a
            # fragment that is the same for every visitor, kept until the content changes.
            "content_version": page_cache.content_version(),
            "fragment_seconds": settings.PORTAL_FRAGMENT_CACHE_SECONDS,
        }
    return memo


def site_layout(request) -> dict:
    """The site's menu, settings and default language, once per request."""
    layout = getattr(request, "_portal_site_layout", None)
    if layout is None:
        layout = request._portal_site_layout = _layout(request)
    return layout


def _layout(request) -> dict:
    site = Site.find_for_request(request)
    if site is None:
        return {"menu": []}

    def load():
        pages = site.root_page.get_children().live().in_menu().public().only("title", "url_path")
        return {
            "menu": [{"title": page.title, "menu_url": page.get_url(request)} for page in pages],
            "settings": PortalSettings.for_site(site),
        }

    layout = versioned.remembered(("layout", site.pk), load, copied=True)
    layout["language"] = layout["settings"].default_language
    # Where Wagtail's `settings` in the templates looks first, so it asks the database no more.
    layout["settings"]._request = request
    setattr(request, PortalSettings.get_cache_attr_name(), layout["settings"])
    return layout
