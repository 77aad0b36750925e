"""One installation, several regional bodies: one Wagtail Site each.

Accounts, organisations and the vocabularies are shared; pages are not. A page belongs to the
site whose root page it lies under, so "the" calendar, catalogue, network list and newsletter
archive are the ones below the current site's root (one of each per site: the index pages say
`max_count_per_parent = 1`, and a site's root is its home page). Reads that list pages narrow
to the site with `site_pages_q`; only the national views (opt-in per item) cross sites.

A site's settings (portal/site_settings.py) hold its name, contact, logo, accessibility
statement and default language; `SiteLanguageMiddleware` opens the site in that language unless
the visitor chose one.
"""

from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, Site


def current_site(request) -> Site | None:
    """The site the request is for (Wagtail remembers it on the request)."""
    return Site.find_for_request(request) if request is not None else None


def root_paths() -> dict[int, str]:
    """Every site's id with the tree path of its root page (one small query)."""
    return dict(Site.objects.values_list("pk", "root_page__path"))


def site_pages_q(site, prefix: str = "") -> Q:
    """A Q that matches the pages (or rows pointing at pages via `prefix`) of one site."""
    if site is None:
        return Q()
    return Q(**{f"{prefix}path__startswith": root_paths()[site.pk]})


def site_index(model, site):
    """The site's one live page of an index type (calendar, catalogue...), or None."""
    if site is None:
        return None
    root = root_paths()[site.pk]
    return (
        model.objects.live()
        .filter(path__startswith=root, depth=len(root) // Page.steplen + 1)
        .first()
    )


def site_for_path(path: str, roots: dict[int, str] | None = None) -> int | None:
    """The id of the site a page (by tree path) belongs to: the deepest root above it."""
    roots = root_paths() if roots is None else roots
    found = [(len(root), pk) for pk, root in roots.items() if path.startswith(root)]
    return max(found)[1] if found else None


def site_names() -> dict[int, str]:
    """Every site's id with its name, for naming the site on items gathered across sites."""
    return {
        pk: name or hostname
        for pk, name, hostname in Site.objects.values_list("pk", "site_name", "hostname")
    }


class SiteLanguageMiddleware:
    """Opens a site in its default language (the Østfold site in Norwegian) unless the visitor
    chose a language (the language cookie; a logged-in user's choice wins after this)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings

        from .context_processors import site_layout

        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = site_layout(request).get("language", "")
            if language and language != request.LANGUAGE_CODE:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
