"""Public facts shipped with the portal: Sweden's counties and municipalities, Norway's fylker
and kommuner with their former numbers, and the agencies and organisations that the network
documents name.

The Norwegian files follow Statistics Norway's classifications (104 fylker, 131 kommuner) in
force since 1 January 2024: `no_counties.csv`, `no_municipalities.csv`. The numbers that the
2018, 2020 and 2024 reforms retired are in `no_former_counties.csv` and
`no_former_municipalities.csv` (from the 2016 structure on, with the last year each was in
force and the county or kommune of today that carries it; a split one has a row per successor).

A former number whose name is its successor's (Halden 0101 and 3001, Halden 3101 today) is that
municipality renumbered: one row, its old numbers beside it. Any other (Hobøl 0138, merged into
Indre Østfold) was a municipality of its own, kept as a retired one so that what it reported
keeps its name (see `Organisation`). The load is a handful of bulk queries."""

import csv
from datetime import date
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


def load_organisations(County, Organisation, FormerCountyCode=None, FormerMunicipalityCode=None):
    """Create or update the register in bulk. Safe to run again: it matches on official codes
    and names and writes only what differs.

    The former-number models are optional because the first data migration runs before they
    (and the validity dates) exist; without them only today's municipalities are loaded, and
    the migration that adds them loads the rest."""
    se_counties = _sync(
        County, ("country", "code"),
        [{"country": "SE", "code": r["code"], "name": r["name"]} for r in _rows("se_counties.csv")],
    )  # fmt: skip
    county_ids = {code: county.pk for (_, code), county in se_counties.items()}
    _sync(
        Organisation, ("country", "name"),
        [{"country": "SE", "name": f"Länsstyrelsen i {r['name']}",
          "kind": "county_administration", "county_id": county_ids[r["code"]]}
         for r in _rows("se_counties.csv")],
    )  # fmt: skip
    _sync(
        Organisation, ("country", "official_code"),
        [{"country": "SE", "official_code": r["code"], "name": r["name"],
          "kind": "municipality", "county_id": county_ids[r["county_code"]]}
         for r in _rows("se_municipalities.csv")],
    )  # fmt: skip
    _load_norway(County, Organisation, FormerCountyCode, FormerMunicipalityCode)
    if FormerMunicipalityCode is not None:
        accounts_follow_mergers(Organisation, FormerMunicipalityCode)
    _sync(
        Organisation, ("country", "name"),
        [{"country": country, "name": name, "kind": kind}
         for name, kind, country in NAMED_ORGANISATIONS],
    )  # fmt: skip


def accounts_follow_mergers(Organisation, FormerMunicipalityCode) -> int:
    """Accounts whose organisation a reform merged away take the municipality it became (a
    person of Hobøl works for Indre Østfold since 2020), so their profile, the directory and
    new memberships name today's. A split one's accounts keep theirs: only the person knows
    which successor they work for, and the profile offers today's. Records of the retired
    one's day (figures, quotas, answers, memberships) keep it. Returns how many moved; two
    queries and one per merged-away municipality that has accounts."""
    User = Organisation._meta.get_field("people").related_model
    merged_away = Organisation.objects.filter(
        kind="municipality", valid_until__isnull=False, people__isnull=False
    )
    retired = {
        (country, code): pk
        for pk, country, code in merged_away.distinct().values_list(
            "pk", "country", "official_code"
        )
    }
    successors = {}
    rows = FormerMunicipalityCode.objects.filter(
        code__in={code for _, code in retired}, organisation__valid_until__isnull=True
    )
    for country, code, successor in rows.values_list("country", "code", "organisation_id"):
        if (country, code) in retired:
            successors.setdefault(retired[country, code], set()).add(successor)
    moved = 0
    for retired_pk, found in successors.items():
        if len(found) == 1:
            moved += User.objects.filter(organisation_id=retired_pk).update(
                organisation_id=found.pop()
            )
    return moved


def _sync(Model, key, rows):
    """Create the rows not there (matched on the `key` fields) and update those that differ,
    in bulk; returns key → instance."""
    wanted = {tuple(values[f] for f in key): values for values in rows}
    countries = {values["country"] for values in rows}
    existing = {}
    for instance in Model.objects.filter(country__in=countries):
        existing.setdefault(tuple(getattr(instance, f) for f in key), instance)
    new, changed, found = [], [], {}
    for match, values in wanted.items():
        instance = existing.get(match)
        if instance is None:
            instance = Model(**values)
            new.append(instance)
        elif any(getattr(instance, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(instance, f, v)
            changed.append(instance)
        found[match] = instance
    Model.objects.bulk_create(new)
    fields = [f for f in next(iter(wanted.values()), {}) if f not in key]
    if changed and fields:
        Model.objects.bulk_update(changed, fields)
    return found


def norwegian_municipality_name(name):
    """SSB's name as an organisation's: "Våler (Østfold)" becomes "Våler kommune (Østfold)"."""
    base, _, qualifier = name.partition(" (")
    return f"{base} kommune ({qualifier}" if qualifier else f"{base} kommune"


def _name_parts(name):
    """ "Trondheim - Tråante" and "Trondheim" name the same kommune; so do "Våler (Hedmark)"
    and "Våler (Innlandet)"."""
    return set(name.partition(" (")[0].split(" - "))


def norwegian_history():
    """Read the former numbers: which renumbered a municipality of today (number → today's
    number and the number's last year), and the retired municipalities, each with its numbers (the last is its own),
    last year, name and successors' numbers."""
    today = {r["code"]: r for r in _rows("no_municipalities.csv")}
    by_code = {}
    for row in _rows("no_former_municipalities.csv"):
        by_code.setdefault(row["code"], []).append(row)
    renumbered, retired = {}, {}
    for code, rows in by_code.items():
        successors = sorted(r["successor_code"] for r in rows)
        same = [
            s for s in successors if _name_parts(rows[0]["name"]) & _name_parts(today[s]["name"])
        ]
        if same:
            renumbered[code] = (same[0], int(rows[0]["in_force_until"]))
            continue
        key = (rows[0]["name"].partition(" (")[0], tuple(successors))
        group = retired.setdefault(key, {"codes": [], "successors": successors})
        group["codes"].append((int(rows[0]["in_force_until"]), code, rows[0]["name"]))
    for group in retired.values():
        group["codes"].sort()
        group["until"], group["code"], group["name"] = group["codes"][-1]
    return renumbered, list(retired.values())


def _load_norway(County, Organisation, FormerCountyCode, FormerMunicipalityCode):
    rows = _rows("no_counties.csv")
    # A county loaded under a number of its day (Østfold was 01) keeps its row.
    taken = set(County.objects.filter(country="NO").values_list("code", flat=True))
    for row in rows:
        if row["code"] not in taken:
            County.objects.filter(country="NO", name=row["name"]).update(code=row["code"])
    counties = {
        code: county.pk
        for (_, code), county in _sync(
            County, ("country", "code"),
            [{"country": "NO", "code": r["code"], "name": r["name"]} for r in rows],
        ).items()
    }  # fmt: skip
    today = _rows("no_municipalities.csv")
    county_of = {r["code"]: counties[r["county_code"]] for r in today}
    history = FormerMunicipalityCode is not None
    renumbered, retired = norwegian_history()
    if history:
        _renumber(Organisation, renumbered, retired)
    municipalities = [
        {"country": "NO", "official_code": r["code"], "name": norwegian_municipality_name(r["name"]),
         "kind": "municipality", "county_id": county_of[r["code"]]}
        for r in today
    ]  # fmt: skip
    if not history:
        _sync(Organisation, ("country", "official_code"), municipalities)
        return
    former_counties = _rows("no_former_counties.csv")
    formed = _formed(renumbered, retired)
    for values in municipalities:
        values["valid_from"] = formed.get(values["official_code"])
        values["valid_until"] = None
    names = {r["code"]: r["name"] for r in former_counties}
    by_name = {r["name"]: counties[r["code"]] for r in rows}
    for group in retired:
        prefix = group["code"][:2]
        county = counties.get(prefix) if prefix not in names else by_name.get(names[prefix])
        municipalities.append(
            {"country": "NO", "official_code": group["code"],
             "name": norwegian_municipality_name(group["name"]), "kind": "municipality",
             "county_id": county or county_of[group["successors"][0]],
             "valid_from": None, "valid_until": date(group["until"], 12, 31)}
        )  # fmt: skip
    found = _sync(Organisation, ("country", "official_code"), municipalities)
    _sync(
        FormerCountyCode, ("country", "code", "county_id"),
        [{"country": "NO", "code": r["code"], "county_id": counties[r["successor_code"]],
          "name": r["name"], "in_force_until": int(r["in_force_until"])}
         for r in former_counties],
    )  # fmt: skip
    _sync(
        FormerMunicipalityCode, ("country", "code", "organisation_id"),
        [{"country": "NO", "code": r["code"], "name": r["name"],
          "organisation_id": found[("NO", r["successor_code"])].pk,
          "in_force_until": int(r["in_force_until"])}
         for r in _rows("no_former_municipalities.csv")],
    )  # fmt: skip


def _formed(renumbered, retired):
    """Today's number → the first day of a municipality that a reform formed: it took over
    retired ones and carries no number from before (Indre Østfold, 2020)."""
    merged = {}
    for group in retired:
        for successor in group["successors"]:
            merged[successor] = min(merged.get(successor, 9999), group["until"])
    own = {}
    for successor, until in renumbered.values():
        own[successor] = min(own.get(successor, 9999), until)
    return {
        code: date(year + 1, 1, 1) for code, year in merged.items() if own.get(code, 9999) > year
    }


def _renumber(Organisation, renumbered, retired):
    """Bring municipalities loaded under a number of their day (the 2018 Østfold list) to
    today's: Halden's row becomes 3101, keeping everything that points to it, and a retired
    one's row takes its own last number. A number already taken is left alone."""
    target = {code: successor for code, (successor, _) in renumbered.items()}
    for group in retired:
        target.update({code: group["code"] for _, code, _ in group["codes"][:-1]})
    municipalities = Organisation.objects.filter(country="NO", kind="municipality")
    taken = set(municipalities.values_list("official_code", flat=True))
    moved = []
    for organisation in municipalities.filter(official_code__in=target):
        new = target[organisation.official_code]
        if new not in taken:
            organisation.official_code = new
            taken.add(new)
            moved.append(organisation)
    Organisation.objects.bulk_update(moved, ["official_code"])
