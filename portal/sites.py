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

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
)

from . import versioned


def current_site(request) -> Site | None:
    """The site the request is for (Wagtail remembers it on the request)."""
    return Site.find_for_request(request) if request is not None else None


def site_pages_q(site, prefix: str = "") -> Q:
    """A Q that matches the pages (or rows pointing at pages via `prefix`) of one site."""
    if site is None:
        return Q()
    # Site.find_for_request loads the root page with the site: no query here.
    return Q(**{f"{prefix}path__startswith": site.root_page.path})


def site_index(model, site):
    """The site's one live page of an index type (calendar, catalogue...), or None."""
    if site is None:
        return None
    root = site.root_page.path
    return (
        model.objects.live()
        .filter(path__startswith=root, depth=len(root) // Page.steplen + 1)
        .first()
    )


def all_sites(request=None) -> list[Site]:
    """Every site, with its root page's path (`root_path`); once per request when given one,
    and once per content version in each worker (a site saved draws a new one)."""
    sites = getattr(request, "_portal_sites", None)
    if sites is None:
        sites = versioned.remembered("all-sites", _load_sites, copied=True)
        if request is not None:
            request._portal_sites = sites
    return sites


def _load_sites() -> list[Site]:
    return list(Site.objects.annotate(root_path=F("root_page__path")).order_by("site_name"))


def site_of_page(page, request=None) -> Site | None:
    """The site a page belongs to, None while the installation has one site."""
    sites = all_sites(request)
    if len(sites) < 2:
        return None
    found = [site for site in sites if page.path.startswith(site.root_path)]
    return max(found, key=lambda site: len(site.root_path)) if found else None


class SiteLanguageMiddleware:
    """Opens a site in its default language (the Østfold site in Norwegian) unless the visitor
    chose a language (the language cookie; a logged-in user's choice wins after this)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .context_processors import site_layout

        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            language = site_layout(request).get("language", "")
            if language and language != request.LANGUAGE_CODE:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)


# --- making a regional site (the admin's "Ny regional webbplats" and `manage.py site_create`) ---

# Each site's sections, in menu order: the page type, its slug (the same URLs on every site)
# and its title, in the site's language.
SECTIONS = [
    ("networks.NetworkIndexPage", "natverk", _("Networks")),
    ("events.EventIndexPage", "kalender", _("Calendar")),
    ("goodpractice.PracticeIndexPage", "goda-exempel", _("Good practice")),
    ("newsletters.NewsletterIndexPage", "nyhetsbrev", _("Newsletters")),
]
STRATEGIST_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
# Records the strategists keep in the admin: meetings outside the portal (reports/models.py).
STRATEGIST_MODEL_PERMISSIONS = (
    ("reports", "add_externalmeeting"),
    ("reports", "change_externalmeeting"),
    ("reports", "delete_externalmeeting"),
    ("reports", "view_externalmeeting"),
)

STRATEGIST_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
)


@transaction.atomic
def site_create(*, name: str, hostname: str, port: int = 80, language: str = "") -> Site:
    """A new regional site in one step: its home page with an empty network list, calendar,
    catalogue and newsletter archive, its strategists' and moderators' groups with rights on
    this site only, its collection and its settings. Served at once at `hostname:port`.
    Running it again for the same address changes nothing."""
    existing = Site.objects.filter(hostname=hostname, port=port).first()
    if existing is not None:
        return existing
    from portal.pages import HomePage

    with translation.override(language or settings.LANGUAGE_CODE):
        home = HomePage(title=name, slug=_free_root_slug(slugify(hostname.split(".")[0])))
        Page.get_first_root_node().add_child(instance=home)
        home.save_revision().publish()
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, site_name=name)
        for label, slug, title in SECTIONS:
            page = apps.get_model(label)(title=str(title), slug=slug, show_in_menus=True)
            home.add_child(instance=page)
            page.save_revision().publish()
    site_setup(site=site, name=name, language=language)
    return site


def _free_root_slug(slug: str) -> str:
    taken = set(Page.get_first_root_node().get_children().values_list("slug", flat=True))
    candidate, n = slug or "webbplats", 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


@transaction.atomic
def site_setup(*, site: Site, name: str = "", language: str | None = None) -> None:
    """Give a site (new, or one made before sites were regional) its groups, their rights on
    this site's pages and collection, and its settings; idempotent."""
    from goodpractice.services import moderation_workflow
    from networks.access import moderators_group, strategists_group

    from .site_settings import PortalSettings

    strategists = strategists_group(site)
    moderators = moderators_group(site)
    collection = _site_collection(site, name or site.site_name or site.hostname)
    access_admin = Permission.objects.get(codename="access_admin")
    for group, codenames in (
        (strategists, STRATEGIST_PAGE_PERMISSIONS),
        (moderators, MODERATOR_PAGE_PERMISSIONS),
    ):
        group.permissions.add(access_admin)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=site.root_page_id,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    # Rights on this site only: Wagtail's first "Moderators" group, the default site's, comes
    # with rights on the whole tree; they are narrowed to this site's root.
    root_path = site.root_page.path
    GroupPagePermission.objects.filter(group__in=[strategists, moderators]).exclude(
        page__path__startswith=root_path
    ).delete()
    for app_label, codename in STRATEGIST_MODEL_PERMISSIONS:
        # Absent while migrations run (Django makes permissions after them); the next call adds.
        strategists.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        )
    # Documents and images: the site's own collection; a network's private collection is its
    # coordinators' (networks/services.py), never a site role's.
    for group in (strategists, moderators):
        for app_label, codename in STRATEGIST_COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )
    GroupCollectionPermission.objects.filter(group__in=[strategists, moderators]).exclude(
        collection__path__startswith=collection.path
    ).delete()
    site_settings = PortalSettings.for_site(site)
    if name:
        site_settings.organisation_name = name
    if language is not None:
        site_settings.default_language = language
    site_settings.save()
    moderation_workflow()


def _site_collection(site: Site, name: str) -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=name).first()
    return existing or root.add_child(name=name)
