"""The report as PDF and DOCX: both open and hold the eleven chapter headings."""

from tests.reports.helpers import CHAPTER_HEADINGS, docx_text, pdf_text, published


def test_the_pdf_opens_and_holds_the_chapter_headings(year):
    text = pdf_text(published(year))
    for heading in CHAPTER_HEADINGS:
        assert heading in text


def test_the_docx_opens_and_holds_the_chapter_headings(year):
    text = docx_text(published(year)).splitlines()
    for heading in CHAPTER_HEADINGS:
        assert heading in text


def test_the_economy_table_is_in_both_documents(year):
    from reports.models import AnnualReportPage
    from tests.reports.helpers import generate, justera

    report = generate(year)
    draft = report.get_latest_revision_as_object()
    draft.economy = [
        ("table", {"data": [["Post", "Kronor"], ["Överskott 2017", "95 190"]]}),
    ]
    draft.save_revision(user=year.strategist)
    draft.save()
    report = justera(AnnualReportPage.objects.get(pk=report.pk), year.approvers)
    assert "95 190" in pdf_text(report)
    assert "95 190" in docx_text(report)
