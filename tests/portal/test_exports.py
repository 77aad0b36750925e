"""Spreadsheet downloads: formulas are defused, Excel reads the letters, XLSX opens."""

import csv
import io

import openpyxl
import pytest

from portal import exports

HEADER = ["Namn", "Telefon", "Antal"]
HOSTILE = ['=HYPERLINK("http://evil")', "+46 8 123", "-1+1", "@SUM(A1)", "\tx", "\rx"]


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def download(fmt, rows):
    return exports.spreadsheet_response(fmt=fmt, filename="lista", header=HEADER, rows=rows)


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_defuses_every_formula_start(value):
    assert csv_rows(download("csv", [[value, "", 1]]))[1][0] == "'" + value


def test_csv_leaves_ordinary_text_and_numbers_alone():
    rows = csv_rows(download("csv", [["Åsa Öberg", None, -3]]))
    assert rows[1] == ["Åsa Öberg", "", "-3"]


def test_csv_starts_with_a_byte_order_mark_and_uses_semicolons():
    response = download("csv", [["Höör", "", 2]])
    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig").splitlines()[0] == "Namn;Telefon;Antal"
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lista.csv"'


def test_exports_are_never_kept_in_a_shared_cache():
    for fmt in exports.FORMATS:
        assert download(fmt, [])["Cache-Control"] == "private, no-store"


def test_xlsx_opens_with_openpyxl_and_keeps_values_and_types():
    response = download("xlsx", [["Åsa Öberg", None, 12]])
    assert response["Content-Type"] == exports.XLSX_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="lista.xlsx"'
    assert xlsx_rows(response) == [HEADER, ["Åsa Öberg", None, 12]]


def test_xlsx_stores_formula_like_text_as_text():
    response = download("xlsx", [[value, "", 0] for value in HOSTILE])
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [row[0] for row in workbook.active.iter_rows(min_row=2)]

    # Whether a lone \r reads back as \r or \n depends on openpyxl's XML reader (lxml or not).
    def same_line_ends(text):
        return text.replace("\r", "\n")

    assert [same_line_ends(cell.value) for cell in cells] == [
        same_line_ends(value) for value in HOSTILE
    ]
    assert {cell.data_type for cell in cells} == {"s"}


def test_xlsx_drops_control_characters_the_format_cannot_hold():
    assert xlsx_rows(download("xlsx", [["Hö\x00ör\x1b", "", 1]]))[1][0] == "Höör"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError):
        download("ods", [])
