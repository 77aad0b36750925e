"""The annual report's page and its printed documents; the admin's generate and regenerate
screens. Who may read which figures is `selectors.figures_for` (networks/access.py)."""

from django.template.response import TemplateResponse

from portal import paper

from . import outline, selectors


def report_context(request, page) -> dict:
    """The report's text as this reader may read it: the page, and the draft on the review
    screen (networks/minutes/views.py `review`)."""
    figures = selectors.figures_for(request.user, page)
    return {
        "page": page,
        "self": page,
        "chapters": outline.chapters(page, figures),
        "computed": outline.computed_line(page),
    }


def report_detail(request, page):
    context = report_context(request, page)
    return TemplateResponse(request, "reports/annual_report_page.html", context)


def _outline(request, page) -> list:
    return outline.outline(page, selectors.figures_for(request.user, page))


def report_pdf(request, page):
    data = paper.pdf(title=page.title, blocks=_outline(request, page))
    return paper.download(data, content_type=paper.PDF, filename=f"{page.slug}.pdf")


def report_docx(request, page):
    data = paper.docx(title=page.title, blocks=_outline(request, page))
    return paper.download(data, content_type=paper.DOCX, filename=f"{page.slug}.docx")
