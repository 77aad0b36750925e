"""The organisation register: municipalities, counties, agencies and others that take part."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Organisation(models.Model):
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
    county = models.ForeignKey(
        County,
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.SWEDEN
    )
    website = models.URLField(_("website"), blank=True)

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
