"""The organisation register: municipalities, counties, agencies and others that take part."""

import functools

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.fields import optional_reference


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Region")
    COUNTY_ADMINISTRATION = "county_administration", _("County administrative board")
    STATE_AGENCY = "state_agency", _("State agency")
    CIVIL_SOCIETY = "civil_society", _("Civil-society organisation")
    OTHER = "other", _("Other")


class Country(models.TextChoices):
    SWEDEN = "SE", _("Sweden")
    NORWAY = "NO", _("Norway")


class County(models.Model):
    """A Swedish län or a Norwegian fylke."""

    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices)

    class Meta:
        verbose_name = _("county")
        verbose_name_plural = _("counties")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(fields=["country", "code"], name="unique_county_code")
        ]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def current(self):
        """In force today: what lists, choosers and new data offer."""
        return self.filter(valid_until__isnull=True)

    def retired(self):
        return self.filter(valid_until__isnull=False)


class Organisation(models.Model):
    """An organisation of the register.

    A municipality that a reform merged away or split (Hobøl, part of Indre Østfold since 2020)
    stays here, retired: `valid_until` is its last day, and its figures, quotas and questionnaire
    answers of its day keep it and its name. Its successors are those its number leads to
    (`FormerMunicipalityCode`). A municipality that was only renumbered (Halden: 0101, 3001,
    3101) is one row under today's number, its old numbers in `FormerMunicipalityCode`."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=32, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    official_code = models.CharField(
        _("official code"),
        max_length=20,
        blank=True,
        help_text=_("For example the kommunkod or kommunenummer."),
    )
    county = optional_reference(County, _("county"), related_name="organisations")
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.SWEDEN
    )
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(
        _("in force from"),
        null=True,
        blank=True,
        help_text=_("For a municipality formed by a reform: its first day."),
    )
    valid_until = models.DateField(
        _("in force until"),
        null=True,
        blank=True,
        help_text=_("For a municipality merged away or split: its last day. Empty: in force."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "official_code"],
                condition=~models.Q(official_code=""),
                name="unique_official_code",
            ),
            models.UniqueConstraint(fields=["country", "name"], name="unique_organisation_name"),
        ]

    def __str__(self):
        return self.name

    @property
    def retired(self) -> bool:
        return self.valid_until is not None


class FormerCode(models.Model):
    """A number from before a reform, with its name then and the last year it was in force;
    each subclass says what carries its area today. The numbers are those of their country's
    authority, so a subclass sets `code` and `name` to the lengths that authority uses."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices)
    in_force_until = models.PositiveSmallIntegerField(_("in force until (year)"))

    class Meta:
        abstract = True
        ordering = ["country", "code"]

    def __str__(self):
        return f"{self.code} {self.name} (–{self.in_force_until})"


def _carried_by(model, verbose_name) -> models.ForeignKey:
    """A former number's key to what carries its area today."""
    return models.ForeignKey(
        model, verbose_name=verbose_name, on_delete=models.CASCADE, related_name="former_codes"
    )


def _once_per(successor: str, name: str) -> models.UniqueConstraint:
    """A former number leads to each of its successors once."""
    return models.UniqueConstraint(fields=["country", "code", successor], name=name)


class FormerCountyCode(FormerCode):
    """A county number from before a reform, and a county that carries its area today.

    Norway merged its fylker in 2020 (Østfold 01 became part of Viken 30) and split some again
    in 2024 (Viken became Østfold 31, Akershus 32 and Buskerud 33). Figures from those years
    carry the number of their day; one row per county of today that took over part of it."""

    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    county = _carried_by(County, _("county today"))

    class Meta(FormerCode.Meta):
        verbose_name = _("former county number")
        verbose_name_plural = _("former county numbers")
        constraints = [_once_per("county", "unique_former_county_code")]


class FormerMunicipalityCode(FormerCode):
    """A municipality number from before a reform, and the municipality it leads to today.

    Norwegian kommunenummer follow the fylke: Halden was 0101 until 2019, 3001 in Viken
    (2020–2023) and is 3101 in Østfold since 2024. Merged kommuner leave their old numbers
    here (Askim 0124 leads to Indre Østfold); a split one leads to each of its successors
    (Ålesund 1507 to Ålesund and Haram)."""

    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=200)
    organisation = _carried_by(Organisation, _("municipality today"))

    class Meta(FormerCode.Meta):
        verbose_name = _("former municipality number")
        verbose_name_plural = _("former municipality numbers")
        constraints = [_once_per("organisation", "unique_former_municipality_code")]


def municipalities_for_code(code, *, country):
    """Today's municipalities for a number of any year: itself if it is in force, else the
    successors of the former number (several when the municipality was split). A retired
    municipality's own number so leads to its successors: new data goes to today's."""
    current = Organisation.objects.current().filter(
        country=country, official_code=code, kind=OrganisationKind.MUNICIPALITY
    )
    if current.exists():
        return list(current)
    return list(
        Organisation.objects.filter(
            former_codes__country=country, former_codes__code=code
        ).order_by("official_code")
    )


def current_or_chosen(queryset, chosen=()):
    """What a chooser of organisations offers: those in force, and any already chosen (a
    record of a retired municipality's day keeps it when edited)."""
    return queryset.filter(Q(valid_until__isnull=True) | Q(pk__in=[pk for pk in chosen if pk]))


def chosen_pks(value) -> list:
    """The keys in a form's initial value of a chooser: a key, an object, or several."""
    single = value is None or isinstance(value, (str, int, models.Model))
    return [getattr(v, "pk", v) for v in ([value] if single else value)]


class CurrentOrganisationChoices:
    """A form mixin: every chooser of organisations in the form offers today's and those the
    record already names (`current_or_chosen`). A new choice must be in force; a record of a
    retired municipality's day saves unchanged. The model fields' `limit_choices_to` only says
    which kind (it would refuse the stored value too). A ClusterForm's inline forms (a round's
    municipalities, a questionnaire's visits) get the same."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is Organisation:
                field.queryset = current_or_chosen(queryset, chosen_pks(self.initial.get(name)))
        for formset in getattr(self, "formsets", {}).values():
            formset.form = with_current_organisation_choices(formset.form)


@functools.cache
def with_current_organisation_choices(form_class):
    """`form_class` with `CurrentOrganisationChoices` (the same class when it has it)."""
    if issubclass(form_class, CurrentOrganisationChoices):
        return form_class
    return type(form_class)(form_class.__name__, (CurrentOrganisationChoices, form_class), {})


def municipality_register(*, country, year=None) -> dict:
    """Number → municipality, for reading a file of the authorities (the imports).

    Today's numbers, and every former number that leads to one municipality of today. For
    figures of a year (`year`), a municipality retired since then is found by its own number:
    Rygge's 0136 in a file of 2015 is Rygge, in one of 2026 it is Moss. Two queries."""
    municipalities = Organisation.objects.filter(
        country=country, kind=OrganisationKind.MUNICIPALITY
    ).select_related("county")
    current = {o.pk: o for o in municipalities.current()}
    successors = {}
    rows = FormerMunicipalityCode.objects.filter(country=country, organisation_id__in=current)
    for code, organisation_id in rows.values_list("code", "organisation_id"):
        successors.setdefault(code, set()).add(organisation_id)
    register = {code: current[ids.pop()] for code, ids in successors.items() if len(ids) == 1}
    if year is not None:
        for organisation in municipalities.filter(valid_until__year__gte=year):
            register[organisation.official_code] = organisation
    register.update({o.official_code: o for o in current.values()})
    return register


def successions(organisations) -> dict:
    """For each retired municipality given: the municipalities of today its number leads to.
    One query whatever their number."""
    retired = {o.official_code: o for o in organisations if o.retired}
    found = {o.pk: [] for o in retired.values()}
    rows = (
        FormerMunicipalityCode.objects.filter(code__in=retired)
        .select_related("organisation__county")
        .order_by("organisation__name")
    )
    for row in rows:
        owner = retired[row.code]
        if row.country == owner.country:
            found[owner.pk].append(row.organisation)
    return found


def predecessors(organisation) -> list:
    """The retired municipalities that became (part of) this one, oldest first."""
    codes = organisation.former_codes.values("code")
    return list(
        Organisation.objects.retired()
        .filter(country=organisation.country, official_code__in=codes)
        .order_by("valid_until", "name")
    )
