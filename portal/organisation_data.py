"""Public facts shipped with the portal: Sweden's counties and municipalities, Østfold's
kommuner and the agencies and organisations that the network documents name."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# (name, kind, country) for the agencies and partners named in the network documents.
NAMED_ORGANISATIONS = [
    ("Migrationsverket", "state_agency", "SE"),
    ("Arbetsförmedlingen", "state_agency", "SE"),
    ("Försäkringskassan", "state_agency", "SE"),
    ("Sveriges Kommuner och Regioner (SKR)", "other", "SE"),
    ("Kommunförbundet Skåne", "other", "SE"),
    ("Kommunförbundet Stockholms län", "other", "SE"),
    ("Södertörns brandförsvarsförbund", "other", "SE"),
    ("Transkulturellt centrum", "other", "SE"),
    ("Stockholmsregionens integrationsråd", "other", "SE"),
    ("Region Stockholm", "region", "SE"),
    ("Region Skåne", "region", "SE"),
    ("Region Östergötland", "region", "SE"),
    ("RFSL", "civil_society", "SE"),
    ("Svenska Röda korset", "civil_society", "SE"),
    ("Kompisbyrån", "civil_society", "SE"),
    ("Integrerings- og mangfoldsdirektoratet (IMDi)", "state_agency", "NO"),
    ("Utlendingsdirektoratet (UDI)", "state_agency", "NO"),
    ("Barne-, ungdoms- og familieetaten (Bufetat)", "state_agency", "NO"),
    ("Husbanken", "state_agency", "NO"),
    ("NAV", "state_agency", "NO"),
    ("KS – Kommunesektorens organisasjon", "other", "NO"),
    ("Fylkesmannen i Østfold", "county_administration", "NO"),
    ("Østfold fylkeskommune", "region", "NO"),
]


def _rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_organisations(County, Organisation):
    """Create or update the register. Safe to run again: it matches on official codes and names."""
    counties = {}
    for row in _rows("se_counties.csv"):
        county, _ = County.objects.update_or_create(
            country="SE", code=row["code"], defaults={"name": row["name"]}
        )
        counties[row["code"]] = county
        Organisation.objects.update_or_create(
            country="SE",
            name=f"Länsstyrelsen i {row['name']}",
            defaults={"kind": "county_administration", "county": county},
        )
    for row in _rows("se_municipalities.csv"):
        Organisation.objects.update_or_create(
            country="SE",
            official_code=row["code"],
            defaults={
                "name": row["name"],
                "kind": "municipality",
                "county": counties[row["county_code"]],
            },
        )
    ostfold, _ = County.objects.update_or_create(
        country="NO", code="01", defaults={"name": "Østfold"}
    )
    for row in _rows("no_ostfold.csv"):
        Organisation.objects.update_or_create(
            country="NO",
            official_code=row["code"],
            defaults={"name": row["name"], "kind": "municipality", "county": ostfold},
        )
    for name, kind, country in NAMED_ORGANISATIONS:
        Organisation.objects.update_or_create(country=country, name=name, defaults={"kind": kind})
