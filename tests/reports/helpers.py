"""What a strategist does with an annual report in the tests, through the real services, and
how a reader's version is read (the page, the PDF, the DOCX)."""

import io

import docx
import pypdf
from django.test import Client

from networks.minutes import services as minutes_services
from reports import services
from reports.models import AnnualReportPage
from tests.minutes.helpers import stepped_up
from tests.reports.factories import YEAR

CHAPTER_HEADINGS = [
    "1. Inledning",
    "2. Nätverken",
    "3. Ledningsgrupp",
    "4. Andra seminarier och träffar",
    "5. Länsgemensamma kunskapsträffar och seminarier under året",
    "6. Regionala möten och nätverk",
    "7. Nationella möten och nätverk",
    "8. Kommunernas nyckeltalsarbete",
    "9. Ekonomi",
    "10. Kommunikation",
    "11. Sammanfattande analys",
]


def generate(year) -> AnnualReportPage:
    return services.report_generate(
        site=year.site,
        year=YEAR,
        networks=year.networks,
        steering_group=year.steering_group,
        user=year.strategist,
    )


def name_approvers(report, approvers) -> AnnualReportPage:
    """What the author does in the editor: name the approvers, save a revision."""
    draft = report.get_latest_revision_as_object()
    draft.approvers = list(approvers)
    draft.save_revision(user=report.owner)
    if not report.live:
        draft.save()
    return AnnualReportPage.objects.get(pk=report.pk)


def justera(report, approvers) -> AnnualReportPage:
    """Named, submitted and approved by each approver: published through the real workflow."""
    report = name_approvers(report, approvers)
    minutes_services.minutes_submit(minutes=report, user=report.owner)
    for approver in approvers:
        minutes_services.minutes_approve(minutes=report, user=approver, authentication=stepped_up())
    return AnnualReportPage.objects.get(pk=report.pk)


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_text(report, user=None) -> str:
    response = client_for(user).get(report.url)
    assert response.status_code == 200
    return response.content.decode()


def _body(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_text(report, user=None) -> str:
    data = _body(client_for(user).get(f"{report.url}pdf/"))
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def docx_text(report, user=None) -> str:
    data = _body(client_for(user).get(f"{report.url}docx/"))
    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def published(year) -> AnnualReportPage:
    """The seed year's report, generated and justerad by the steering group's two approvers."""
    return justera(generate(year), year.approvers)
