"""Operations on municipalities' quotas, key figures and reports.

Guarantees:
- A county's distributed figure (the länstal shared as kommuntal, the distribution figures for
  unaccompanied minors) keeps its total: figures may move between the county's municipalities
  in one change, and a change that alters the total is refused with the difference named
  (`CountyTotalChanged`). Seed 004: "Fördelningstalen kan justeras mellan kommuner i ett län så
  länge länets tal är detsamma". The one exception is the authority's own figures: an import of
  Migrationsverket's table sets them (municipalities/imports.py).
- Every write says what it changed, so an import run twice reports (and changes) nothing.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import DISTRIBUTED_KINDS, FigureValue, Gender, Quota, QuotaKind, RoundParty


class CountyTotalChanged(ValidationError):
    """A change to distributed figures that would alter the county's total."""

    def __init__(self, *, county, kind, year, before: int, after: int):
        self.before, self.after, self.difference = before, after, after - before
        super().__init__(
            _(
                "The total of %(county)s (%(kind)s %(year)s) would change from %(before)s to "
                "%(after)s, a difference of %(difference)+d. Figures may only be moved between "
                "the county's municipalities: change another municipality's figure by as much "
                "in the same change."
            )
            % {
                "county": county,
                "kind": QuotaKind(kind).label,
                "year": year,
                "before": before,
                "after": after,
                "difference": after - before,
            },
            code="county_total",
        )


@dataclass
class Changes:
    """What a write or an import changed: created and updated rows, and the unchanged count."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0

    def add(self, other: "Changes") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def summary(self) -> str:
        return _("%(created)s new, %(updated)s changed, %(unchanged)s unchanged") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
        }


def _county_quotas(*, county, year, kind):
    return Quota.objects.filter(organisation__county=county, year=year, kind=kind)


def county_total_check(*, county, year, kind, figures: dict[int, int | None]) -> None:
    """Raise CountyTotalChanged if setting `figures` ({municipality id: requested}) would change
    the county's total. A county with no figures yet has no total to keep."""
    if kind not in DISTRIBUTED_KINDS or county is None:
        return
    current = dict(
        _county_quotas(county=county, year=year, kind=kind)
        .filter(requested__isnull=False)
        .values_list("organisation_id", "requested")
    )
    if not current:
        return
    before = sum(current.values())
    after = before + sum((new or 0) - current.get(pk, 0) for pk, new in figures.items())
    if after != before:
        raise CountyTotalChanged(county=county, kind=kind, year=year, before=before, after=after)


def _write(model, lookup: dict, values: dict, changes: Changes):
    """Create or update one row, recording whether anything changed."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        row = model.objects.create(**lookup, **values)
        changes.created.append(row)
        return row
    differing = [name for name, value in values.items() if getattr(row, name) != value]
    if differing:
        for name in differing:
            setattr(row, name, values[name])
        row.save(update_fields=differing)
        changes.updated.append(row)
    else:
        changes.unchanged += 1
    return row


def quota_write(*, organisation, year: int, kind: str, changes: Changes, **values) -> Quota:
    """Set fields of one quota without the county check: for the authority's own figures."""
    return _write(
        Quota, {"organisation": organisation, "year": year, "kind": kind}, values, changes
    )


def quota_set(*, organisation, year: int, kind: str, **values) -> Changes:
    """Set a municipality's quota fields (requested, decided, received, status, note, source,
    retrieved_on). A new `requested` of a distributed kind must keep the county's total."""
    changes = Changes()
    with transaction.atomic():
        if "requested" in values:
            _lock_county(organisation.county, year, kind)
            county_total_check(
                county=organisation.county,
                year=year,
                kind=kind,
                figures={organisation.pk: values["requested"]},
            )
        quota_write(organisation=organisation, year=year, kind=kind, changes=changes, **values)
    return changes


def quota_distribution_change(
    *, county, year: int, kind: str, figures: dict, source: str = ""
) -> Changes:
    """Move distributed figures between a county's municipalities: `figures` maps each changed
    municipality (an Organisation of the county) to its new figure. All or nothing: refused
    with CountyTotalChanged when the county's total would change."""
    changes = Changes()
    strangers = [o for o in figures if o.county_id != county.pk]
    if strangers:
        raise ValidationError(
            _("%(names)s is not a municipality of %(county)s.")
            % {"names": ", ".join(o.name for o in strangers), "county": county}
        )
    with transaction.atomic():
        _lock_county(county, year, kind)
        county_total_check(
            county=county, year=year, kind=kind, figures={o.pk: n for o, n in figures.items()}
        )
        for organisation, requested in figures.items():
            extra = {"source": source, "retrieved_on": timezone.localdate()} if source else {}
            quota_write(
                organisation=organisation,
                year=year,
                kind=kind,
                changes=changes,
                requested=requested,
                **extra,
            )
    return changes


def _lock_county(county, year, kind) -> None:
    """Two changes to one county's figures at once would each see the old total."""
    if county is not None:
        list(_county_quotas(county=county, year=year, kind=kind).select_for_update())


def county_total(*, county, year: int, kind: str) -> int:
    quotas = _county_quotas(county=county, year=year, kind=kind)
    return quotas.aggregate(total=Sum("requested"))["total"] or 0


def figure_value_set(
    *,
    figure_type,
    organisation,
    period: str,
    value,
    source: str,
    retrieved_on=None,
    gender: str = Gender.TOTAL,
    age_group: str = "",
    reported_in=None,
    changes: Changes | None = None,
) -> Changes:
    """Set one key-figure value with its source and retrieval date."""
    changes = changes if changes is not None else Changes()
    values = {
        "value": value,
        "source": source,
        "retrieved_on": retrieved_on or timezone.localdate(),
    }
    if reported_in is not None:
        values["reported_in"] = reported_in
    row = FigureValue.objects.filter(
        figure_type=figure_type,
        organisation=organisation,
        period=period,
        gender=gender,
        age_group=age_group,
    ).first()
    # The same figure from the same source: a later retrieval date alone is no change.
    same_round = reported_in is None or (row is not None and row.reported_in_id == reported_in.pk)
    if row is not None and row.value == value and row.source == source and same_round:
        changes.unchanged += 1
        return changes
    _write(
        FigureValue,
        {
            "figure_type": figure_type,
            "organisation": organisation,
            "period": period,
            "gender": gender,
            "age_group": age_group,
        },
        values,
        changes,
    )
    return changes


def round_report_save(*, party: RoundParty, values: dict, reported_by: str) -> Changes:
    """A municipality's figures for a round ({FigureType: value}); the party counts as reported."""
    reporting_round = party.round
    source = _("Reported by %(who)s in “%(round)s”") % {
        "who": reported_by or party.organisation.name,
        "round": reporting_round.title,
    }
    changes = Changes()
    with transaction.atomic():
        for figure_type, value in values.items():
            if value is None:
                continue
            figure_value_set(
                figure_type=figure_type,
                organisation=party.organisation,
                period=reporting_round.period,
                value=value,
                source=source,
                reported_in=reporting_round,
                changes=changes,
            )
        party.reported_at = timezone.now()
        party.reported_by = reported_by
        party.save(update_fields=["reported_at", "reported_by"])
    return changes


def personal_data_export(*, user) -> dict:
    """Where this person stands as a municipality's contact: by account or by address."""
    from django.db.models import Q

    from .models import ContactPerson

    contacts = ContactPerson.objects.filter(Q(user=user) | Q(email__iexact=user.email))
    return {
        "municipal_contact_for": [
            {
                "municipality": c.organisation.name,
                "role": str(c.get_role_display()),
                "name": c.name,
                "position": c.job_title,
                "email": c.email,
                "phone": c.phone,
                "address": c.address,
            }
            for c in contacts.select_related("organisation")
        ]
    }


def account_erase(*, user) -> None:
    """A contact by account goes with the account; one by the same address is removed too."""
    from .models import ContactPerson

    ContactPerson.objects.filter(user=user).delete()
    ContactPerson.objects.filter(email__iexact=user.email).delete()
