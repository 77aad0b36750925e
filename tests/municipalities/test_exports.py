"""Seed 002's table, entered and exported: the XLSX opens with openpyxl and holds the same."""

import csv
import io

import pytest
from openpyxl import load_workbook

from municipalities import services
from municipalities.demo import OSTFOLD_2015
from municipalities.models import QuotaKind, QuotaStatus
from portal.organisation_data import norwegian_municipality_name
from tests.municipalities.factories import MunicipalityIndexPageFactory, county, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def ostfold_path(home):
    """Østfold's municipality pages, with seed 002's 18 kommuner entered as a coordinator would."""
    page = MunicipalityIndexPageFactory(
        parent=home, title="Kommuner i Østfold", slug="ostfold", country="NO",
        counties=[county("Østfold")],
    )  # fmt: skip
    for name, requested, decided, status, note in OSTFOLD_2015:
        services.quota_set(
            organisation=municipality(norwegian_municipality_name(name), "NO"), year=2015,
            kind=QuotaKind.ANMODNING, requested=requested, decided=decided, status=status,
            note=note, source="IMDi",
        )  # fmt: skip
    return page.url


def test_seed_002s_eighteen_kommuner_export_to_xlsx_and_match(ostfold_path, client):
    response = client.get(f"{ostfold_path}lan/ostfold/kvoter/xlsx/")
    assert response["Content-Disposition"] == 'attachment; filename="kvoter-ostfold-2015.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header[:4] == ("Kommun", "Kod", "År", "Typ")
    assert len(body) == 18
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    labels = dict(QuotaStatus.choices)
    for name, requested, decided, status, note in OSTFOLD_2015:
        row = by_name[norwegian_municipality_name(name)]
        assert row["Begärt"] == requested
        assert row["Beslutat"] == decided
        assert row["Status"] == str(labels[status])
        assert (row["Anteckning"] or "") == note
    assert by_name["Marker kommune"]["Status"] == "Inget formellt brev mottaget"
    assert by_name["Moss kommune"]["Uppnått (%)"] == 0


def test_the_same_table_exports_as_csv(ostfold_path, client):
    response = client.get(f"{ostfold_path}lan/ostfold/kvoter/csv/")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 19
    assert rows[[r[0] for r in rows].index("Rygge kommune")][:3] == [
        "Rygge kommune",
        "0136",
        "2015",
    ]
