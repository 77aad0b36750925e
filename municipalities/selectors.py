"""Reads the municipality pages, the county page, the exports and the reporting board share."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.text import slugify

from networks import access
from portal.models import County, Organisation
from portal.organisations import OrganisationKind, predecessors, successions
from portal.sites import site_pages_q

from .models import (
    ContactPerson,
    ContactRole,
    FigureType,
    FigureValue,
    MunicipalityIndexPage,
    Quota,
    QuotaKind,
    ReportingRound,
    RoundParty,
    Visibility,
)

# "Botkyrka kommun", "Halden kommune", "Våler kommune (Østfold)".
SUFFIX = re.compile(r"\s+kommune?(?=\s+\(|$)", re.IGNORECASE)
# Letters that do not decompose into a base letter and an accent (slugify would drop them).
UNDECOMPOSABLE = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss"})


def _slug(text: str) -> str:
    return slugify(text.translate(UNDECOMPOSABLE))


def municipality_slug(organisation) -> str:
    """`/kommuner/botkyrka/`: the register's name without "kommun"/"kommune"."""
    return _slug(SUFFIX.sub("", organisation.name))


def county_slug(county) -> str:
    return _slug(county.name)


def short_name(organisation) -> str:
    return SUFFIX.sub("", organisation.name)


def municipalities_of(index: MunicipalityIndexPage, *, retired=False):
    """The municipalities a site's index shows (see MunicipalityIndexPage): those in force,
    and with `retired` also those a reform merged away, for what shows their history (a
    year's quota table, their own pages)."""
    municipalities = Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, country=index.country
    ).select_related("county")
    if not retired:
        municipalities = municipalities.current()
    county_ids = [c.pk for c in index.counties.all()]
    if county_ids:
        municipalities = municipalities.filter(county_id__in=county_ids)
    return municipalities.order_by("name")


def counties_of(index: MunicipalityIndexPage) -> list[County]:
    chosen = list(index.counties.order_by("name"))
    return chosen or list(County.objects.filter(country=index.country).order_by("name"))


def municipality_for(index, slug: str):
    """The municipality whose slug this is, among those the index shows, retired ones too (a
    municipality in force first); None if none."""
    found = [o for o in municipalities_of(index, retired=True) if municipality_slug(o) == slug]
    return min(found, key=lambda o: o.retired, default=None)


@dataclass
class Lineage:
    """What a reform made of a municipality: the municipalities of today a retired one went
    into, or the retired ones that went into one of today. Each is (organisation, its slug
    when this index shows it, else "")."""

    successors: list = field(default_factory=list)
    predecessors: list = field(default_factory=list)

    @property
    def split(self) -> bool:
        return len(self.successors) > 1


def lineage_of(index, organisation) -> Lineage:
    shown = {o.pk for o in municipalities_of(index, retired=True)}

    def linked(organisations):
        return [(o, municipality_slug(o) if o.pk in shown else "") for o in organisations]

    if organisation.retired:
        return Lineage(successors=linked(successions([organisation])[organisation.pk]))
    return Lineage(predecessors=linked(predecessors(organisation)))


def retired_of(organisations) -> list[tuple]:
    """(retired municipality, the names of its successors), for a county's former list."""
    organisations = [o for o in organisations if o.retired]
    found = successions(organisations)
    return [(o, [s.name for s in found[o.pk]]) for o in organisations]


def county_for(index, slug: str):
    return next((c for c in counties_of(index) if county_slug(c) == slug), None)


def index_for_site(site):
    """The site's municipality pages, or None."""
    from portal.sites import site_index

    return site_index(MunicipalityIndexPage, site)


# --- quotas -------------------------------------------------------------------------------------


def latest_quota_year(organisations) -> int | None:
    years = Quota.objects.filter(organisation__in=organisations).order_by("-year")
    return years.values_list("year", flat=True).first()


@dataclass
class QuotaTable:
    """One kind of quota for a year: a row per municipality and the county's sums."""

    kind: str
    year: int
    rows: list = field(default_factory=list)  # (organisation, quota), those that have one
    requested: int = 0
    decided: int = 0
    received: int = 0

    @property
    def label(self) -> str:
        return QuotaKind(self.kind).label

    @property
    def target(self) -> int:
        return self.decided or self.requested

    @property
    def reached_percent(self) -> int | None:
        return round(100 * self.received / self.target) if self.target else None


def quota_tables(organisations, year: int | None) -> list[QuotaTable]:
    """Per kind of quota held that year: the row of each municipality that has one, and the
    sums (a county page sums its municipalities). One query whatever their number."""
    organisations = list(organisations)
    if year is None:
        return []
    quotas = defaultdict(dict)
    for quota in Quota.objects.filter(organisation__in=organisations, year=year):
        quotas[quota.kind][quota.organisation_id] = quota
    tables = []
    for kind in QuotaKind.values:
        if kind not in quotas:
            continue
        table = QuotaTable(kind=kind, year=year)
        for organisation in organisations:
            quota = quotas[kind].get(organisation.pk)
            if quota is None:
                continue
            table.rows.append((organisation, quota))
            table.requested += quota.requested or 0
            table.decided += quota.decided or 0
            table.received += quota.received
        tables.append(table)
    return tables


# --- key figures --------------------------------------------------------------------------------


@dataclass
class FigureSeries:
    """One key figure of one municipality over time, split as the source splits it."""

    figure_type: FigureType
    values: list
    periods: list = field(default_factory=list)
    groups: list = field(default_factory=list)  # (gender label, age group) column heads

    def table(self) -> list[tuple[str, list, list]]:
        """Rows of (period, value per group or None, the distinct (source, date) of the row),
        for the data table beside the chart."""
        by_cell = {(v.period, v.get_gender_display(), v.age_group): v for v in self.values}
        rows = []
        for period in self.periods:
            cells = [by_cell.get((period, *group)) for group in self.groups]
            sources = list(dict.fromkeys((v.source, v.retrieved_on) for v in cells if v))
            rows.append((period, cells, sources))
        return rows


def figure_types_for(user, page):
    types = FigureType.objects.all()
    if not access.can_view_municipality_details(user, page):
        types = types.filter(visibility=Visibility.PUBLIC)
    return types


def figure_series(organisation, figure_types) -> list[FigureSeries]:
    values = (
        FigureValue.objects.filter(organisation=organisation, figure_type__in=figure_types)
        .select_related("figure_type")
        .order_by("figure_type__sort_order", "figure_type__name", "period", "gender", "age_group")
    )
    series: dict[int, FigureSeries] = {}
    for value in values:
        item = series.setdefault(value.figure_type_id, FigureSeries(value.figure_type, []))
        item.values.append(value)
        if value.period not in item.periods:
            item.periods.append(value.period)
        group = (value.get_gender_display(), value.age_group)
        if group not in item.groups:
            item.groups.append(group)
    return list(series.values())


# --- contacts -----------------------------------------------------------------------------------


def contacts_of(organisation):
    return ContactPerson.objects.filter(organisation=organisation).select_related("user")


def contact_gaps(organisations) -> list[tuple]:
    """(municipality, the roles it has no contact person for): every role is wanted."""
    held = defaultdict(set)
    rows = ContactPerson.objects.filter(organisation__in=organisations)
    for organisation_id, role in rows.values_list("organisation_id", "role"):
        held[organisation_id].add(role)
    return [
        (
            organisation,
            [role.label for role in ContactRole if role.value not in held[organisation.pk]],
        )
        for organisation in organisations
    ]


# --- what it took part in -----------------------------------------------------------------------


def practices_of(organisation, site):
    from goodpractice.models import PracticePage

    return (
        PracticePage.objects.live()
        .filter(site_pages_q(site), organisations=organisation)
        .order_by("-first_published_at")[:10]
    )


def events_of(organisation, user, site):
    """Meetings and events it organised or whose participants came from it, that the user may
    see (the access rule decides, as in every listing)."""
    from events.models import EventPage

    took_part = (
        Q(organiser=organisation)
        | Q(co_organisers=organisation)
        | Q(registrations__user__organisation=organisation)
    )
    events = EventPage.objects.live().filter(site_pages_q(site)).filter(took_part).distinct()
    return access.visible_pages(user, events).order_by("-start")[:10]


# --- reporting rounds ---------------------------------------------------------------------------


def rounds_of_site(site):
    return ReportingRound.objects.filter(site_pages_q(site, "network__"))


def rounds_to_report(user, organisation) -> list[RoundParty]:
    """The rounds in which this municipality has not reported yet, when the user may report
    for it (logged in as one of its contact persons); none for anyone else."""
    if not access.can_report_for_municipality(user, organisation.pk):
        return []
    parties = RoundParty.objects.filter(organisation=organisation, reported_at__isnull=True)
    return list(parties.select_related("round"))


@dataclass
class RoundProgress:
    reported: list
    missing: list

    @property
    def total(self) -> int:
        return len(self.reported) + len(self.missing)


def round_progress(reporting_round) -> RoundProgress:
    parties = reporting_round.parties.select_related("organisation").order_by("organisation__name")
    reported = [p for p in parties if p.reported_at is not None]
    missing = [p for p in parties if p.reported_at is None]
    return RoundProgress(reported=reported, missing=missing)


def round_values(reporting_round) -> dict[int, list[FigureValue]]:
    """The values each municipality reported in the round (the county report gathers them)."""
    values = defaultdict(list)
    rows = FigureValue.objects.filter(reported_in=reporting_round).select_related("figure_type")
    for value in rows.order_by("figure_type__sort_order", "gender", "age_group"):
        values[value.organisation_id].append(value)
    return values
