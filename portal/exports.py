"""Spreadsheet downloads: one list of rows, written as CSV or as XLSX.

Every export in the portal (member directory, participant lists, the good-practice catalogue, a
subscriber's own data) goes through `spreadsheet_response`, so the rules below hold for all:

- What people typed can never run as a formula. In CSV a cell starting with = + - @ (or a tab or
  carriage return, which some spreadsheets skip before looking) gets a leading apostrophe; in XLSX
  every text cell is stored as text, so nothing is read as a formula.
- CSV is UTF-8 with a byte-order mark (Excel reads å, ä, ö, ø only with one) and semicolons
  between cells (the list separator of Swedish and Norwegian Excel, where the comma is the decimal
  sign).
- Exports carry personal data: no shared cache may keep them.

Wagtail's `SpreadsheetExportMixin` does the same for admin list views of one queryset; these
exports are rows composed from several models and served from page routes, hence this module.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Row = Sequence[object]


def csv_cell(value: object) -> object:
    """The value as CSV may hold it: text that a spreadsheet would run as a formula is defused."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_response(
    *, fmt: str, filename: str, header: Row, rows: Iterable[Row]
) -> HttpResponse:
    """A download of `header` and `rows` as `filename`.csv or `filename`.xlsx (`fmt`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown spreadsheet format {fmt!r}")
    if fmt == XLSX:
        response = HttpResponse(_xlsx_bytes(header, rows), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=DELIMITER)
        for row in _with_header(header, rows):
            writer.writerow([csv_cell(value) for value in row])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _with_header(header: Row, rows: Iterable[Row]) -> Iterable[Row]:
    yield header
    yield from rows


def _xlsx_bytes(header: Row, rows: Iterable[Row]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in _with_header(header, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _xlsx_cell(sheet, value: object) -> WriteOnlyCell:
    if value is None:
        value = ""
    elif isinstance(value, str):
        # Control characters are not allowed in the file format; openpyxl would refuse the row.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    elif not isinstance(value, int | float):
        value = str(value)
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula: keep it text
        cell.data_type = "s"
    return cell
