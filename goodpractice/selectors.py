"""Reads of the catalogue: search with facets, related practices, the latest practices.

The catalogue answers in a constant number of queries whatever its size. Words are matched
once per request by Wagtail's search backend; the matching ids then go to the database as
one parameter (portal.sql.AmongIds). The practices that pass the filters and the words are
one SQL subquery over CatalogueEntry (narrow rows, one per live practice). All facet counts
but municipality come from one aggregate over that subquery, grouped by the single-valued
facets and summing bit-mask tests for themes and target groups; municipalities are counted
through the practice-organisation table. Only the page of results shown is loaded as pages.
"""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Max, Q, Sum, When
from django.db.models.lookups import GreaterThan
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from networks import access
from portal import text, versioned
from portal.models import County, Organisation
from portal.sites import all_sites
from portal.sql import AmongIds

from .models import (
    CatalogueEntry,
    FacetKind,
    PracticeAttachment,
    PracticePage,
    TargetGroup,
    Theme,
)

# Query-string names: Swedish, since the URLs are shared.
PARAMS = {
    FacetKind.THEME: "tema",
    FacetKind.TARGET_GROUP: "malgrupp",
    FacetKind.COUNTY: "lan",
    FacetKind.MUNICIPALITY: "kommun",
    FacetKind.YEAR: "ar",
    FacetKind.RUNNING: "pagaende",
}
SORTS = {
    "nyast": _("Newest first"),
    "relevans": _("Best match"),
    "kommun": _("Municipality"),
}
FACET_LABELS = {
    FacetKind.THEME: _("Theme"),
    FacetKind.TARGET_GROUP: _("Target group"),
    FacetKind.COUNTY: _("County"),
    # Practices name agencies and NGOs beside municipalities; the facet lists them all.
    FacetKind.MUNICIPALITY: _("Municipalities and organisations"),
    FacetKind.YEAR: _("Year started"),
    FacetKind.RUNNING: _("Still running"),
}
Organisations = PracticePage.organisations.through
CACHE_SECONDS = 600
SITE_PARAM = "webbplats"


@dataclass
class CatalogueQuery:
    """What someone asked the catalogue for, read from (and written back to) the query string."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = ""
    sites: list[str] = field(default_factory=list)  # the national search's site facet

    @classmethod
    def from_params(cls, params) -> "CatalogueQuery":
        filters = {}
        for kind, name in PARAMS.items():
            values = [v for v in params.getlist(name) if v.isdigit() and len(v) <= 12]
            if values:
                filters[kind] = list(dict.fromkeys(values))
        query_text = params.get("q", "").strip()[:200]
        sort = params.get("sortera", "")
        if sort not in SORTS:
            sort = "relevans" if query_text else "nyast"
        sites = list(dict.fromkeys(v for v in params.getlist(SITE_PARAM) if v.isdigit()))
        return cls(text=query_text, filters=filters, sort=sort, sites=sites[:20])

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.filters or self.sites)


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetGroup:
    kind: str
    label: str
    param: str
    options: list[FacetOption]


@dataclass
class Catalogue:
    query: CatalogueQuery
    ordered_ids: object  # the practice ids in the requested order (a queryset or a list)
    total: int
    facets: list[FacetGroup]

    def page(self, number, per_page: int):
        """One page of results, the practices loaded (with their relations) in three queries."""
        paginator = Paginator(self.ordered_ids, per_page)
        # The facet aggregate already counted the results.
        paginator.count = self.total
        page = paginator.get_page(number)
        page.object_list = practices_in_order(list(page.object_list))
        return page

    def iter_practices(self, chunk: int = 500):
        ids = list(self.ordered_ids)
        for start in range(0, len(ids), chunk):
            yield from practices_in_order(ids[start : start + chunk])


def practices_in_order(ids: list[int]) -> list[PracticePage]:
    practices = (
        PracticePage.objects.filter(pk__in=ids)
        .select_related("county")
        .prefetch_related("organisations", "themes")
        .in_bulk()
    )
    return [practices[pk] for pk in ids if pk in practices]


def _search_results(query_text: str, *, ranked: bool, within: str = ""):
    """Wagtail's search for the words, as a queryset (None: no searchable words), of the
    practices below the page at tree path `within` (a catalogue; empty: every catalogue).

    Not narrowed to live pages here: the results are always combined with CatalogueEntry,
    which holds only live practices.
    """
    search_query = text.search_query(query_text)
    if search_query is None:
        return None
    practices = PracticePage.objects.all()
    if within:
        practices = practices.filter(path__startswith=within)
    return practices.search(search_query, order_by_relevance=ranked).get_queryset()


def matching_ids(query_text: str, *, ranked: bool, within: str = "") -> list[int]:
    """Ids of the practices matching the words (best first when `ranked`), asked of the search
    backend once, after which the facet counts, the filters and the order work on the list.
    `within`: of one catalogue only (its tree path), so that another site's practices never
    stop a catalogue's ranked matches from being its results as they are.

    Used as a subquery instead, the text match ran again in every facet query, and
    PostgreSQL's planner could choose a full scan of the search index for it.
    """
    results = _search_results(query_text, ranked=ranked, within=within)
    if results is None:
        return []
    if not ranked:
        results = results.order_by()  # the page tree order would join the page table
    return list(results.values_list("pk", flat=True))


def best_first(query_text: str, entries):
    """The practices of `entries` in the order of the backend's ranking for the words, as a
    queryset of ids, so that a page of results loads only its own ids."""
    results = _search_results(query_text, ranked=True)
    if results is None:
        return []
    return results.filter(pk__in=entries.values("practice_id")).values_list("pk", flat=True)


def _has_any(column: str, mask: int):
    return GreaterThan(F(column).bitand(mask), 0)


def _entries(query: CatalogueQuery, vocabularies: dict, matches: list[int] | None, scope):
    """Catalogue rows passing every filter (OR within a facet, AND across) and the words."""
    entries = CatalogueEntry.objects.filter(scope)
    filters = query.filters
    for kind, column in ((FacetKind.THEME, "themes"), (FacetKind.TARGET_GROUP, "target_groups")):
        if kind in filters:
            by_pk = vocabularies[kind]
            mask = sum(by_pk[int(v)].mask for v in filters[kind] if int(v) in by_pk)
            entries = entries.filter(_has_any(column, mask))
    if FacetKind.COUNTY in filters:
        entries = entries.filter(county_id__in=[int(v) for v in filters[FacetKind.COUNTY]])
    if FacetKind.YEAR in filters:
        entries = entries.filter(year__in=[int(v) for v in filters[FacetKind.YEAR]])
    if FacetKind.RUNNING in filters:
        entries = entries.filter(still_running__in=[v == "1" for v in filters[FacetKind.RUNNING]])
    if FacetKind.MUNICIPALITY in filters:
        organisations = [int(v) for v in filters[FacetKind.MUNICIPALITY]]
        entries = entries.filter(
            practice_id__in=Organisations.objects.filter(organisation_id__in=organisations).values(
                "practicepage_id"
            )
        )
    if matches is not None:
        entries = entries.filter(AmongIds("practice_id", matches)) if matches else entries.none()
    return entries


def _count_facets(query: CatalogueQuery, entries, vocabularies: dict):
    """Counts per facet value for the rows in `entries`: two aggregate queries in all."""
    sums = {}
    for kind, column in ((FacetKind.THEME, "themes"), (FacetKind.TARGET_GROUP, "target_groups")):
        for term in vocabularies[kind].values():
            sums[f"{kind}_{term.pk}"] = Sum(
                Case(When(_has_any(column, term.mask), then=1), default=0)
            )
    groups = (
        entries.values("county_id", "year", "still_running")
        .annotate(n=Count("pk"), **sums)
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {kind: {} for kind in PARAMS}

    def add(kind, value, n):
        if value is not None and n:
            counts[kind][str(value)] = counts[kind].get(str(value), 0) + n

    for row in groups:
        add(FacetKind.COUNTY, row["county_id"], row["n"])
        add(FacetKind.YEAR, row["year"], row["n"])
        add(FacetKind.RUNNING, "1" if row["still_running"] else "0", row["n"])
        for kind in (FacetKind.THEME, FacetKind.TARGET_GROUP):
            for pk in vocabularies[kind]:
                add(kind, pk, row[f"{kind}_{pk}"])
    for pk, n in (
        Organisations.objects.filter(practicepage_id__in=entries.values("practice_id"))
        .values_list("organisation_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[FacetKind.MUNICIPALITY][str(pk)] = n
    total = sum(counts[FacetKind.RUNNING].values())
    for kind, values in query.filters.items():
        for value in values:
            counts[kind].setdefault(value, 0)

    labels = {
        FacetKind.THEME: {str(pk): t.name for pk, t in vocabularies[FacetKind.THEME].items()},
        FacetKind.TARGET_GROUP: {
            str(pk): t.name for pk, t in vocabularies[FacetKind.TARGET_GROUP].items()
        },
        FacetKind.MUNICIPALITY: _names(Organisation, counts[FacetKind.MUNICIPALITY]),
        FacetKind.RUNNING: {"1": str(_("Yes")), "0": str(_("No"))},
        FacetKind.YEAR: {v: v for v in counts[FacetKind.YEAR]},
        FacetKind.COUNTY: _names(County, counts[FacetKind.COUNTY]),
    }
    return _facet_groups(query, counts, labels), total


def _names(model, values: dict) -> dict[str, str]:
    if not values:
        return {}
    # Every name of the register, kept per content version (a few thousand short strings).
    names = versioned.remembered(
        ("names", model._meta.label),
        lambda: {str(pk): name for pk, name in model.objects.values_list("pk", "name")},
    )
    return {value: names[value] for value in values if value in names}


def _catalogue_version() -> str:
    state = CatalogueEntry.objects.aggregate(n=Count("pk"), last=Max("updated_at"))
    return f"{state['n']}:{state['last'].timestamp() if state['last'] else 0}"


def _facet_groups(query, counts, labels) -> list[FacetGroup]:
    groups = []
    for kind, param in PARAMS.items():
        selected = set(query.filters.get(kind, []))
        options = [
            FacetOption(value=value, label=labels[kind][value], count=n, selected=value in selected)
            for value, n in counts[kind].items()
            if value in labels[kind]
        ]
        if kind in (FacetKind.YEAR, FacetKind.RUNNING):
            options.sort(key=lambda o: o.value, reverse=True)
        else:
            options.sort(key=lambda o: o.label)
        if options:
            groups.append(FacetGroup(kind, str(FACET_LABELS[kind]), param, options))
    return groups


def catalogue_scope(catalogue=None, *, national=False, sites=()) -> Q:
    """Which practices a catalogue lists: those below it (each site has its own; None: all).
    The national search lists every site's practices marked national (of the chosen `sites`)."""
    if not national:
        return Q(catalogue_path=catalogue.path) if catalogue is not None else Q()
    scope = Q(national=True)
    if sites:
        roots = {str(site.pk): site.root_path for site in all_sites()}
        chosen = Q(pk__in=[])
        for root in (roots[pk] for pk in sites if pk in roots):
            chosen |= Q(catalogue_path__startswith=root)
        scope &= chosen
    return scope


def _site_facet(query: CatalogueQuery, entries) -> FacetGroup:
    """The national search's facet: how many of the results each site holds (one query)."""
    counts: dict[int, int] = {}
    sites = all_sites()
    rows = entries.values_list("catalogue_path").annotate(n=Count("pk")).order_by()
    for path, n in rows:
        site = next((s for s in sites if path.startswith(s.root_path)), None)
        if site is not None:
            counts[site.pk] = counts.get(site.pk, 0) + n
    options = [
        FacetOption(str(s.pk), s.site_name, counts.get(s.pk, 0), str(s.pk) in query.sites)
        for s in sites
        if s.pk in counts or str(s.pk) in query.sites
    ]
    return FacetGroup("site", str(_("Site")), SITE_PARAM, options)


def catalogue_search(query: CatalogueQuery, *, catalogue=None, national=False) -> Catalogue:
    """The practices of one catalogue (`catalogue_scope`), or of the national search, that
    answer the query, with facets (the national search's first facet is the site)."""
    scope = catalogue_scope(catalogue, national=national, sites=query.sites)
    vocabularies = versioned.remembered(
        "goodpractice:vocabularies",
        lambda: {
            FacetKind.THEME: {t.pk: t for t in Theme.objects.all()},
            FacetKind.TARGET_GROUP: {t.pk: t for t in TargetGroup.objects.all()},
        },
    )
    # Ranking costs per ranked row (SQLite's backend ranks row by row), so the matches are
    # ranked at once only when nothing but the words narrows them; otherwise the results that
    # pass the filters are ranked afterwards.
    by_relevance = query.sort == "relevans"
    rank_all = by_relevance and not query.filters
    within = catalogue.path if catalogue is not None and not national else ""
    matches = matching_ids(query.text, ranked=rank_all, within=within) if query.text else None
    entries = _entries(query, vocabularies, matches, scope)
    if query.is_filtered:
        facets, total = _count_facets(query, entries, vocabularies)
    else:
        # The whole catalogue's counts change only when a practice is published or withdrawn;
        # the landing page, the most visited state, reads them from the cache.
        where = "national" if national else catalogue.pk if catalogue is not None else "all"
        key = f"goodpractice:facets:{where}:{get_language()}:{_catalogue_version()}"
        cached = cache.get(key)
        if cached is None:
            cached = _count_facets(query, entries, vocabularies)
            cache.set(key, cached, CACHE_SECONDS)
        facets, total = cached
    if national:
        facets = [_site_facet(query, entries), *facets]
    if matches is not None and by_relevance:
        # When every match is a result (the count says so), the ranked list is the answer.
        every_match_shown = rank_all and total == len(matches)
        ordered = matches if every_match_shown else best_first(query.text, entries)
    else:
        order = {"kommun": ("municipality_sort", "practice_id")}.get(
            query.sort, ("-published_at", "-practice_id")
        )
        ordered = entries.order_by(*order).values_list("practice_id", flat=True)
    return Catalogue(query=query, ordered_ids=ordered, total=total, facets=facets)


def related_practices(page: PracticePage, limit: int = 4) -> list[PracticePage]:
    """Chosen related practices first, then the newest others sharing a theme or a municipality.

    The others come from the catalogue rows, newest first along their index, with the themes as
    one bit-mask test: the database stops at the first few that match instead of joining and
    sorting every practice of every shared theme."""
    cards = PracticePage.objects.live().select_related("county").prefetch_related("organisations")
    chosen = list(cards.filter(pk__in=page.related.values("other_id")).exclude(pk=page.pk)[:limit])
    if len(chosen) < limit:
        mask = sum(theme.mask for theme in page.themes.all())
        shares = Q(
            practice__in=PracticePage.organisations.through.objects.filter(
                organisation__in=page.organisations.values("pk")
            ).values("practicepage_id")
        )
        if mask:
            shares |= _has_any("themes", mask)
        newest = (
            CatalogueEntry.objects.filter(shares)
            .exclude(practice__in=[page.pk, *(p.pk for p in chosen)])
            .order_by("-published_at", "-practice")
            .values_list("practice", flat=True)[: limit - len(chosen)]
        )
        ids = list(newest)
        more = {p.pk: p for p in cards.filter(pk__in=ids)}
        chosen.extend(more[pk] for pk in ids if pk in more)
    return chosen


def municipality_practices(page: PracticePage, limit: int = 10):
    """The other practices of this practice's municipalities."""
    return (
        PracticePage.objects.live()
        .filter(organisations__in=page.organisations.values("pk"))
        .exclude(pk=page.pk)
        .distinct()
        .order_by("-first_published_at")[:limit]
    )


def latest_practices(limit: int = 4, *, catalogue=None):
    """The newest practices (of one catalogue), found along the catalogue's newest-first index
    (sorting the pages themselves reads them all when many share a publication time)."""
    newest = (
        CatalogueEntry.objects.filter(catalogue_scope(catalogue))
        .order_by("-published_at", "-practice")
        .values("practice")
    )
    return (
        PracticePage.objects.live()
        .public()
        .filter(pk__in=newest[: limit * 2])
        .select_related("county")
        .prefetch_related("organisations")
        .order_by("-first_published_at", "-pk")[:limit]
    )


# --- who may fetch the files sent in with a practice -------------------------------------------


def may_moderate(user, page=None) -> bool:
    """The strategists and moderators of the site a practice (`page`) belongs to (without a
    page, of some site): moderation rights are per site, as every other right. A group that an
    administrator names in the moderation task itself, and no site names, moderates everywhere.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if access.is_strategist(user, page) or access.is_moderator(user, page):
        return True
    return _moderates_everywhere(user)


def _moderates_everywhere(user) -> bool:
    return (
        user.groups.filter(practicemoderationtask__active=True)
        .exclude(pk__in=access.site_role_group_ids())
        .exists()
    )


def moderated_submissions(user, queryset):
    """The submissions (a Submission queryset) this user moderates: those sent in to the
    catalogues of the sites where they moderate, every one for superusers and for groups the
    task names installation-wide (the admin's list of submitted practices)."""
    if user.is_superuser or _moderates_everywhere(user):
        return queryset
    return queryset.filter(access.moderation_pages_q(user, prefix="page__"))


def can_download_practice_file(user, document) -> bool | None:
    """The good-practice part of `access.can_download_document` (via `portal_document_access`).

    A file sent in with a practice is public once a live practice that this user may see shows
    it; until then only moderators fetch it. None for documents that are not the catalogue's.
    """
    from .services import SUBMISSIONS_COLLECTION

    attachments = PracticeAttachment.objects.filter(document=document)
    if not attachments.exists() and document.collection.name != SUBMISSIONS_COLLECTION:
        return None
    shown_on = PracticePage.objects.live().filter(attachments__document=document)
    if access.visible_pages(user, shown_on).exists():
        return True
    sent_with = PracticePage.objects.filter(attachments__document=document)
    return any(may_moderate(user, path) for path in sent_with.values_list("path", flat=True))


# --- "presented at": both ways, through the access rule ----------------------------------------


def presented_at_for(user, practice):
    """The meeting, event or minutes the practice was presented at, if this user may see it."""
    if practice.presented_at_id is None:
        return None
    target = Page.objects.live().filter(pk=practice.presented_at_id)
    return access.visible_pages(user, target).specific().first()


def practices_presented_at(user, page) -> list[PracticePage]:
    """The practices presented at this meeting, event or minutes that this user may see."""
    practices = PracticePage.objects.live().filter(presented_at=page).order_by("title")
    return list(access.visible_pages(user, practices))
