from django.conf import settings
from wagtail.models import Site


def portal(request):
    """Navigation and language choices for the base layout (one query for the menu)."""
    site = Site.find_for_request(request)
    menu = []
    if site is not None:
        menu = list(
            site.root_page.get_children().live().in_menu().public().only("title", "url_path")
        )
        for page in menu:
            page.menu_url = page.get_url(request)
    return {
        "menu_pages": menu,
        "site_root": site.root_page if site else None,
        "portal_languages": settings.LANGUAGES,
    }
