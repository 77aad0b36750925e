"""The archival PDF of published minutes (reportlab, no external tools).

The view that calls this is served through Wagtail's page serving, so the member-space rule has
been asked before a byte is produced; this module only draws.
"""

import io
import re
from html import unescape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from portal.sanitizer import clean_html, strip_tags

_BLOCK_SPLIT = re.compile(r"</(?:p|li|h[2-5])>|<br\s*/?>", re.IGNORECASE)


def _escape(text) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _rich_paragraphs(html, style) -> list:
    return [Paragraph(_escape(line), style) for line in rich_text_lines(html)]


def _names(users) -> str:
    return ", ".join(
        f"{u.get_full_name() or u.email}" + (f" ({u.organisation})" if u.organisation_id else "")
        for u in users
    )


def minutes_facts(minutes) -> list[tuple[str, str]]:
    """The head of the minutes (date, place, who was there, who approved), for every export."""
    return [
        (_("Date of the meeting"), formats.date_format(minutes.meeting_date, "DATE_FORMAT")),
        (_("Place"), minutes.place or "–"),
        (_("Present"), _names(minutes.present_members.all()) or "–"),
        (_("Guests"), ", ".join(str(g) for g in minutes.guests.all()) or "–"),
        (_("Apologies"), _names(minutes.apologies.all()) or "–"),
        (_("Approved by"), _approved_by(minutes)),
    ]


def _approved_by(minutes) -> str:
    """Published minutes name who approved which version; a draft names its approvers."""
    from .record import justering_line
    from .selectors import justering_of

    justering = justering_of(minutes) if minutes.live else []
    if justering:
        return "; ".join(justering_line(approval) for approval in justering)
    return _names(minutes.approvers.all()) or "–"


def rich_text_lines(html) -> list[str]:
    """Rich text as plain lines: sanitised first, then reduced to text."""
    cleaned = str(clean_html(str(html or "")))
    parts = [unescape(strip_tags(part)).strip() for part in _BLOCK_SPLIT.split(cleaned)]
    return [part for part in parts if part]


def minutes_pdf(*, minutes) -> bytes:
    styles = getSampleStyleSheet()
    body, h1, h2, h3 = styles["BodyText"], styles["Title"], styles["Heading2"], styles["Heading3"]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=minutes.title,
        author="Samverkansportalen",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story = [Paragraph(_escape(minutes.title), h1)]
    facts = minutes_facts(minutes)
    table = Table(
        [[Paragraph(f"<b>{_escape(k)}</b>", body), Paragraph(_escape(v), body)] for k, v in facts],
        colWidths=[40 * mm, None],
    )
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [table, Spacer(1, 6 * mm)]
    for number, block in enumerate(minutes.agenda, start=1):
        section = block.value
        time = f"{section['time']:%H:%M} " if section.get("time") else ""
        story.append(Paragraph(_escape(f"{number}. {time}{section['heading']}"), h2))
        if section.get("speaker"):
            story.append(Paragraph(_escape(section["speaker"]), styles["Italic"]))
        story += _rich_paragraphs(section.get("notes"), body)
        decisions = _rich_paragraphs(section.get("decisions"), body)
        if decisions:
            story.append(Paragraph(_escape(_("Decisions")), h3))
            story += decisions
    items = list(minutes.action_items.all())
    if items:
        story.append(Paragraph(_escape(_("Action items")), h2))
        rows = [[_("What"), _("Owner"), _("Due"), _("Status")]]
        for item in items:
            rows.append(
                [
                    Paragraph(_escape(item.what), body),
                    Paragraph(_escape(item.owner.get_full_name() if item.owner else "–"), body),
                    formats.date_format(item.due_date, "SHORT_DATE_FORMAT")
                    if item.due_date
                    else "–",
                    item.get_status_display(),
                ]
            )
        table = Table(rows, colWidths=[75 * mm, 40 * mm, 25 * mm, 25 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                    ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    attachments = [a.document.title for a in minutes.attachments.all() if a.document_id]
    if attachments:
        story.append(Paragraph(_escape(_("Attachments")), h2))
        story.append(ListFlowable([Paragraph(_escape(t), body) for t in attachments]))
    corrections = list(minutes.corrections.all())
    if corrections:
        story.append(Paragraph(_escape(_("Corrections")), h2))
        for correction in corrections:
            story.append(
                Paragraph(
                    _escape(
                        _("Corrected %(date)s: %(note)s")
                        % {"date": f"{correction.date:%Y-%m-%d}", "note": correction.note}
                    ),
                    body,
                )
            )
    doc.build(story)
    return buffer.getvalue()
