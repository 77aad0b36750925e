"""Imports in the authorities' formats, from small fixture files made in their shape, run as a
background task from the admin: idempotent, with provenance and progress."""

import io
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from municipalities.demo import OSTFOLD_2015
from municipalities.models import FigureValue, ImportRun, Quota, QuotaKind
from portal.models import Organisation
from portal.organisation_data import norwegian_municipality_name
from tests.municipalities.factories import FigureTypeFactory, county

pytestmark = pytest.mark.django_db


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def migrationsverket_file() -> bytes:
    """Kommunmottagande med kommuntal, as Migrationsverket publishes it: a title, the period,
    a header, a row per kommun and the län's sum."""
    kommuner = Organisation.objects.filter(county=county("Stockholms län"), kind="municipality")
    rows = [
        ["Kommunmottagande med kommuntal 2026"],
        ["Avser perioden 2026-01-01 – 2026-03-31. Källa: Migrationsverket"],
        [],
        ["Län", "Kommun", "Kommunkod", "Kommuntal", "Anvisade", "Mottagna totalt"],
    ]
    for n, kommun in enumerate(kommuner.order_by("official_code")):
        rows.append(["Stockholms län", kommun.name, kommun.official_code, 40 + n, 10 + n, 5 + n])
    rows.append(["Stockholms län totalt", "", "", 1365, 585, 455])
    return xlsx(rows)


def imdi_file() -> bytes:
    rows = [
        ["Anmodning og vedtak om bosetting av flyktninger 2015"],
        ["Fylke", "Kommunenr.", "Kommune", "Anmodning 2015", "Vedtak 2015"],
    ]
    codes = {o.name: o.official_code for o in Organisation.objects.filter(country="NO")}
    for name, requested, decided, _status, _note in OSTFOLD_2015:
        rows.append(["Østfold", codes[norwegian_municipality_name(name)], name, requested, decided])
    return xlsx(rows)


def start_import(client, **fields):
    data = {"year": "", "retrieved_on": "2026-04-02", "figure_type": "", **fields}
    return client.post(reverse("wagtailsnippets_municipalities_importrun:add"), data)


def stockholm_quotas():
    return list(
        Quota.objects.filter(year=2026, kind=QuotaKind.KOMMUNTAL)
        .order_by("organisation__official_code")
        .values_list("organisation__official_code", "requested", "received", "retrieved_on")
    )


def test_the_migrationsverket_file_sets_the_kommuntal_of_every_kommun_in_stockholms_lan(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = start_import(admin_client, source="migrationsverket",
                                file=SimpleUploadedFile("kommuntal.xlsx", migrationsverket_file()))  # fmt: skip
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.status == "done" and run.year == 2026
    assert run.outcome == "26 nya, 0 ändrade, 0 oförändrade."
    quotas = stockholm_quotas()
    assert len(quotas) == 26
    botkyrka = Quota.objects.get(organisation__name="Botkyrka kommun")
    assert botkyrka.source == "Migrationsverket, Kommunmottagande med kommuntal"
    assert botkyrka.retrieved_on == date(2026, 4, 2)
    listing = admin_client.get(reverse("wagtailsnippets_municipalities_importrun:list"))
    assert "26/26 (100 %)" in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        start_import(admin_client, source="migrationsverket", retrieved_on="2026-04-09",
                     file=SimpleUploadedFile("kommuntal.xlsx", migrationsverket_file()))  # fmt: skip
    again = ImportRun.objects.order_by("-pk").first()
    assert again.outcome == "0 nya, 0 ändrade, 26 oförändrade."
    assert stockholm_quotas() == quotas


def test_the_imdi_table_sets_anmodning_and_vedtak_of_the_18_ostfold_kommuner(
    admin_client, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            start_import(admin_client, source="imdi",
                         file=SimpleUploadedFile("anmodning.xlsx", imdi_file()))  # fmt: skip
    first, second = ImportRun.objects.order_by("pk")
    assert first.outcome == "18 nya, 0 ändrade, 0 oförändrade."
    assert second.outcome == "0 nya, 0 ändrade, 18 oförändrade."
    moss = Quota.objects.get(organisation__name="Moss kommune", year=2015)
    assert (moss.kind, moss.requested, moss.decided) == (QuotaKind.ANMODNING, 30, 43)


def test_a_file_that_is_not_the_spreadsheet_fails_with_a_message(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start_import(admin_client, source="migrationsverket",
                     file=SimpleUploadedFile("kommuntal.xlsx", b"inte ett kalkylblad"))  # fmt: skip
    run = ImportRun.objects.get()
    assert run.status == "failed"
    assert run.outcome == "Filen kunde inte läsas som en Excel-arbetsbok (XLSX)."
    assert not Quota.objects.exists()


class Kolada(BaseHTTPRequestHandler):
    """Kolada's API v2 on loopback: the one outside part, served from a fixture."""

    paths: list = []

    def do_GET(self):
        Kolada.paths.append(self.path)
        body = json.dumps({"count": 2, "values": [
            {"kpi": "N00945", "municipality": "0127", "period": 2025, "values": [
                {"gender": "K", "status": "", "value": 51.0, "count": 1},
                {"gender": "M", "status": "", "value": 49.0, "count": 1},
                {"gender": "T", "status": "", "value": None, "count": 0},
            ]},
            {"kpi": "N00945", "municipality": "0126", "period": 2025, "values": [
                {"gender": "T", "status": "", "value": 12.5, "count": 1},
            ]},
        ]}).encode()  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def kolada(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Kolada)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.PORTAL_KOLADA_URL = f"http://127.0.0.1:{server.server_port}/v2"
    yield Kolada.paths
    server.shutdown()


def test_kolada_values_come_in_by_kommun_gender_and_year(
    admin_client, kolada, django_capture_on_commit_callbacks
):
    figure = FigureTypeFactory(name="Andel i arbete", kolada_kpi="N00945")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            start_import(admin_client, source="kolada", figure_type=figure.pk, year="2025")
    first, second = ImportRun.objects.order_by("pk")
    assert first.outcome == "3 nya, 0 ändrade, 0 oförändrade."
    assert second.outcome == "0 nya, 0 ändrade, 3 oförändrade."
    assert kolada[0].startswith("/v2/data/kpi/N00945/municipality/")
    assert kolada[0].endswith("/year/2025")
    women = FigureValue.objects.get(organisation__name="Botkyrka kommun", gender="K")
    assert (women.value, women.period, women.source) == (51, "2025", "Kolada (RKA)")
