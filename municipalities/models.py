"""Municipalities: key figures, settlement quotas, contact persons and reporting rounds.

A municipality is an `Organisation` of the register (portal/organisations.py); nothing here is a
second register. What the portal knows about it hangs on that row:

- `FigureType` says what a key figure means (definition, unit, source, public or member-only);
  `FigureValue` is one value per municipality, period, gender and age group, with its source and
  retrieval date, so every number on a page can say "Källa: …, date".
- `Quota` is one kind of quota per municipality and year: requested (kommuntal, anmodning, the
  distribution figure for unaccompanied minors), decided (vedtak), received to date, and a status.
  Within a county the distributed figures may be moved between municipalities, never changed in
  total (services.py `quota_distribution_change`).
- `ContactPerson` is a person by role: an account, or just a name and an address.
- `ReportingRound` asks municipalities for their figures by a deadline (`RoundParty` per
  municipality, with a personal link as the questionnaires have).

The pages (`MunicipalityIndexPage`, one per site) show the municipalities of the counties the
site covers; see the page's docstring.
"""

from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Orderable, Page

from portal.admin_forms import OrganisationChoicesAdminForm
from portal.fields import optional_reference
from portal.organisations import Country, OrganisationKind
from portal.routes import page_view
from portal.tokens import SignedLink

TOKEN_SALT = "municipalities.report"
MUNICIPALITY = {"kind": OrganisationKind.MUNICIPALITY}


def municipality_key(*, related_name: str) -> models.ForeignKey:
    """The municipality a record is about: an organisation of the register of that kind (the
    admin's choosers offer today's, portal/admin_forms.py)."""
    return models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name=related_name,
        limit_choices_to=MUNICIPALITY,
    )


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members only")


class Gender(models.TextChoices):
    # Kolada's codes: T(otalt), K(vinnor), M(än).
    TOTAL = "T", _("All")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class FigureType(models.Model):
    """What a key figure means: shown with every value of it."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("E.g. persons, %."))
    source = models.CharField(_("source"), max_length=200, blank=True)
    visibility = models.CharField(
        _("who may see it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    kolada_kpi = models.CharField(
        _("Kolada KPI"),
        max_length=20,
        blank=True,
        help_text=_("The key figure's id in Kolada (e.g. N00945), for the Kolada import."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("key-figure type")
        verbose_name_plural = _("key-figure types")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class FigureValue(models.Model):
    figure_type = models.ForeignKey(
        FigureType, verbose_name=_("key figure"), on_delete=models.CASCADE, related_name="values"
    )
    organisation = municipality_key(related_name="figure_values")
    period = models.CharField(_("period"), max_length=16, help_text=_("A year, e.g. 2026."))
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL
    )
    age_group = models.CharField(
        _("age group"), max_length=32, blank=True, help_text=_("E.g. 0–17. Empty: all ages.")
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=200)
    retrieved_on = models.DateField(_("retrieved"), default=timezone.localdate)
    reported_in = optional_reference("ReportingRound", _("reported in"), related_name="values")

    class Meta:
        verbose_name = _("key-figure value")
        verbose_name_plural = _("key-figure values")
        ordering = ["figure_type__sort_order", "period", "gender", "age_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["figure_type", "organisation", "period", "gender", "age_group"],
                name="one_value_per_figure_period_group",
            )
        ]

    def __str__(self):
        return f"{self.figure_type} {self.organisation} {self.period}: {self.value}"


class QuotaKind(models.TextChoices):
    KOMMUNTAL = "kommuntal", _("Municipal quota (kommuntal)")
    UNACCOMPANIED = "unaccompanied", _("Distribution figure for unaccompanied minors")
    ANMODNING = "anmodning", _("Request and decision (anmodning and vedtak)")


# The kinds whose figures are a county's figure shared among its municipalities.
DISTRIBUTED_KINDS = frozenset({QuotaKind.KOMMUNTAL, QuotaKind.UNACCOMPANIED})


class QuotaStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    DECIDED = "decided", _("Decided")
    DEFERRED = "deferred", _("Deferred")
    NO_LETTER = "no_letter", _("No formal letter received")
    NEGATIVE = "negative", _("Negative")
    MET = "met", _("Met")


class Quota(models.Model):
    """One kind of quota of one municipality for one year."""

    organisation = municipality_key(related_name="quotas")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=QuotaKind.choices)
    requested = models.PositiveIntegerField(
        _("requested"),
        null=True,
        blank=True,
        help_text=_("The kommuntal, the anmodning or the distribution figure."),
    )
    decided = models.PositiveIntegerField(
        _("decided"), null=True, blank=True, help_text=_("What the municipality decided (vedtak).")
    )
    received = models.PositiveIntegerField(_("received to date"), default=0)
    status = models.CharField(
        _("status"), max_length=16, choices=QuotaStatus.choices, default=QuotaStatus.REQUESTED
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    retrieved_on = models.DateField(_("retrieved"), default=timezone.localdate)

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["-year", "kind", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "kind"], name="one_quota_per_kind_and_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.get_kind_display()}"

    @property
    def target(self) -> int | None:
        """What counts as the quota: the decision when there is one, else the request."""
        return self.decided if self.decided is not None else self.requested

    @property
    def reached_percent(self) -> int | None:
        return round(100 * self.received / self.target) if self.target else None


class ContactRole(models.TextChoices):
    SETTLEMENT = "settlement", _("Settlement contact")
    HOUSING = "housing", _("Housing contact")
    RECEPTION = "reception", _("Head of the reception unit")


class ContactPerson(models.Model):
    """A municipality's contact for a role: an account, or just a name and an address."""

    organisation = municipality_key(related_name="contact_persons")
    role = models.CharField(_("role"), max_length=16, choices=ContactRole.choices)
    user = models.ForeignKey(
        "portal.User",
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="municipal_contacts",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    job_title = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), blank=True)

    base_form_class = OrganisationChoicesAdminForm
    panels: ClassVar = [
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("user"),
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("job_title"),
                FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
                FieldPanel("address"),
            ],
            heading=_("Without an account"),
        ),
    ]

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["organisation__name", "role", "name"]

    def __str__(self):
        return f"{self.display_name} ({self.get_role_display()}, {self.organisation})"

    def clean(self):
        if self.user_id is None and not self.name.strip():
            raise ValidationError(_("Choose an account or give a name."))

    @property
    def display_name(self) -> str:
        if self.user_id and not self.name:
            return self.user.get_full_name() or self.user.email
        return self.name

    @property
    def display_email(self) -> str:
        return self.email or (self.user.email if self.user_id else "")


class ReportingRound(ClusterableModel):
    """ "Report your figures by 15 March": the municipalities asked, the figures, the deadline."""

    title = models.CharField(_("title"), max_length=200)
    network = models.ForeignKey(
        "networks.NetworkPage",
        verbose_name=_("organising network"),
        on_delete=models.CASCADE,
        related_name="reporting_rounds",
        help_text=_("Its coordinators and the site's strategists follow the round."),
    )
    period = models.CharField(_("period"), max_length=16, help_text=_("The year reported on."))
    deadline = models.DateField(_("deadline"))
    figure_types = ParentalManyToManyField(
        FigureType, verbose_name=_("key figures asked for"), related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    base_form_class = OrganisationChoicesAdminForm
    panels: ClassVar = [
        FieldPanel("title"),
        FieldPanel("network"),
        FieldRowPanel([FieldPanel("period"), FieldPanel("deadline")]),
        FieldPanel("figure_types"),
        InlinePanel("parties", label=_("Municipalities asked")),
    ]

    class Meta:
        verbose_name = _("reporting round")
        verbose_name_plural = _("reporting rounds")
        ordering = ["-deadline"]

    def __str__(self):
        return self.title


class RoundParty(SignedLink, Orderable):
    """A municipality asked in a round; `reported_at` is set when its contact sends the figures."""

    link_salt = TOKEN_SALT
    link_related = ("round__network", "organisation")

    round = ParentalKey(ReportingRound, on_delete=models.CASCADE, related_name="parties")
    organisation = municipality_key(related_name="+")
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    reported_by = models.CharField(_("reported by"), max_length=200, blank=True)

    panels: ClassVar = [FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("municipality asked")
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="one_party_per_round")
        ]

    def __str__(self):
        return f"{self.organisation} – {self.round}"


class MunicipalityIndexPage(RoutablePageMixin, Page):
    """`/kommuner/`: a page per municipality and per county, from the register.

    Which municipalities a site shows: those of the counties chosen here (Södertörn: Stockholms
    län; Østfold: Østfold); with none chosen, every municipality of the page's country (the
    national site). The same municipality can so appear on several sites, with the same figures
    and quotas (they are the municipality's, not the site's); what is member-only on it is for
    the members and strategists of the site showing it (networks/access.py
    `can_view_municipality_details`).
    """

    intro = models.TextField(_("introduction"), blank=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.SWEDEN
    )
    counties = ParentalManyToManyField(
        "portal.County",
        verbose_name=_("counties shown"),
        blank=True,
        related_name="+",
        help_text=_("Empty: every municipality of the country."),
    )

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("country"),
        FieldPanel("counties"),
    ]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = []
    max_count_per_parent = 1
    show_in_menus_default = True

    class Meta:
        verbose_name = _("municipality pages")

    overview = page_view("", "index")
    county = page_view("lan/<slug:county_slug>/", "county")
    county_export = page_view(
        r"^lan/(?P<county_slug>[-\w]+)/kvoter/(?P<fmt>csv|xlsx)/$", "county_export"
    )
    reporting_round = page_view("rapportering/<int:round_id>/", "reporting_round", name="round")
    municipality = page_view("<slug:slug>/", "municipality")
    figures_export = page_view(r"^(?P<slug>[-\w]+)/nyckeltal/(?P<fmt>csv|xlsx)/$", "figures_export")


class ImportSource(models.TextChoices):
    MIGRATIONSVERKET = "migrationsverket", _("Migrationsverket: Kommunmottagande med kommuntal")
    IMDI = "imdi", _("IMDi: anmodning og vedtak")
    KOLADA = "kolada", _("Kolada: key figures by municipality")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One import, run in the background (tasks.py); its progress and outcome are shown in the
    admin's list of imports."""

    source = models.CharField(_("source"), max_length=20, choices=ImportSource.choices)
    file = models.FileField(
        _("file"),
        upload_to="municipality-imports/",
        blank=True,
        help_text=_("The spreadsheet as published (XLSX). Not needed for Kolada."),
    )
    figure_type = optional_reference(
        FigureType,
        _("key figure"),
        help_text=_("Kolada only: the key figure to fetch (it names its Kolada KPI)."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Empty: the year the file names.")
    )
    retrieved_on = models.DateField(_("retrieved"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows read"), default=0)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    panels: ClassVar = [
        FieldPanel("source"),
        FieldPanel("file"),
        FieldPanel("figure_type"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("retrieved_on")]),
    ]

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_source_display()} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress(self) -> str:
        percent = round(100 * self.done / self.total) if self.total else 0
        return f"{self.done}/{self.total} ({percent} %)"
