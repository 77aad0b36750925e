"""Documents the portal prints (minutes, annual reports): one outline, written as PDF
(reportlab, no external tools) or as DOCX (python-docx), so both files always hold the same.

The callers are behind the page's access rule and put in the outline only what the reader may
read; this module only writes. An outline is a title and a list of blocks: `Heading`, `Text`,
`Bullets`, `Table` and `Facts` (a two-column table of labels and values).
"""

import io
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import ClassVar

from django.http import FileResponse
from docx import Document
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

AUTHOR = "Samverkansportalen"


# `kind` lets a template show an outline too (templates/includes/paper_blocks.html).


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 chapter, 2 section, 3 sub-section
    kind: ClassVar[str] = "heading"


@dataclass(frozen=True)
class Text:
    text: str
    italic: bool = False
    kind: ClassVar[str] = "text"


@dataclass(frozen=True)
class Bullets:
    items: list
    kind: ClassVar[str] = "bullets"


@dataclass(frozen=True)
class Table:
    rows: list  # the first row is the header
    widths: tuple = field(default=())  # in mm, None for "the rest"
    kind: ClassVar[str] = "table"

    @property
    def header(self) -> list:
        return self.rows[0] if self.rows else []

    @property
    def labelled_rows(self) -> list[list[tuple[str, str]]]:
        """The rows below the header, each cell with its column's heading: on a phone the page
        shows each row as a block, every value under its heading, never wider than the screen."""
        return [list(zip_longest(self.header, row, fillvalue="")) for row in self.rows[1:]]


@dataclass(frozen=True)
class Facts:
    pairs: list
    kind: ClassVar[str] = "facts"


PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(data: bytes, *, content_type: str, filename: str) -> FileResponse:
    """A printed document as a download; it may hold member-only text, so no shared cache."""
    response = FileResponse(
        iter([data]), content_type=content_type, as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _escape(text) -> str:
    return str(text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf(*, title: str, blocks) -> bytes:
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    headings = {1: styles["Heading2"], 2: styles["Heading3"], 3: styles["Heading4"]}
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=AUTHOR,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story = [Paragraph(_escape(title), styles["Title"])]
    for block in blocks:
        if isinstance(block, Heading):
            story.append(Paragraph(_escape(block.text), headings[block.level]))
        elif isinstance(block, Text):
            story.append(Paragraph(_escape(block.text), styles["Italic"] if block.italic else body))
        elif isinstance(block, Bullets):
            story.append(ListFlowable([Paragraph(_escape(t), body) for t in block.items]))
        elif isinstance(block, Facts):
            table = PdfTable(
                [
                    [Paragraph(f"<b>{_escape(k)}</b>", body), Paragraph(_escape(v), body)]
                    for k, v in block.pairs
                ],
                colWidths=[40 * mm, None],
            )
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [table, Spacer(1, 6 * mm)]
        elif isinstance(block, Table):
            rows = [[Paragraph(_escape(cell), body) for cell in row] for row in block.rows]
            widths = [w * mm if w else None for w in block.widths] or None
            table = PdfTable(rows, colWidths=widths, repeatRows=1)
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
    doc.build(story)
    return buffer.getvalue()


def docx(*, title: str, blocks) -> bytes:
    document = Document()
    document.core_properties.title = title
    document.core_properties.author = AUTHOR
    document.add_heading(title, level=0)
    for block in blocks:
        if isinstance(block, Heading):
            document.add_heading(block.text, level=block.level)
        elif isinstance(block, Text):
            run = document.add_paragraph().add_run(block.text)
            run.italic = block.italic
        elif isinstance(block, Bullets):
            for item in block.items:
                document.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Facts):
            table = document.add_table(rows=len(block.pairs), cols=2)
            for row, (label, value) in zip(table.rows, block.pairs, strict=True):
                row.cells[0].paragraphs[0].add_run(label).bold = True
                row.cells[1].text = value
        elif isinstance(block, Table) and block.rows:
            header, *rows = block.rows
            table = document.add_table(rows=1, cols=len(header))
            for cell, label in zip(table.rows[0].cells, header, strict=True):
                cell.paragraphs[0].add_run(str(label)).bold = True
            for values in rows:
                for cell, value in zip(table.add_row().cells, values, strict=False):
                    cell.text = str(value)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
