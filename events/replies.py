"""Calendar replies by e-mail: the reply address an invitation names, and reading REPLYs back.

Each invitation's ORGANIZER is a plus-address of the portal's own mailbox (PORTAL_REPLY_ADDRESS),
`svar+<registration id>-<signature>@domain`. The signature is an HMAC over the registration's
id and its random token, keyed by SECRET_KEY: it cannot be made for another registration, and
it dies with the registration. It is lower-case hex, so a mail server that folds the case of
the local part does not break it. Outlook, Thunderbird, Apple Calendar and Gmail send their
Accept / Decline / Tentative answers (METHOD:REPLY) to that address.
"""

import hashlib
import hmac
from datetime import UTC, datetime

import icalendar
from django.conf import settings
from django.utils import timezone

SIGNATURE_LENGTH = 24


def _signature(registration_id: int, secret: str) -> str:
    key = hashlib.sha256(f"events.replies|{settings.SECRET_KEY}".encode()).digest()
    digest = hmac.new(key, f"{registration_id}|{secret}".encode(), hashlib.sha256).hexdigest()
    return digest[:SIGNATURE_LENGTH]


def reply_address(registration) -> str:
    """The address this registration's invitations name as ORGANIZER."""
    mailbox, _at, domain = settings.PORTAL_REPLY_ADDRESS.partition("@")
    token = f"{registration.pk}-{_signature(registration.pk, registration.token)}"
    return f"{mailbox}+{token}@{domain}"


PARTSTAT_ANSWERS = {"ACCEPTED": "yes", "DECLINED": "no", "TENTATIVE": "maybe"}


def registration_for_address(address: str):
    """The registration a reply address belongs to, or None when it is not one of ours or its
    signature does not hold (forged, or the registration is gone)."""
    from .models import Registration

    mailbox, _at, domain = settings.PORTAL_REPLY_ADDRESS.lower().partition("@")
    local, _at, address_domain = address.lower().partition("@")
    prefix = f"{mailbox}+"
    if address_domain != domain or not local.startswith(prefix):
        return None
    registration_id, _sep, signature = local[len(prefix) :].partition("-")
    if not registration_id.isdigit():
        return None
    registration = (
        Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    )
    if registration is None:
        return None
    expected = _signature(registration.pk, registration.token)
    return registration if hmac.compare_digest(expected, signature) else None


def _calendar_parts(message):
    """The iCalendar texts in a message: Outlook sends text/calendar inside the alternative,
    Thunderbird and Apple Calendar add an application/ics attachment (often the same)."""
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type in ("text/calendar", "application/ics") or (
            part.get_filename() or ""
        ).lower().endswith(".ics"):
            payload = part.get_payload(decode=True)
            if payload:
                yield payload


def _reply_answer(payload: bytes, *, uid: str, email: str):
    """(answer, DTSTAMP) from one REPLY calendar about the event `uid`, or None."""
    try:
        calendar = icalendar.Calendar.from_ical(payload)
    except ValueError:
        return None
    if str(calendar.get("METHOD", "")).upper() != "REPLY":
        return None
    for vevent in calendar.walk("VEVENT"):
        if str(vevent.get("UID", "")) != uid:
            continue
        attendees = vevent.get("ATTENDEE", [])
        attendees = attendees if isinstance(attendees, list) else [attendees]
        # The answer counts only for the address the invitation went to: a reply address
        # forwarded to someone else cannot answer for its holder.
        mine = [a for a in attendees if str(a).lower().removeprefix("mailto:") == email]
        if not mine:
            return None
        answer = PARTSTAT_ANSWERS.get(str(mine[0].params.get("PARTSTAT", "")).upper())
        stamp = vevent.get("DTSTAMP")
        if answer is None or stamp is None:
            return None
        when = stamp.dt
        if not isinstance(when, datetime):
            return None
        if timezone.is_naive(when):
            when = timezone.make_aware(when, UTC)
        return answer, when
    return None


def reply_receive(*, message, addresses) -> str | None:
    """A calendar REPLY sent to an invitation's reply address records the answer, through the
    same service as the answer buttons on the web (registration_answer). None when the message
    is not sent to a reply address of ours; a reason when it is but changes nothing."""
    from networks.access import may_be_told_about_event

    from . import ical, services

    registration = next(
        filter(None, (registration_for_address(address) for address in addresses)), None
    )
    if registration is None:
        mailbox = settings.PORTAL_REPLY_ADDRESS.lower().partition("@")[0]
        ours = any(address.startswith(f"{mailbox}+") for address in addresses)
        return "reply: bad token" if ours else None
    event = registration.event
    if not may_be_told_about_event(registration) or event.is_cancelled:
        return "reply: not invited"
    uid = ical.entry_for(event).uid
    for payload in _calendar_parts(message):
        found = _reply_answer(payload, uid=uid, email=registration.email.lower())
        if found is None:
            continue
        answer, stamp = found
        recorded = services.registration_answer_mailed(
            registration=registration, response=answer, answered_at=stamp
        )
        return f"reply: {answer}" if recorded else "reply: outdated"
    return "reply: no answer found"
