"""The minutes as a Word file (python-docx), for municipal staff who are asked for DOCX.

Like the PDF, it is served through Wagtail's page serving, so the member-space rule has been
asked before a byte is produced; this module only writes. Same content as the PDF: the head,
each agenda item with its notes and decisions, the action items.
"""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from docx import Document

from .pdf import minutes_facts, rich_text_lines


def minutes_docx(*, minutes) -> bytes:
    document = Document()
    document.core_properties.title = minutes.title
    document.core_properties.author = "Samverkansportalen"
    document.add_heading(minutes.title, level=0)
    facts = minutes_facts(minutes)
    table = document.add_table(rows=len(facts), cols=2)
    for row, (label, value) in zip(table.rows, facts, strict=True):
        row.cells[0].paragraphs[0].add_run(label).bold = True
        row.cells[1].text = value
    for number, block in enumerate(minutes.agenda, start=1):
        section = block.value
        time = f"{section['time']:%H:%M} " if section.get("time") else ""
        document.add_heading(f"{number}. {time}{section['heading']}", level=1)
        if section.get("speaker"):
            document.add_paragraph().add_run(section["speaker"]).italic = True
        for line in rich_text_lines(section.get("notes")):
            document.add_paragraph(line)
        decisions = rich_text_lines(section.get("decisions"))
        if decisions:
            document.add_heading(_("Decisions"), level=2)
            for line in decisions:
                document.add_paragraph(line, style="List Bullet")
    items = list(minutes.action_items.all())
    if items:
        document.add_heading(_("Action items"), level=1)
        table = document.add_table(rows=1, cols=4)
        for cell, label in zip(
            table.rows[0].cells, (_("What"), _("Owner"), _("Due"), _("Status")), strict=True
        ):
            cell.paragraphs[0].add_run(label).bold = True
        for item in items:
            cells = table.add_row().cells
            cells[0].text = item.what
            cells[1].text = item.owner.get_full_name() if item.owner else "–"
            cells[2].text = (
                formats.date_format(item.due_date, "SHORT_DATE_FORMAT") if item.due_date else "–"
            )
            cells[3].text = str(item.get_status_display())
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
