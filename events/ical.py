"""The one feed builder: every iCalendar text the portal emits is made here.

icalendar serialises every piece. A feed of thousands of events stays fast because each
occurrence's VEVENT is serialised once per (live revision, SEQUENCE, URL) and stored in
FeedEntry; a feed is then the calendar head, one VTIMEZONE per TZID used and those strings.

Two variants are stored per occurrence: `public` (no join details) and `full` (with them).
Which one a reader gets is decided by the caller through the access rule, never here.
"""

import hashlib
import re
from calendar import monthrange
from contextlib import nullcontext
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)
from wagtail.models import Site

from portal.links import absolute_url
from portal.sanitizer import strip_tags

from .models import AgendaItem, EventPage, EventStatus, FeedEntry

PRODID = "-//Samverkansportalen//Kalender//SV"
REFRESH = timedelta(hours=1)
CACHE_VERSION = "2"  # 2: text is cleaned by ical_text
CRLF = b"\r\n"
END = b"END:VCALENDAR\r\n"


_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def ical_text(value, *, multiline: bool = False) -> str:
    """Text as it may go into iCalendar: every value the portal writes passes through here.

    Editors' and users' text can hold line breaks and control characters (a title pasted from a
    document, a NUL typed in a form). icalendar escapes line breaks in TEXT values, but not in parameters
    (CN=) or in properties it does not know (X-WR-CALNAME), and no calendar client wants control
    characters. Single-line values get their line breaks folded into a space; multi-line values
    (DESCRIPTION) keep them, as plain newlines. Other control characters are dropped.
    """
    text = str(value or "")
    text = _LINE_BREAKS.sub("\n" if multiline else " ", text)
    if not multiline:
        text = re.sub(r" {2,}", " ", text)
    return _CONTROL.sub("", text.replace("\t", " ")).strip()


def entry_cache_key(*, live_revision_id, sequence, url_path) -> str:
    """What a stored VEVENT was made from; any change means it must be made again."""
    raw = f"{CACHE_VERSION}|{live_revision_id}|{sequence}|{url_path}|{settings.PORTAL_BASE_URL}"
    return hashlib.sha1(raw.encode()).hexdigest()


def _description(event, *, with_join_details: bool) -> str:
    parts = []
    if event.description:
        parts.append(strip_tags(event.description).strip())
    agenda = getattr(event, "_agenda", None)
    if agenda is None:
        agenda = list(event.agenda_items.all())
    if agenda:
        lines = [str(translation.gettext("Agenda")) + ":"]
        for item in agenda:
            time = item.time.strftime("%H:%M") + " " if item.time else ""
            speaker = f" ({item.speaker})" if item.speaker else ""
            lines.append(f"{time}{item.item}{speaker}")
        parts.append("\n".join(lines))
    if event.status != EventStatus.PLANNED and event.status_reason:
        parts.append(event.status_reason)
    if with_join_details and event.join_details:
        parts.append(str(translation.gettext("How to join")) + ":\n" + event.join_details)
    return "\n\n".join(part for part in parts if part)


def event_url(event) -> str:
    """The page's address from its url_path and the site roots (cached), without a reverse()
    per event: a cold feed of 10,000 events would otherwise spend seconds here. With several
    regional sites an event is at its own site's address (as Wagtail's `page.url` says)."""
    roots = Site.get_site_root_paths()
    for root in roots:
        if event.url_path.startswith(root.root_path):
            path = "/" + event.url_path[len(root.root_path) :]
            return absolute_url(path) if len(roots) == 1 else root.root_url + path
    return absolute_url(event.url or "/")


def _local(value: datetime, tz_name: str) -> datetime:
    return value.astimezone(ZoneInfo(tz_name))


def event_vevent(
    event,
    *,
    uid: str,
    sequence: int,
    with_join_details: bool,
    attendee: tuple[str, str] | None = None,
    organizer: str = "",
    with_url: bool = True,
) -> Event:
    """One occurrence as a VEVENT. `attendee` (e-mail, name) makes it an invitation's event,
    whose ORGANIZER is `organizer`: the address its calendar reply goes to (events.replies)."""
    stamp = event.last_published_at or event.latest_revision_created_at or timezone.now()
    same_language = translation.get_language() == settings.LANGUAGE_CODE
    with nullcontext() if same_language else translation.override(settings.LANGUAGE_CODE):
        vevent = Event()
        vevent.add("uid", uid)
        vevent.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
        vevent.add("last-modified", stamp.astimezone(ZoneInfo("UTC")))
        vevent.add("sequence", sequence)
        if event.all_day:
            vevent.add("dtstart", _local(event.start, event.tz_name).date())
            vevent.add("dtend", _local(event.end, event.tz_name).date() + timedelta(days=1))
        else:
            vevent.add("dtstart", _local(event.start, event.tz_name))
            vevent.add("dtend", _local(event.end, event.tz_name))
        vevent.add("summary", ical_text(event.title))
        description = ical_text(
            _description(event, with_join_details=with_join_details), multiline=True
        )
        if description:
            vevent.add("description", description)
        if event.location_text:
            vevent.add("location", ical_text(event.location_text))
        if with_url:
            vevent.add("url", event_url(event))
        vevent.add("categories", [ical_text(event.get_kind_display())])
        vevent.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
        if attendee is not None:
            organiser = vCalAddress(f"mailto:{organizer or settings.PORTAL_REPLY_ADDRESS}")
            organiser.params["cn"] = vText(
                ical_text(event.organiser.name if event.organiser_id else "Samverkansportalen")
            )
            vevent.add("organizer", organiser)
            email, name = attendee
            person = vCalAddress(f"mailto:{email}")
            person.params["cn"] = vText(ical_text(name or email))
            person.params["role"] = vText("REQ-PARTICIPANT")
            person.params["partstat"] = vText("NEEDS-ACTION")
            person.params["rsvp"] = vText("TRUE")
            vevent.add("attendee", person)
    return vevent


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    """The `week`th (1-4, or -1 for last) `weekday` of a month."""
    if week == -1:
        last = date(year, month, monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def _transitions(zone: ZoneInfo, year: int):
    """(instant, offset before, offset after) for each change of UTC offset in `year`."""
    step = timedelta(minutes=15)
    instant = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    before = instant.astimezone(zone).utcoffset()
    found = []
    while instant < end:
        instant += step
        after = instant.astimezone(zone).utcoffset()
        if after != before:
            found.append((instant, before, after))
            before = after
    return found, before


@lru_cache(maxsize=16)
def vtimezone_ical(tz_name: str) -> bytes:
    """A VTIMEZONE with yearly rules (RRULE), the form Outlook, Google and Apple all read.

    icalendar's own `Timezone.from_tzid` lists every transition as RDATE, which some clients
    (and vobject) misread, shifting summer-time events by an hour. The rules are those in force
    this year, which for Swedish and Norwegian time have held since 1996.
    """
    zone = ZoneInfo(tz_name)
    transitions, offset = _transitions(zone, timezone.now().year)
    vtimezone = Timezone()
    vtimezone.add("tzid", tz_name)
    if not transitions:
        standard = TimezoneStandard()
        standard.add("dtstart", datetime(1970, 1, 1))
        standard.add("tzoffsetfrom", offset)
        standard.add("tzoffsetto", offset)
        standard.add("tzname", datetime(1970, 1, 1, tzinfo=zone).tzname())
        vtimezone.add_component(standard)
        return vtimezone.to_ical()
    for instant, before, after in transitions:
        # DTSTART is the wall-clock time in the offset that applies just before the change.
        local = (instant + before).replace(tzinfo=None)
        last_week = local.day + 7 > monthrange(local.year, local.month)[1]
        week = -1 if last_week else (local.day - 1) // 7 + 1
        first = _nth_weekday(1970, local.month, local.weekday(), week)
        part = TimezoneDaylight() if after > before else TimezoneStandard()
        part.add("dtstart", datetime.combine(first, local.time()))
        part.add(
            "rrule",
            {
                "freq": "yearly",
                "bymonth": local.month,
                "byday": f"{week}{WEEKDAYS[local.weekday()]}",
            },
        )
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", instant.astimezone(zone).tzname())
        vtimezone.add_component(part)
    return vtimezone.to_ical()


def _calendar_head(*, name: str, method: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", ical_text(name))
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    head = calendar.to_ical()
    return head[: -len(END)]


def calendar_assemble(*, name: str, vevents: list[bytes], tz_names, method="PUBLISH") -> bytes:
    """A whole VCALENDAR from serialised VEVENTs plus a VTIMEZONE for every TZID they use."""
    parts = [_calendar_head(name=name, method=method)]
    parts.extend(vtimezone_ical(tz) for tz in sorted(set(tz_names)))
    parts.extend(vevents)
    parts.append(END)
    return b"".join(parts)


def entry_for(event) -> FeedEntry:
    entry = getattr(event, "_feed_entry", None)
    if entry is None:
        entry, _created = FeedEntry.objects.get_or_create(
            event_id=event.pk, defaults={"uid": FeedEntry.new_uid()}
        )
        event._feed_entry = entry
    return entry


def _serialise(event, entry: FeedEntry) -> None:
    """Fill the entry's two stored VEVENTs (the full one only differs with join details)."""
    public = event_vevent(event, uid=entry.uid, sequence=entry.sequence, with_join_details=False)
    entry.vevent_public = public.to_ical().decode()
    if event.join_details:
        entry.vevent_full = (
            event_vevent(event, uid=entry.uid, sequence=entry.sequence, with_join_details=True)
            .to_ical()
            .decode()
        )
    else:
        entry.vevent_full = entry.vevent_public
    entry.cache_key = entry_cache_key(
        live_revision_id=event.live_revision_id, sequence=entry.sequence, url_path=event.url_path
    )


def entry_refresh(event, entry: FeedEntry | None = None) -> FeedEntry:
    """Serialise both variants of the live event into its FeedEntry (idempotent)."""
    entry = entry or entry_for(event)
    _serialise(event, entry)
    FeedEntry.objects.filter(pk=entry.pk).update(
        vevent_public=entry.vevent_public,
        vevent_full=entry.vevent_full,
        cache_key=entry.cache_key,
    )
    return entry


def feed_signature(
    queryset, *, variant: str, name: str, viewer=None
) -> tuple[str, datetime | None]:
    """(ETag, Last-Modified) of a feed from one aggregate query, so a 304 costs no rows.

    A feed for one person (`viewer`: their own calendar, a network's meetings fetched with
    their key) gets an ETag of its own, keyed with the site's secret: two people whose feeds
    hold the same events never share a validator, so one person's ETag says nothing about
    another's feed and opens no 304 for it."""
    figures = queryset.aggregate(
        count=Count("pk"),
        # Which events, not only how many: one left and another came in their place.
        events=Sum("pk"),
        revisions=Sum("live_revision_id"),
        sequences=Sum("feed_entry__sequence"),
        changed=Max("last_published_at"),
    )
    raw = "|".join(
        str(value)
        for value in (
            CACHE_VERSION,
            variant,
            name,
            settings.PORTAL_BASE_URL,
            figures["count"],
            figures["events"],
            figures["revisions"],
            figures["sequences"],
            figures["changed"].isoformat() if figures["changed"] else "",
        )
    )
    if viewer is not None:
        digest = salted_hmac("portal.feed-etag", f"{viewer.pk}|{raw}").hexdigest()
    else:
        digest = hashlib.sha1(raw.encode()).hexdigest()
    return f'"{digest}"', figures["changed"]


def feed_render(queryset, *, name: str, variant: str) -> bytes:
    """The feed of every event in `queryset` (already narrowed by the access rule).

    Stored VEVENTs whose key no longer matches are made again first, so the answer is always
    current; in the steady state this is one query and a join of strings.
    """
    column = "feed_entry__vevent_full" if variant == "full" else "feed_entry__vevent_public"
    rows = list(
        queryset.order_by("start", "pk").values_list(
            "pk",
            "live_revision_id",
            "url_path",
            "tz_name",
            "all_day",
            "feed_entry__sequence",
            "feed_entry__cache_key",
            column,
        )
    )
    stale = [
        row[0]
        for row in rows
        if row[6] is None
        or row[6] != entry_cache_key(live_revision_id=row[1], sequence=row[5], url_path=row[2])
    ]
    fresh = {}
    if stale:
        fresh = entries_refresh(stale, variant=variant)
    vevents = []
    tz_names = set()
    for row in rows:
        text = fresh.get(row[0], row[7])
        vevents.append(text.encode() if isinstance(text, str) else text)
        if not row[4]:
            tz_names.add(row[3])
    return calendar_assemble(name=name, vevents=vevents, tz_names=tz_names)


def entries_refresh(event_ids, *, variant: str) -> dict[int, str]:
    """Serialise the given events again; returns {event id: VEVENT text of `variant`}."""
    out = {}
    existing = FeedEntry.objects.in_bulk(event_ids)
    missing = [
        FeedEntry(event_id=pk, uid=FeedEntry.new_uid()) for pk in event_ids if pk not in existing
    ]
    if missing:
        with transaction.atomic():
            FeedEntry.objects.bulk_create(missing, ignore_conflicts=True)
        existing = FeedEntry.objects.in_bulk(event_ids)
    events = EventPage.objects.filter(pk__in=event_ids).select_related("organiser")
    # modelcluster's child managers ignore prefetch_related: fetch the agendas in one query.
    agendas: dict[int, list] = {}
    for item in AgendaItem.objects.filter(page_id__in=event_ids).order_by("sort_order"):
        agendas.setdefault(item.page_id, []).append(item)
    entries = []
    with translation.override(settings.LANGUAGE_CODE):
        for event in events:
            event._agenda = agendas.get(event.pk, [])
            entry = existing[event.pk]
            _serialise(event, entry)
            entries.append(entry)
            out[event.pk] = entry.vevent_full if variant == "full" else entry.vevent_public
    _store(entries)
    return out


def _store(entries) -> None:
    # One parametrised UPDATE run for many rows: bulk_update's CASE expressions grow
    # quadratically with large text values and took longer than serialising.
    table = connection.ops.quote_name(FeedEntry._meta.db_table)
    rows = [(e.vevent_public, e.vevent_full, e.cache_key, e.pk) for e in entries]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET vevent_public = %s, vevent_full = %s, cache_key = %s "
            "WHERE event_id = %s",
            rows,
        )


def event_ics(
    event,
    *,
    with_join_details: bool,
    method: str = "PUBLISH",
    attendee=None,
    organizer: str = "",
    with_url=True,
) -> str:
    """A one-event calendar: per-event download and e-mail attachments (REQUEST/CANCEL)."""
    entry = entry_for(event)
    vevent = event_vevent(
        event,
        uid=entry.uid,
        sequence=entry.sequence,
        with_join_details=with_join_details,
        attendee=attendee,
        organizer=organizer,
        with_url=with_url,
    )
    if method == "CANCEL":
        vevent["status"] = "CANCELLED"
    tz_names = [] if event.all_day else [event.tz_name]
    return calendar_assemble(
        name=event.title, vevents=[vevent.to_ical()], tz_names=tz_names, method=method
    ).decode()
