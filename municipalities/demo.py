"""Demo municipality pages: Södertörn's kommuner in Stockholms län and seed 002's table of the 18
Østfold kommuner (what IMDi asked of each and what each decided, 2015; seven of them have been
merged into others since 2020 and keep their figures as retired kommuner). Running it again
changes nothing."""

from datetime import date, timedelta

from django.utils import timezone

from networks.models import NetworkPage
from portal.models import County, Organisation
from portal.organisation_data import norwegian_municipality_name

from . import services
from .models import (
    ContactPerson,
    ContactRole,
    FigureType,
    Gender,
    MunicipalityIndexPage,
    QuotaKind,
    QuotaStatus,
    ReportingRound,
    RoundParty,
    Visibility,
)

MIGRATIONSVERKET = "Migrationsverket, Kommunmottagande med kommuntal"
IMDI = "IMDi, anmodning og vedtak (Fylkesmannen i Østfold, seed 002)"

# Södertörn's ten: (kommuntal, received to date) for the year.
SODERTORN_KOMMUNTAL = {
    "Botkyrka kommun": (112, 64),
    "Haninge kommun": (98, 71),
    "Huddinge kommun": (121, 58),
    "Nacka kommun": (104, 90),
    "Nykvarns kommun": (12, 4),
    "Nynäshamns kommun": (29, 30),
    "Salems kommun": (18, 9),
    "Södertälje kommun": (57, 41),
    "Tyresö kommun": (49, 22),
    "Värmdö kommun": (46, 25),
}

# Seed 002: (kommune, anmodning, vedtak, status, what the table says).
OSTFOLD_2015 = [
    ("Fredrikstad", 80, 105, QuotaStatus.DECIDED,
     "Vil bosette i tillegg til 105 flyktninger 15 fra Syria"),
    ("Sarpsborg", 120, 140, QuotaStatus.DECIDED,
     "Vedtak om å bosette ca. 140 flyktninger i 2015 og 2016, økt fra 120 flyktninger"),
    ("Moss", 30, 43, QuotaStatus.DECIDED,
     "Vedtatt å øke bosettingen fra 30 til 43 personer i 2015 og fra 30 til 47 personer i 2016"),
    ("Rakkestad", 30, 30, QuotaStatus.DECIDED,
     "Positive til å øke bosettingen i tråd med IMDis opprinnelige anmodning, men sier ikke ja "
     "til tilleggsanmodningen"),
    ("Våler (Østfold)", 12, None, QuotaStatus.REQUESTED,
     "Foreløpig innstilling: imøtekommer tilleggsanmodningen delvis; inntil 12 personer"),
    ("Hvaler", 15, 20, QuotaStatus.DECIDED,
     "Vedtatt tilleggsanmodning på 5 ekstra flyktninger i både 2015 og 2016"),
    ("Eidsberg", 20, None, QuotaStatus.DEFERRED,
     "Vil fatte nytt vedtak for bosetting i 2016 i løpet av høsten 2015"),
    ("Spydeberg", 10, None, QuotaStatus.DEFERRED,
     "Vil avvente resultatene fra prosesser med bla. å skaffe til veie egnede boliger"),
    ("Rygge", 20, None, QuotaStatus.DEFERRED, "Bedt om utsatt frist"),
    ("Askim", 25, None, QuotaStatus.REQUESTED, ""),
    ("Aremark", 5, None, QuotaStatus.REQUESTED, ""),
    ("Råde", 10, None, QuotaStatus.REQUESTED, ""),
    ("Trøgstad", 8, None, QuotaStatus.REQUESTED, ""),
    ("Hobøl", 8, None, QuotaStatus.REQUESTED, ""),
    ("Marker", 6, None, QuotaStatus.NO_LETTER, "Ikke mottatt formelt brev"),
    ("Halden", 48, 48, QuotaStatus.DECIDED, "48 personer i 2015 og 40 personer i 2016"),
    ("Skiptvet", 8, None, QuotaStatus.DEFERRED, "Bedt om utsatt frist, men er foreløpig positive"),
    ("Rømskog", 3, 0, QuotaStatus.NEGATIVE,
     "Innstillingen til formannskapet er negativ til å øke antallet bosettingsplasser"),
]  # fmt: skip

# Seed 004's indicators.
FIGURE_TYPES = [
    ("sfi", "Nyanlända som läser SFI", "Antal nyanlända som läser SFI, per nivå (A–D).",
     "personer", Visibility.PUBLIC),
    ("halsoundersokningar", "Hälsoundersökningar", "Antal hälsoundersökningar av nyanlända, "
     "uppdelat kvinnor och män.", "st", Visibility.MEMBERS),
    ("mottagna", "Mottagna nyanlända", "Antal nyanlända som tagits emot och bosatts under året.",
     "personer", Visibility.PUBLIC),
]  # fmt: skip


def _index(context, key, *, country, county, title, intro):
    home = context.site_home(key)
    page = home.get_children().type(MunicipalityIndexPage).first()
    if page is not None:
        return page.specific
    page = MunicipalityIndexPage(
        title=title, slug="kommuner", intro=intro, country=country, show_in_menus=True
    )
    page.counties.set([county])
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _figures(today):
    types = {}
    for order, (code, name, definition, unit, visibility) in enumerate(FIGURE_TYPES):
        types[code], _ = FigureType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "definition": definition,
                "unit": unit,
                "source": "Länsstyrelsen, regional överenskommelse (seed 004)",
                "visibility": visibility,
                "sort_order": order,
            },
        )
    botkyrka = Organisation.objects.get(name="Botkyrka kommun")
    source = "Botkyrka kommun, årsrapport"
    for year, received, sfi, women, men in (
        (2023, 380, (120, 95, 80, 40), 88, 97),
        (2024, 310, (110, 90, 85, 52), 72, 80),
        (2025, 240, (95, 82, 77, 60), 61, 66),
    ):
        period = str(year)
        services.figure_value_set(
            figure_type=types["mottagna"], organisation=botkyrka, period=period,
            value=received, source="Migrationsverket", retrieved_on=today,
        )  # fmt: skip
        for level, count in zip("ABCD", sfi, strict=True):
            services.figure_value_set(
                figure_type=types["sfi"], organisation=botkyrka, period=period, value=count,
                source=source, retrieved_on=today, age_group=f"nivå {level}",
            )  # fmt: skip
        for gender, count in ((Gender.WOMEN, women), (Gender.MEN, men)):
            services.figure_value_set(
                figure_type=types["halsoundersokningar"], organisation=botkyrka, period=period,
                value=count, source="Region Stockholm", retrieved_on=today, gender=gender,
            )  # fmt: skip
    return types


def _contacts(context):
    botkyrka = Organisation.objects.get(name="Botkyrka kommun")
    strateg = context.users.get("strateg@example.org")
    people = [
        (botkyrka, ContactRole.SETTLEMENT, {"user": strateg}),
        (botkyrka, ContactRole.HOUSING, {
            "name": "Karin Boström", "job_title": "Bostadssamordnare",
            "email": "bostad@botkyrka.example.org",
            "address": "Botkyrka kommun\nMunkhättevägen 45\n147 85 Tumba",
        }),
        (botkyrka, ContactRole.RECEPTION, {
            "name": "Ali Hassan", "job_title": "Enhetschef, mottagningsenheten",
            "email": "mottagning@botkyrka.example.org",
        }),
        # Huddinge has a housing contact only: the county overview flags the rest.
        (Organisation.objects.get(name="Huddinge kommun"), ContactRole.HOUSING, {
            "user": context.users.get("medlem@example.org"),
        }),
    ]  # fmt: skip
    for organisation, role, fields in people:
        if fields.get("user", True) is None:
            continue
        ContactPerson.objects.get_or_create(organisation=organisation, role=role, defaults=fields)


def _round(types, today):
    network = NetworkPage.objects.filter(slug="bosattning").first()
    if network is None or ReportingRound.objects.filter(network=network).exists():
        return
    reporting_round = ReportingRound.objects.create(
        title="Länsrapport 2025: rapportera era siffror senast 15 mars",
        network=network,
        period="2025",
        deadline=date(today.year + 1, 3, 15),
    )
    reporting_round.figure_types.set([types["mottagna"]])
    reporting_round.save()  # a parental many-to-many is written when the round is saved
    names = ["Botkyrka kommun", "Haninge kommun", "Huddinge kommun", "Nacka kommun",
             "Södertälje kommun"]  # fmt: skip
    for name in names:
        RoundParty.objects.create(
            round=reporting_round, organisation=Organisation.objects.get(name=name)
        )
    for party, (value, who) in zip(
        reporting_round.parties.order_by("organisation__name"),
        [(240, "Sara Strateg"), (205, "Hanna Holm"), (198, "Maja Medlem")],
        strict=False,
    ):
        services.round_report_save(party=party, values={types["mottagna"]: value}, reported_by=who)


def load(context):
    today = timezone.localdate()
    stockholm = County.objects.get(country="SE", name="Stockholms län")
    ostfold = County.objects.get(country="NO", name="Østfold")
    _index(
        context, "sodertorn", country="SE", county=stockholm, title="Kommuner",
        intro="Kommuntal, mottagande och nyckeltal för kommunerna i Stockholms län.",
    )  # fmt: skip
    _index(
        context, "ostfold", country="NO", county=ostfold, title="Kommuner",
        intro="Anmodning og vedtak om bosetting for kommunene i Østfold.",
    )  # fmt: skip
    changes = services.Changes()
    year = today.year
    for name, (kommuntal, received) in SODERTORN_KOMMUNTAL.items():
        services.quota_write(
            organisation=Organisation.objects.get(name=name), year=year,
            kind=QuotaKind.KOMMUNTAL, changes=changes, requested=kommuntal, received=received,
            status=QuotaStatus.DECIDED, source=MIGRATIONSVERKET,
            retrieved_on=date(year, 1, 15),
        )  # fmt: skip
    for name, requested, decided, status, note in OSTFOLD_2015:
        services.quota_write(
            organisation=Organisation.objects.get(
                country="NO", name=norwegian_municipality_name(name)
            ),
            year=2015, kind=QuotaKind.ANMODNING, changes=changes, requested=requested,
            decided=decided, status=status, note=note, source=IMDI,
            retrieved_on=date(2015, 6, 1),
        )  # fmt: skip
    types = _figures(today - timedelta(days=30))
    _contacts(context)
    _round(types, today)
    context.log(f"municipalities: quotas {changes.summary()}")
