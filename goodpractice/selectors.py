"""Reads of the catalogue: search with facets, related practices, the latest practices.

The catalogue is designed to answer in a constant number of queries whatever its size: the
filtered set of practices is one SQL subquery (facet filters over PracticeFacet, the full-text
match from Wagtail's search backend), all facet counts are one GROUP BY over that subquery,
and the labels of the counted values are one query per vocabulary.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from portal.models import County, Organisation

from . import text
from .models import FacetKind, PracticeFacet, PracticePage, TargetGroup, Theme

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
    FacetKind.MUNICIPALITY: _("Municipality"),
    FacetKind.YEAR: _("Year started"),
    FacetKind.RUNNING: _("Still running"),
}
LABEL_MODELS = {
    FacetKind.THEME: Theme,
    FacetKind.TARGET_GROUP: TargetGroup,
    FacetKind.COUNTY: County,
    FacetKind.MUNICIPALITY: Organisation,
}


@dataclass
class CatalogueQuery:
    """What someone asked the catalogue for, read from (and written back to) the query string."""

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = ""

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
        return cls(text=query_text, filters=filters, sort=sort)

    @property
    def is_filtered(self) -> bool:
        return bool(self.text or self.filters)


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
    results: object  # a PracticePage queryset, ordered
    total: int
    facets: list[FacetGroup]


def _matching(query_text: str, *, ranked: bool):
    """Live practices matching the words, as a queryset (None: no searchable words)."""
    search_query = text.search_query(query_text)
    if search_query is None:
        return None
    results = PracticePage.objects.live().search(search_query, order_by_relevance=ranked)
    # Both database backends (SQLite FTS5, PostgreSQL) build the match as a queryset; using it
    # as a subquery keeps facets and filters in SQL instead of a list of ids in Python.
    return results.get_queryset()


def _filtered_ids(query: CatalogueQuery):
    """A subquery of the ids of the practices that pass every filter and the text search."""
    live = PracticeFacet.objects.filter(kind=FacetKind.RUNNING)
    for kind, values in query.filters.items():
        if kind == FacetKind.RUNNING:
            live = live.filter(value__in=values)
        else:
            live = live.filter(
                practice_id__in=PracticeFacet.objects.filter(kind=kind, value__in=values).values(
                    "practice_id"
                )
            )
    if query.text:
        matching = _matching(query.text, ranked=False)
        if matching is None:
            return live.none().values("practice_id")
        live = live.filter(practice_id__in=matching.values("pk"))
    return live.values("practice_id")


def _facet_groups(query: CatalogueQuery, ids) -> tuple[list[FacetGroup], int]:
    rows = (
        PracticeFacet.objects.filter(practice_id__in=ids)
        .values_list("kind", "value")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[str, dict[str, int]] = {kind: {} for kind in PARAMS}
    for kind, value, n in rows:
        counts[kind][value] = n
    total = sum(counts[FacetKind.RUNNING].values())
    for kind, values in query.filters.items():
        for value in values:
            counts[kind].setdefault(value, 0)

    labels: dict[str, dict[str, str]] = {
        FacetKind.RUNNING: {"1": str(_("Yes")), "0": str(_("No"))},
        FacetKind.YEAR: {v: v for v in counts[FacetKind.YEAR]},
    }
    for kind, model in LABEL_MODELS.items():
        ids_present = [int(v) for v in counts[kind]]
        labels[kind] = (
            {
                str(pk): name
                for pk, name in model.objects.filter(pk__in=ids_present).values_list("pk", "name")
            }
            if ids_present
            else {}
        )

    groups = []
    for kind, param in PARAMS.items():
        selected = set(query.filters.get(kind, []))
        options = [
            FacetOption(value=value, label=labels[kind][value], count=n, selected=value in selected)
            for value, n in counts[kind].items()
            if value in labels[kind]
        ]
        if kind == FacetKind.YEAR or kind == FacetKind.RUNNING:
            options.sort(key=lambda o: o.value, reverse=True)
        else:
            options.sort(key=lambda o: o.label)
        if options:
            groups.append(FacetGroup(kind, str(FACET_LABELS[kind]), param, options))
    return groups, total


def catalogue_search(query: CatalogueQuery) -> Catalogue:
    ids = _filtered_ids(query)
    facets, total = _facet_groups(query, ids)
    results = None
    if query.sort == "relevans" and query.text:
        results = _matching(query.text, ranked=True)
    if results is None:
        results = PracticePage.objects.live()
        order = {"kommun": ("municipality_sort", "title")}.get(
            query.sort, ("-first_published_at", "-pk")
        )
        results = results.order_by(*order)
    results = (
        results.filter(pk__in=ids)
        .select_related("county")
        .prefetch_related("organisations", "themes")
    )
    return Catalogue(query=query, results=results, total=total, facets=facets)


def related_practices(page: PracticePage, limit: int = 4) -> list[PracticePage]:
    """Chosen related practices first, then others sharing a theme or a municipality."""
    chosen = list(
        PracticePage.objects.live()
        .filter(pk__in=page.related.values("other_id"))
        .exclude(pk=page.pk)[:limit]
    )
    if len(chosen) < limit:
        theme_ids = page.themes.values("pk")
        org_ids = page.organisations.values("pk")
        more = (
            PracticePage.objects.live()
            .filter(Q(themes__in=theme_ids) | Q(organisations__in=org_ids))
            .exclude(pk__in=[page.pk, *(p.pk for p in chosen)])
            .distinct()
            .order_by("-first_published_at")[: limit - len(chosen)]
        )
        chosen.extend(more)
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


def latest_practices(limit: int = 4):
    return (
        PracticePage.objects.live()
        .public()
        .prefetch_related("organisations")
        .order_by("-first_published_at", "-pk")[:limit]
    )
