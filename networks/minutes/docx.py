"""The minutes as a Word file, for municipal staff who are asked for DOCX.

Like the PDF, it is served through Wagtail's page serving, so the member-space rule has been
asked before a byte is produced. Same outline as the PDF (pdf.py `minutes_outline`), written by
the one renderer (portal/paper.py).
"""

from portal import paper

from .pdf import minutes_outline


def minutes_docx(*, minutes) -> bytes:
    return paper.docx(title=minutes.title, blocks=minutes_outline(minutes))
