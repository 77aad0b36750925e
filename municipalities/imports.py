"""Imports in the authorities' own formats, with provenance, idempotent.

- Migrationsverket's "Kommunmottagande med kommuntal" (XLSX): a title row naming the year, then a
  header row (Län, Kommun, Kommunkod, Kommuntal, Anvisade, Mottagna…) and one row per kommun;
  rows without a kommunkod (the län's sums) are skipped. It sets each kommun's kommuntal and
  what it has received: the authority's own figures, so the county-total rule does not apply.
- IMDi's table of anmodning og vedtak (XLSX): header row (Fylke, Kommunenr., Kommune,
  Anmodning, Vedtak…), one row per kommune.
- Kolada's open API (JSON over HTTP), for a key figure (its `kolada_kpi`) by kommun and year.

Each import matches municipalities on their official code (a former one too, for the year of the
file: portal.organisations `municipality_register`), writes only what differs (a run over
the same file reports "0 new, 0 changed") and marks every value with its source and retrieval
date. `import_execute` runs one `ImportRun`, recording its progress as it goes (tasks.py runs it
in the background; the admin's list of imports shows it).
"""

import io
import json
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from portal.organisations import municipality_register

from . import services
from .models import ImportRun, ImportSource, ImportStatus, QuotaKind, QuotaStatus

MIGRATIONSVERKET = "Migrationsverket, Kommunmottagande med kommuntal"
IMDI = "IMDi, anmodning og vedtak"
KOLADA = "Kolada (RKA)"
PROGRESS_EVERY = 25
KOLADA_TIMEOUT = 20


class ImportProblem(ValueError):
    """The file is not in the shape expected: said in words the importer understands."""


@dataclass
class Row:
    code: str
    name: str
    requested: int | None
    decided: int | None = None
    received: int | None = None


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _number(value) -> int | None:
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if not text or text in ("-", "–"):
        return None
    try:
        return int(float(text.replace(",", ".")))
    except ValueError as error:
        raise ImportProblem(_("“%(value)s” is not a number.") % {"value": text}) from error


def _sheet_rows(data: bytes) -> list[tuple]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportProblem(_("The file could not be read as an Excel workbook (XLSX).")) from error
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def _header(rows, wanted: dict[str, tuple[str, ...]]):
    """The header row (the first with every wanted column) and each column's index."""
    for number, row in enumerate(rows):
        labels = [_text(cell).lower() for cell in row]
        found = {}
        for key, names in wanted.items():
            for index, label in enumerate(labels):
                if any(label.startswith(name) for name in names):
                    found.setdefault(key, index)
        if len(found) == len(wanted):
            return number, found
    raise ImportProblem(
        _("No header row with the columns %(columns)s was found.")
        % {"columns": ", ".join(names[0] for names in wanted.values())}
    )


def _year_in(rows, before: int) -> int | None:
    for row in rows[:before]:
        for cell in row:
            found = re.search(r"\b(20\d\d)\b", _text(cell))
            if found:
                return int(found.group(1))
    return None


def read_migrationsverket(data: bytes) -> tuple[int | None, list[Row]]:
    rows = _sheet_rows(data)
    start, columns = _header(
        rows,
        {"code": ("kommunkod",), "name": ("kommun",), "requested": ("kommuntal",),
         "received": ("mottagna", "bosatta")},
    )  # fmt: skip
    return _year_in(rows, start), _rows(rows[start + 1 :], columns)


def read_imdi(data: bytes) -> tuple[int | None, list[Row]]:
    rows = _sheet_rows(data)
    start, columns = _header(
        rows,
        {"code": ("kommunenr", "kommunenummer"), "name": ("kommune",),
         "requested": ("anmodning",), "decided": ("vedtak",)},
    )  # fmt: skip
    year = _year_in(rows, start + 1)
    return year, _rows(rows[start + 1 :], columns)


def _rows(rows, columns) -> list[Row]:
    found = []
    for row in rows:
        code = _text(row[columns["code"]]) if columns["code"] < len(row) else ""
        if not code.isdigit():
            continue  # a county's sum, a note or an empty line
        found.append(
            Row(
                code=code.zfill(4),
                name=_text(row[columns["name"]]),
                **{
                    key: _number(row[index])
                    for key, index in columns.items()
                    if key not in ("code", "name")
                },
            )
        )
    return found


def _progress(run: ImportRun, done: int) -> None:
    if done % PROGRESS_EVERY == 0 or done == run.total:
        ImportRun.objects.filter(pk=run.pk).update(done=done)


def _quotas(run: ImportRun, rows: list[Row], *, country, kind, source) -> services.Changes:
    # A file of 2015 names Rygge 0136 (Rygge then); one of today with that number means Moss.
    registry = municipality_register(country=country, year=run.year)
    changes = services.Changes()
    unknown = []
    run.total = len(rows)
    ImportRun.objects.filter(pk=run.pk).update(total=run.total)
    for done, row in enumerate(rows, start=1):
        organisation = registry.get(row.code)
        if organisation is None:
            unknown.append(f"{row.code} {row.name}")
        else:
            values = {
                "requested": row.requested,
                "source": source,
                "retrieved_on": run.retrieved_on,
            }
            if row.decided is not None:
                values["decided"] = row.decided
                values["status"] = QuotaStatus.DECIDED
            if row.received is not None:
                values["received"] = row.received
            _quota_import(organisation, run.year, kind, values, changes)
        _progress(run, done)
    if unknown:
        run.outcome = _("Not in the register: %(codes)s.") % {"codes": ", ".join(unknown)}
    return changes


def _quota_import(organisation, year, kind, values, changes: services.Changes) -> None:
    """Write the authority's figures; a later retrieval date alone is no change."""
    row_changes = services.Changes()
    quota = services.quota_write(
        organisation=organisation,
        year=year,
        kind=kind,
        changes=row_changes,
        **{k: v for k, v in values.items() if k != "retrieved_on"},
    )
    if row_changes.created or row_changes.updated:
        quota.retrieved_on = values["retrieved_on"]
        quota.save(update_fields=["retrieved_on"])
    changes.add(row_changes)


def kolada_values(kpi: str, codes: list[str], year: int) -> list[dict]:
    """Kolada's values for one KPI, these kommun codes and year (its API v2, JSON)."""
    base = settings.PORTAL_KOLADA_URL.rstrip("/")
    path = "/".join(
        urllib.parse.quote(part)
        for part in ("data", "kpi", kpi, "municipality", ",".join(codes), "year", str(year))
    )
    url = f"{base}/{path}"
    try:
        with urllib.request.urlopen(url, timeout=KOLADA_TIMEOUT) as response:  # noqa: S310
            payload = json.load(response)
    except (OSError, ValueError) as error:
        raise ImportProblem(_("Kolada did not answer: %(error)s") % {"error": error}) from error
    return payload.get("values", [])


def _kolada(run: ImportRun) -> services.Changes:
    figure_type = run.figure_type
    if figure_type is None or not figure_type.kolada_kpi:
        raise ImportProblem(_("Choose a key figure that names its Kolada KPI."))
    if run.year is None:
        raise ImportProblem(_("Give the year to fetch."))
    registry = municipality_register(country="SE", year=run.year)
    results = kolada_values(figure_type.kolada_kpi, sorted(registry), run.year)
    cells = [
        (result, cell)
        for result in results
        for cell in result.get("values", [])
        if cell.get("value") is not None
    ]
    run.total = len(cells)
    ImportRun.objects.filter(pk=run.pk).update(total=run.total)
    changes = services.Changes()
    for done, (result, cell) in enumerate(cells, start=1):
        organisation = registry.get(str(result.get("municipality")))
        if organisation is not None:
            services.figure_value_set(
                figure_type=figure_type,
                organisation=organisation,
                period=str(result.get("period", run.year)),
                value=cell["value"],
                gender=cell.get("gender") or "T",
                source=KOLADA,
                retrieved_on=run.retrieved_on,
                changes=changes,
            )
        _progress(run, done)
    return changes


def _read(run: ImportRun):
    run.file.open("rb")
    try:
        return run.file.read()
    finally:
        run.file.close()


def import_execute(*, run: ImportRun) -> services.Changes:
    """Run one import: its status, progress and outcome are kept on the run."""
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.RUNNING)
    try:
        if run.source == ImportSource.KOLADA:
            changes = _kolada(run)
        else:
            if not run.file:
                raise ImportProblem(_("Upload the spreadsheet to import."))
            reader, country, kind, source = {
                ImportSource.MIGRATIONSVERKET: (
                    read_migrationsverket,
                    "SE",
                    QuotaKind.KOMMUNTAL,
                    MIGRATIONSVERKET,
                ),
                ImportSource.IMDI: (read_imdi, "NO", QuotaKind.ANMODNING, IMDI),
            }[run.source]
            year, rows = reader(_read(run))
            run.year = run.year or year
            if run.year is None:
                raise ImportProblem(_("The file names no year: give the year."))
            changes = _quotas(run, rows, country=country, kind=kind, source=source)
    except ImportProblem as problem:
        run.status, run.outcome = ImportStatus.FAILED, str(problem)
        changes = services.Changes()
    else:
        run.status = ImportStatus.DONE
        run.outcome = " ".join(filter(None, [changes.summary() + ".", run.outcome]))
    run.finished_at = timezone.now()
    run.done = run.total if run.status == ImportStatus.DONE else run.done
    run.save(update_fields=["status", "outcome", "finished_at", "year", "total", "done"])
    return changes
