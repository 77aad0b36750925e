"""The archival PDF of published minutes (portal/paper.py writes it, and the DOCX).

The view that calls this is served through Wagtail's page serving, so the member-space rule has
been asked before a byte is produced; this module only draws.
"""

import re
from html import unescape

from django.utils import formats
from django.utils.translation import gettext as _

from portal import paper
from portal.sanitizer import clean_html, strip_tags

_BLOCK_SPLIT = re.compile(r"</(?:p|li|h[2-5])>|<br\s*/?>", re.IGNORECASE)


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


def minutes_outline(minutes) -> list:
    """The minutes as the printed documents hold them (portal/paper.py writes PDF and DOCX):
    the head, each agenda item with its notes and decisions, the action items, attachments and
    change notes."""
    blocks = [paper.Facts(minutes_facts(minutes))]
    for number, block in enumerate(minutes.agenda, start=1):
        section = block.value
        time = f"{section['time']:%H:%M} " if section.get("time") else ""
        blocks.append(paper.Heading(f"{number}. {time}{section['heading']}"))
        if section.get("speaker"):
            blocks.append(paper.Text(section["speaker"], italic=True))
        blocks += [paper.Text(line) for line in rich_text_lines(section.get("notes"))]
        decisions = rich_text_lines(section.get("decisions"))
        if decisions:
            blocks += [paper.Heading(_("Decisions"), level=2), paper.Bullets(decisions)]
    items = list(minutes.action_items.all())
    if items:
        rows = [[_("What"), _("Owner"), _("Due"), _("Status")]]
        for item in items:
            rows.append(
                [
                    item.what,
                    item.owner.get_full_name() if item.owner else "–",
                    formats.date_format(item.due_date, "SHORT_DATE_FORMAT")
                    if item.due_date
                    else "–",
                    str(item.get_status_display()),
                ]
            )
        blocks += [paper.Heading(_("Action items")), paper.Table(rows, widths=(75, 40, 25, 25))]
    attachments = [a.document.title for a in minutes.attachments.all() if a.document_id]
    if attachments:
        blocks += [paper.Heading(_("Attachments")), paper.Bullets(attachments)]
    corrections = list(minutes.corrections.all())
    if corrections:
        blocks.append(paper.Heading(_("Corrections")))
        blocks += [
            paper.Text(
                _("Corrected %(date)s: %(note)s")
                % {"date": f"{correction.date:%Y-%m-%d}", "note": correction.note}
            )
            for correction in corrections
        ]
    return blocks


def minutes_pdf(*, minutes) -> bytes:
    return paper.pdf(title=minutes.title, blocks=minutes_outline(minutes))
