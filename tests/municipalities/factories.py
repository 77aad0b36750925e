"""Municipality data for tests: figures, quotas, contacts, rounds, and the site's index page."""

import factory
from django.utils import timezone

from municipalities import models
from portal.models import County, Organisation
from tests.factories import IndexPageFactory


def municipality(name: str, country: str = "SE") -> Organisation:
    """A municipality of the register (loaded by portal's migration 0002)."""
    return Organisation.objects.get(country=country, name=name)


def county(name: str) -> County:
    return County.objects.get(name=name)


class MunicipalityIndexPageFactory(IndexPageFactory):
    """`/kommuner/` of the default site, for Stockholms län unless told otherwise."""

    class Meta:
        model = models.MunicipalityIndexPage
        skip_postgeneration_save = True

    title = "Kommuner"
    slug = "kommuner"
    country = "SE"

    @factory.post_generation
    def counties(self, create, extracted, **kwargs):
        chosen = extracted if extracted is not None else [county("Stockholms län")]
        self.counties.set(chosen)
        if create:
            self.save_revision().publish()


class FigureTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FigureType
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"figur-{n}")
    name = factory.Sequence(lambda n: f"Nyckeltal {n}")
    definition = "Antal nyanlända som tagits emot under året."
    unit = "personer"
    source = "Migrationsverket"


class FigureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FigureValue

    figure_type = factory.SubFactory(FigureTypeFactory)
    organisation = factory.LazyFunction(lambda: municipality("Botkyrka kommun"))
    period = "2025"
    value = 240
    source = "Migrationsverket"
    retrieved_on = factory.LazyFunction(timezone.localdate)


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Quota

    organisation = factory.LazyFunction(lambda: municipality("Botkyrka kommun"))
    year = 2026
    kind = models.QuotaKind.KOMMUNTAL
    requested = 112
    received = 64
    source = "Migrationsverket"


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ContactPerson

    organisation = factory.LazyFunction(lambda: municipality("Botkyrka kommun"))
    role = models.ContactRole.SETTLEMENT
    name = factory.Faker("name", locale="sv_SE")
    email = factory.Sequence(lambda n: f"kontakt{n}@kommun.example.org")


class ReportingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ReportingRound
        skip_postgeneration_save = True

    title = "Länsrapport 2025: rapportera senast 15 mars"
    period = "2025"
    deadline = factory.LazyFunction(lambda: timezone.localdate().replace(month=3, day=15))

    @factory.post_generation
    def figure_types(self, create, extracted, **kwargs):
        if extracted:
            self.figure_types.set(extracted)
            if create:
                self.save()  # a parental many-to-many is written when the round is saved

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        for organisation in extracted or []:
            models.RoundParty.objects.create(round=self, organisation=organisation)
