from django.conf import settings
from django.core.cache import cache
from wagtail.models import Site

from . import page_cache


def portal(request):
    """Navigation and language choices for the base layout.

    Worked out once per request (sections rendered with `render_to_string(request=...)` run the
    context processors again) and the menu once per content version, for every worker."""
    memo = getattr(request, "_portal_context", None)
    if memo is None:
        memo = request._portal_context = {
            "menu_pages": menu_items(request),
            "portal_languages": settings.LANGUAGES,
        }
    return memo


def menu_items(request) -> list[dict]:
    site = Site.find_for_request(request)
    if site is None:
        return []
    key = f"portal:menu:{page_cache.content_version(request)}:{site.pk}"
    items = cache.get(key)
    if items is None:
        pages = site.root_page.get_children().live().in_menu().public().only("title", "url_path")
        items = [{"title": page.title, "menu_url": page.get_url(request)} for page in pages]
        cache.set(key, items, 24 * 60 * 60)
    return items
