"""The record text of minutes: what the approvers approve, and what its checksum is taken of.

Each approval stores the SHA-256 of the record text of the revision it approved. The text is
canonical JSON (keys sorted, UTF-8, one layout), made from the revision and nothing else, so
anyone can compute it again: a member downloads it from the minutes' check page and runs
`sha256sum` on it, or lets the check page compare it with the approved checksum.

It holds what a reader of the minutes reads: title, date, place, who was present (names, in
alphabetical order), guests, apologies, approvers, every agenda item with its notes and
decisions as plain lines, the action items as written (not their later status), attachments by
title and the change notes. A person's name is the name their account has now, so a name
changed afterwards (or guest entries removed when an account is erased) makes the check say
that the text differs from the approved one, which is true of the text shown.
"""

import hashlib
import json

from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from .pdf import rich_text_lines


def _person(user) -> str:
    return user.get_full_name() or user.email


def _people(users) -> list[str]:
    return sorted(_person(user) for user in users)


def minutes_record(minutes) -> dict:
    return {
        "title": minutes.title,
        "meeting_date": minutes.meeting_date.isoformat(),
        "place": minutes.place,
        "present": _people(minutes.present_members.all()),
        "guests": [str(guest) for guest in minutes.guests.all()],
        "apologies": _people(minutes.apologies.all()),
        "approvers": _people(minutes.approvers.all()),
        "agenda": [
            {
                "time": f"{block.value['time']:%H:%M}" if block.value.get("time") else "",
                "heading": block.value["heading"],
                "speaker": block.value.get("speaker") or "",
                "notes": rich_text_lines(block.value.get("notes")),
                "decisions": rich_text_lines(block.value.get("decisions")),
            }
            for block in minutes.agenda
        ],
        "action_items": [
            {
                "what": item.what,
                "owner": _person(item.owner) if item.owner_id else "",
                "due": item.due_date.isoformat() if item.due_date else "",
            }
            for item in minutes.action_items.all()
        ],
        "attachments": [
            attachment.document.title
            for attachment in minutes.attachments.all()
            if attachment.document_id
        ],
        "corrections": [str(correction) for correction in minutes.corrections.all()],
    }


def record_text(revision: Revision) -> str:
    """The canonical text of one revision of minutes, or of any page under justering
    (networks/minutes/models.py Justering: its `justering_record`; always from a revision, never from the
    live row, so the approved and the published text are made the same way)."""
    data = revision.as_object().justering_record()
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_hash(revision: Revision) -> str:
    return text_hash(record_text(revision))


def revision_number(revision: Revision) -> int:
    """Version N: the revision's place among the page's revisions, counted from 1."""
    return Revision.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        pk__lte=revision.pk,
    ).count()


def justering_line(approval) -> str:
    """“Justerat av Maja Medlem den 2017-03-02 (version 3, kontrollsumma …)”, for every export."""
    return _("Approved by %(name)s on %(date)s (version %(version)s, checksum %(checksum)s)") % {
        "name": _person(approval.user),
        "date": f"{timezone.localtime(approval.approved_at):%Y-%m-%d}",
        "version": approval.version,
        "checksum": approval.content_hash,
    }
