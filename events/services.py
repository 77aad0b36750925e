"""State changes for events: registration, waitlist, invitations, updates, series, feed tokens.

Every change to who holds a place runs in a transaction that first locks the event's row, so
two cancellations at once cannot promote the same person twice nor overfill the event.
"""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from networks.access import (
    can_see_event_join_details,
    may_be_told_about_event,
)
from networks.models import Membership
from portal.dates import iso
from portal.links import absolute_url
from portal.mail import mail_queue

from . import ical, replies, selectors
from .models import (
    DEFAULT_TIMEZONE,
    AgendaItem,
    DocumentationNotice,
    EventPage,
    EventSeries,
    EventStatus,
    FeedToken,
    Registration,
    RegistrationStatus,
    format_dates,
)


class RegistrationClosed(Exception):
    """Registration is not open for this event right now."""


def _lock_event(event) -> EventPage:
    """Lock the event's row and return it fresh: every change of places queues here, and
    decisions use the capacity as it is now, not as the caller last read it."""
    list(Page.objects.select_for_update().filter(pk=event.pk).values_list("pk", flat=True))
    return EventPage.objects.get(pk=event.pk)


def _lock_registration(registration) -> None:
    """Lock the registration's row and reload it in place; the caller holds the event lock.

    Raises Registration.DoesNotExist if the row is gone: housekeeping may purge an unconfirmed
    registration between a view loading it and this. Once it is locked, the purge passes it by.
    """
    registration.refresh_from_db(from_queryset=Registration.objects.select_for_update())


@contextmanager
def _registration_locked(registration):
    """A transaction holding the registration's event and then the registration itself, the
    order every change of places takes them in; the event, fresh. Raises
    Registration.DoesNotExist if the registration is gone."""
    with transaction.atomic():
        event = _lock_event(registration.event)
        _lock_registration(registration)
        yield event


def registration_is_open(event, now=None) -> bool:
    now = now or timezone.now()
    if not event.registration_enabled or event.status == EventStatus.CANCELLED:
        return False
    if event.registration_opens and now < event.registration_opens:
        return False
    closes = event.registration_closes or event.start
    return now < closes


def _has_room(event) -> bool:
    if event.capacity is None:
        return True
    return event.registrations.confirmed().count() < event.capacity


def _language(registration) -> str:
    if registration.user_id and registration.user.preferred_language:
        return registration.user.preferred_language
    return settings.LANGUAGE_CODE


def _cancel_url(registration) -> str:
    return absolute_url(reverse("events:registration_cancel", args=[registration.token]))


def _mail(registration, template: str, *, attach: bool = False, method: str = "PUBLISH"):
    """Tell one registrant something; join details only if they may see them.

    A private meeting is never mentioned to someone who may no longer see it (a member who
    left after being invited gets no update, no cancellation).
    """
    event = registration.event
    if not may_be_told_about_event(registration):
        return
    may_join = registration.status == RegistrationStatus.CONFIRMED and (
        registration.user_id is None or can_see_event_join_details(registration.user, event)
    )
    # A guest cannot open the page, so neither the e-mail nor the calendar entry links to it.
    event_url = "" if registration.is_guest else absolute_url(event.url or "/")
    attachments = []
    if attach:
        text = ical.event_ics(
            event,
            with_join_details=may_join,
            method=method,
            attendee=(registration.email, registration.name),
            organizer=replies.reply_address(registration),
            with_url=not registration.is_guest,
        )
        attachments.append(("inbjudan.ics", text, f"text/calendar; method={method}"))
    mail_queue(
        template=template,
        to=registration.email,
        language=_language(registration),
        context={
            "registration": registration,
            "event": event,
            "event_url": event_url,
            "cancel_url": _cancel_url(registration),
            "confirm_url": absolute_url(
                reverse("events:registration_confirm", args=[registration.token])
            ),
            "join_details": event.join_details if may_join else "",
        },
        attachments=attachments,
    )


def _place(event, registration) -> None:
    """Give a place if there is room, else a place in the queue. Caller holds the lock."""
    if _has_room(event):
        registration.status = RegistrationStatus.CONFIRMED
        registration.queued_at = None
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.queued_at = timezone.now()
    registration.save()
    if registration.status == RegistrationStatus.CONFIRMED:
        _mail(registration, "events_registration_confirmed", attach=True, method="REQUEST")
    else:
        _mail(registration, "events_registration_waitlisted")


@dataclass
class Applicant:
    name: str
    email: str
    organisation: str = ""
    needs: str = ""


def registration_create(*, event, applicant: Applicant, user=None) -> Registration:
    """Register someone. Logged-in people get their place at once; others confirm by e-mail.

    Registering again with the same address returns the existing registration unchanged,
    unless it was cancelled, in which case it starts again at the back of the queue.
    """
    if not registration_is_open(event):
        raise RegistrationClosed
    email = applicant.email.strip().lower()
    with transaction.atomic():
        event = _lock_event(event)
        registration = Registration.objects.filter(event=event, email__iexact=email).first()
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            if user is not None and registration.status == RegistrationStatus.PENDING:
                registration.user = user
                _place(event, registration)
            return registration
        registration = registration or Registration(event=event, email=email)
        registration.user = user
        registration.name = applicant.name
        registration.organisation = applicant.organisation
        registration.needs = applicant.needs
        if user is not None:
            _place(event, registration)
        else:
            registration.status = RegistrationStatus.PENDING
            registration.save()
            _mail(registration, "events_registration_verify")
    return registration


def registration_confirm(*, registration) -> Registration:
    """The e-mail link was followed: the address is real, so the person gets a place or queues.

    Raises Registration.DoesNotExist if the registration was deleted since it was loaded.
    """
    with _registration_locked(registration) as event:
        if registration.status == RegistrationStatus.PENDING:
            _place(event, registration)
    return registration


def waitlist_promote(*, event) -> list[Registration]:
    """Move people from the queue into free places, first come first served, and tell them.

    Caller holds the event lock (registration_cancel does; the publish hook takes it).
    """
    promoted = []
    while _has_room(event):
        first = event.registrations.waitlisted().select_for_update().first()
        if first is None:
            break
        first.status = RegistrationStatus.CONFIRMED
        first.queued_at = None
        first.save(update_fields=["status", "queued_at", "updated_at"])
        _mail(first, "events_registration_promoted", attach=True, method="REQUEST")
        promoted.append(first)
    return promoted


def registration_cancel(*, registration) -> Registration:
    """Cancel one registration and, if it held a place, promote the first in the queue.

    Raises Registration.DoesNotExist if the registration was deleted since it was loaded.
    """
    with _registration_locked(registration) as event:
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        held_place = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.queued_at = None
        registration.save(update_fields=["status", "queued_at", "updated_at"])
        _mail(registration, "events_registration_cancelled")
        if held_place:
            waitlist_promote(event=event)
    return registration


def _member_registration(event, user, organisation):
    """A member's registration for a meeting, made the first time with their name and
    `organisation`, holding a place: (registration, created)."""
    return Registration.objects.get_or_create(
        event=event,
        email=user.email.lower(),
        defaults={
            "user": user,
            "name": user.get_full_name() or user.email,
            "organisation": organisation.name if organisation else "",
            "status": RegistrationStatus.CONFIRMED,
        },
    )


def registration_respond(*, event, user, response: str) -> Registration:
    """A member answers yes, no or maybe to a network meeting."""
    with transaction.atomic():
        event = _lock_event(event)
        registration, _created = _member_registration(event, user, user.organisation)
        registration.user = user
        registration_answer(registration=registration, response=response)
    return registration


def registration_answer_mailed(*, registration, response: str, answered_at) -> bool:
    """A calendar reply read from e-mail (events.replies), recorded under the event's lock as
    an answer on the web is. Raises Registration.DoesNotExist if the row is gone."""
    with _registration_locked(registration):
        return registration_answer(
            registration=registration, response=response, answered_at=answered_at
        )


def registration_answer(*, registration, response: str, answered_at=None) -> bool:
    """Record yes, no or maybe, from the web or from a calendar reply by e-mail (events.replies).

    An answer older than the one recorded (a reply that took the long way, or the same reply
    sent again) changes nothing; returns whether the answer was recorded. The caller holds the
    event's lock.
    """
    answered_at = answered_at or timezone.now()
    if registration.answered_at is not None and answered_at <= registration.answered_at:
        return False
    registration.response = response
    registration.answered_at = answered_at
    if registration.status == RegistrationStatus.CANCELLED:
        registration.status = RegistrationStatus.CONFIRMED
    registration.save()
    return True


def attendance_mark(*, event, attended_ids) -> int:
    """Afterwards: the organiser ticks who came. Everyone confirmed not ticked did not."""
    attended_ids = {int(pk) for pk in attended_ids}
    confirmed = event.registrations.confirmed()
    confirmed.filter(pk__in=attended_ids).update(attended=True)
    confirmed.exclude(pk__in=attended_ids).update(attended=False)
    return len(attended_ids)


def meeting_invite(*, event, network) -> int:
    """E-mail an invitation (METHOD:REQUEST) to every active member not yet invited."""
    invited = 0
    memberships = (
        Membership.objects.active()
        .filter(network=network)
        .select_related("user", "user__organisation", "organisation")
    )
    for membership in memberships:
        user = membership.user
        if not user.is_active or not user.email:
            continue
        organisation = membership.organisation or user.organisation
        registration, created = _member_registration(event, user, organisation)
        if created:
            _mail(registration, "events_meeting_invitation", attach=True, method="REQUEST")
            invited += 1
    return invited


@dataclass
class MeetingDetails:
    """What the short "Nytt möte" form asks for; the same for booking and for changing."""

    title: str
    kind: str
    start: datetime
    end: datetime
    venue: str = ""
    join_details: str = ""
    agenda: list[tuple[time | None, str]] = field(default_factory=list)
    tz_name: str = DEFAULT_TIMEZONE


def _meeting_apply(event: EventPage, details: MeetingDetails) -> None:
    event.title = details.title
    event.kind = details.kind
    event.start = details.start
    event.end = details.end
    event.tz_name = details.tz_name
    event.venue = details.venue
    event.join_details = details.join_details
    event.agenda_items = [AgendaItem(time=at, item=item) for at, item in details.agenda]


def _free_slug(parent, base: str) -> str:
    base = slugify(base)[:240] or "mote"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def meeting_create(
    *, space, user, details: MeetingDetails, guests: list[tuple[str, str]] = ()
) -> EventPage:
    """Book a meeting in a member space from the short form: the same EventPage an editor
    makes in the admin, saved as a revision by `user` and published. Publishing invites every
    member (event_published); the guests, given as (e-mail, name), are invited after them.
    The caller has checked that `user` may run the network (networks.access)."""
    local_day = details.start.astimezone(ZoneInfo(details.tz_name)).date()
    event = EventPage(slug=_free_slug(space, f"{details.title}-{local_day.isoformat()}"))
    _meeting_apply(event, details)
    with transaction.atomic():
        space.add_child(instance=event)
        event.save_revision(user=user, log_action=True).publish(user=user)
        event.refresh_from_db()
        meeting_guests_invite(event=event, guests=guests)
    return event


def meeting_update(
    *, event, user, details: MeetingDetails, guests: list[tuple[str, str]] = ()
) -> EventPage:
    """Change a meeting: a new revision, published. A new time or place sends everyone
    invited an update with a higher SEQUENCE (event_published); new guests are invited."""
    event = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    _meeting_apply(event, details)
    with transaction.atomic():
        event.save_revision(user=user, log_action=True).publish(user=user)
        event = EventPage.objects.get(pk=event.pk)
        meeting_guests_invite(event=event, guests=guests)
    return event


def meeting_cancel(*, event, user, reason: str = "") -> EventPage:
    """Cancel a meeting: a published revision with status cancelled, which sends everyone
    invited (members and guests) a METHOD:CANCEL with a higher SEQUENCE."""
    event = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    event.status = EventStatus.CANCELLED
    event.status_reason = reason
    event.save_revision(user=user, log_action=True).publish(user=user)
    return EventPage.objects.get(pk=event.pk)


def meeting_guests_invite(*, event, guests) -> int:
    """Invite guests by address (METHOD:REQUEST); an address already invited is left alone.

    A guest holds a confirmed place, so the invitation carries the join details, but no
    account: networks.access lets them be told about this meeting and shows them nothing else.
    """
    invited = 0
    for email, name in guests:
        email = email.strip().lower()
        registration, created = Registration.objects.get_or_create(
            event=event,
            email=email,
            defaults={
                "name": name or email,
                "is_guest": True,
                "status": RegistrationStatus.CONFIRMED,
            },
        )
        if created:
            _mail(registration, "events_meeting_invitation", attach=True, method="REQUEST")
            invited += 1
    return invited


def _snapshot(event) -> dict:
    return {
        "notified_start": event.start,
        "notified_end": event.end,
        "notified_location": event.location_text,
        "notified_status": event.status,
    }


def event_published(*, event) -> None:
    """After each publish: keep SEQUENCE, the stored VEVENTs and what participants know in step.

    A meeting in a member space invites every member on first publish. When the time, place
    or status changed since participants were last told, SEQUENCE goes up and they get an
    update (METHOD:REQUEST) or a cancellation (METHOD:CANCEL). Publishing with no such change
    sends nothing, so running this twice has the effect of running it once.
    """
    from networks.access import network_id_for_page
    from networks.models import NetworkPage

    with transaction.atomic():
        _lock_event(event)
        entry = ical.entry_for(event)
        entry.refresh_from_db()
        snapshot = _snapshot(event)
        told = entry.notified_start is not None
        changed = told and any(getattr(entry, key) != value for key, value in snapshot.items())
        if changed:
            entry.sequence += 1
        for key, value in snapshot.items():
            setattr(entry, key, value)
        entry.save()
        ical.entry_refresh(event, entry)
        if changed:
            cancelled = event.status == EventStatus.CANCELLED
            for registration in event.registrations.active().select_related("user"):
                if cancelled:
                    _mail(registration, "events_cancelled", attach=True, method="CANCEL")
                elif registration.status == RegistrationStatus.CONFIRMED:
                    _mail(registration, "events_updated", attach=True, method="REQUEST")
        network_id = network_id_for_page(event)
        if (
            event.is_meeting
            and network_id is not None
            and event.status != EventStatus.CANCELLED
            and event.end > timezone.now()
        ):
            meeting_invite(event=event, network=NetworkPage.objects.get(pk=network_id))
            entry.invitations_sent_at = entry.invitations_sent_at or timezone.now()
            entry.save(update_fields=["invitations_sent_at"])
        if event.capacity is None or event.capacity > event.registrations.confirmed().count():
            waitlist_promote(event=event)
    documentation_announce(event=event)


def documentation_announce(*, event) -> int:
    """When documentation (slides, notes) first appears on a published event, its participants
    and invitees get one e-mail with the link, if they may see the documentation
    (`selectors.can_see_documentation`: a members-only documentation is not announced to a
    guest, and a private meeting's to no one who left the network). Claimed once per event by
    its DocumentationNotice. Returns the number of e-mails queued."""
    from django.db import IntegrityError

    if not event.live or not event.documentation:
        return 0
    try:
        with transaction.atomic():
            notice = DocumentationNotice.objects.create(event=event)
    except IntegrityError:
        return 0  # told already
    told = 0
    for registration in event.registrations.active().select_related("user"):
        if not selectors.can_see_documentation(registration.user, event):
            continue
        mail_queue(
            template="events_documentation",
            to=registration.email,
            language=_language(registration),
            context={
                "name": registration.name,
                "event": event,
                "url": absolute_url((event.url or "/") + "#dokumentation"),
            },
        )
        told += 1
    DocumentationNotice.objects.filter(pk=notice.pk).update(recipients=told)
    return told


def event_withdrawn(*, event) -> int:
    """The event was unpublished or is being deleted: tell everyone holding a place (confirmed
    or queued) with METHOD:CANCEL, as a cancellation would, so it leaves their calendars too.

    Only for events still ahead, and only once: a second call (Wagtail unpublishes a live page
    it deletes, so a deletion runs this twice) finds them told and sends nothing. A deletion
    must call this before the rows go, while the registrations and the page's place in the tree
    (which decides who may still see a private meeting) are there.
    """
    if event.end < timezone.now():
        return 0
    with transaction.atomic():
        _lock_event(event)
        entry = ical.entry_for(event)
        entry.refresh_from_db()
        if entry.notified_status == EventStatus.CANCELLED:
            return 0
        entry.sequence += 1
        entry.notified_status = EventStatus.CANCELLED
        entry.save()
        told = 0
        for registration in event.registrations.active().select_related("user"):
            _mail(registration, "events_cancelled", attach=True, method="CANCEL")
            told += 1
    return told


UNCONFIRMED_KEPT_FOR = timedelta(days=7)


def registrations_purge_unconfirmed(*, older_than: timedelta = UNCONFIRMED_KEPT_FOR) -> int:
    """Delete registrations whose e-mail confirmation link was not followed within
    `older_than`; returns how many. For the daily housekeeping.

    Someone not logged in who never confirms holds no place, so their name, address and needs
    have no purpose left. Their link then leads to the usual "not found" page.
    """
    # updated_at, not created_at: registering again after cancelling reuses the old row, and
    # the new request must get its full week to be confirmed.
    stale = Registration.objects.filter(
        status=RegistrationStatus.PENDING, updated_at__lt=timezone.now() - older_than
    )
    with transaction.atomic():
        # A row a confirmation holds is passed over (it will not be pending for long), and a
        # confirmation arriving after this finds its row gone: without the locks, a row read
        # here as pending could be confirmed before the delete and still be deleted.
        locked = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
        _total, per_model = Registration.objects.filter(pk__in=locked).delete()
    return per_model.get(Registration._meta.label, 0)


def series_dates(*, rule: str, first: date, count: int) -> list[date]:
    """The dates of a regular series, from its first date."""
    if rule == EventSeries.Rule.WEEKLY:
        return [first + timedelta(weeks=n) for n in range(count)]
    if rule == EventSeries.Rule.BIWEEKLY:
        return [first + timedelta(weeks=2 * n) for n in range(count)]
    if rule == EventSeries.Rule.MONTHLY:
        # Same weekday, same week of the month (e.g. the third Tuesday).
        week_of_month = (first.day - 1) // 7
        dates = []
        year, month = first.year, first.month
        for _n in range(count):
            day = date(year, month, 1)
            offset = (first.weekday() - day.weekday()) % 7
            dates.append(day + timedelta(days=offset + 7 * week_of_month))
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return dates
    raise ValueError("Irregular series have no rule; give the dates.")


def series_schedule(
    *,
    series: EventSeries,
    parent,
    dates: list[date],
    starts_at: time,
    duration: timedelta,
    tz_name: str = "Europe/Stockholm",
    title: str = "",
    **fields,
) -> list[EventPage]:
    """Publish one EventPage per date under `parent`; dates that already have one are skipped."""
    zone = ZoneInfo(tz_name)
    existing = set(EventPage.objects.filter(series=series).values_list("series_date", flat=True))
    created = []
    for day in dates:
        if day in existing:
            continue
        start = datetime.combine(day, starts_at, tzinfo=zone)
        page = EventPage(
            title=title or series.title,
            slug=slugify(f"{series.title}-{day.isoformat()}")[:250],
            start=start,
            end=start + duration,
            tz_name=tz_name,
            series=series,
            series_date=day,
            **fields,
        )
        parent.add_child(instance=page)
        page.save_revision().publish()
        created.append(page)
    return created


def series_extend(*, series: EventSeries, user=None) -> list[EventPage]:
    """Make the occurrences a series still lacks, as copies of its first occurrence.

    Irregular series take their dates from `dates`; regular ones follow the rule from the
    first occurrence's date, `count` times, passing over `skipped_dates`. Dates that already
    have an occurrence are left alone (so are moved or cancelled ones), which makes running
    this again harmless; deleted occurrences stay deleted (see series_skip). A series whose
    first occurrence was deleted makes nothing until another is chosen.
    """
    template = EventPage.objects.filter(pk=series.template_id).first()
    if template is None:
        return []
    zone = ZoneInfo(template.tz_name)
    first_day = template.start.astimezone(zone).date()
    if series.rule == EventSeries.Rule.IRREGULAR:
        dates = series.date_list()
    else:
        dates = set(series_dates(rule=series.rule, first=first_day, count=series.count or 1))
        dates -= set(series.skipped_date_list())
    if template.series_id != series.pk or template.series_date is None:
        template.series = series
        template.series_date = first_day
        template.save_revision(user=user).publish(user=user)
    taken = {first_day} | set(
        EventPage.objects.filter(series=series).values_list("series_date", flat=True)
    )
    local_start = template.start.astimezone(zone)
    duration = template.end - template.start
    made = []
    for day in sorted(set(dates) - taken):
        start = datetime.combine(day, local_start.time(), tzinfo=zone)
        copy = template.copy(
            update_attrs={
                "slug": slugify(f"{template.slug}-{day.isoformat()}")[:250],
                "start": start,
                "end": start + duration,
                "status": EventStatus.PLANNED,
                "status_reason": "",
                "documentation": [],
            },
            keep_live=False,
            user=user,
        )
        occurrence = copy.specific
        # Copying leaves series fields out (see exclude_fields_in_copy); set them here.
        occurrence.series = series
        occurrence.series_date = day
        # Publishing (not copying live) runs the publish hook: feed entry, invitations.
        occurrence.save_revision(user=user).publish(user=user)
        made.append(occurrence)
    return made


def series_skip(*, occurrence: EventPage) -> None:
    """An occurrence of a series is being deleted: extending the series must not bring it back.

    An irregular series loses the date from `dates`, so the list keeps saying which
    occurrences the series has. An editor who writes the date in again gets a new occurrence
    on it: the list is theirs, and a date on it is one they want. A series with a rule has no
    such list, so it remembers the date in `skipped_dates`; taking it off that list brings the
    occurrence back. Either way a later change of rule is a new plan and may use the date.
    """
    if occurrence.series_id is None or occurrence.series_date is None:
        return
    day = occurrence.series_date
    with transaction.atomic():
        # Deleting a calendar deletes many occurrences of one series at once: each reads the
        # lists as the one before left them.
        series = EventSeries.objects.select_for_update().filter(pk=occurrence.series_id).first()
        if series is None:
            return
        if series.rule == EventSeries.Rule.IRREGULAR:
            series.dates = format_dates(set(series.date_list()) - {day})
        else:
            series.skipped_dates = format_dates([*series.skipped_date_list(), day])
        series.save(update_fields=["dates", "skipped_dates"])


def feed_token_rotate(*, user) -> FeedToken:
    """Revoke the current calendar link (if any) and make a new one."""
    with transaction.atomic():
        feed_token_revoke(user=user)
        return FeedToken.objects.create(user=user)


def feed_token_revoke(*, user) -> int:
    """The old link stops working at once: the next request with it gets 404."""
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def feed_token_for(*, user) -> FeedToken | None:
    return FeedToken.objects.filter(user=user, revoked_at__isnull=True).first()


def personal_data_export(*, user) -> dict:
    """What the events app stores about this person, for their "download my data".

    Their registrations (also those made without logging in under their e-mail address) with
    what they entered and what the organiser recorded (status, answer, attendance), and their
    calendar links. A link's secret is left out: it alone opens the person's calendar, and a
    downloaded file travels further than the account.
    """
    registrations = (
        selectors.registrations_of(user).select_related("event").order_by("event__start", "pk")
    )
    tokens = FeedToken.objects.filter(user=user).order_by("created_at", "pk")
    return {
        "event_registrations": [
            {
                "event": registration.event.title,
                "event_start": registration.event.start.isoformat(),
                "status": registration.status,
                "name": registration.name,
                "email": registration.email,
                "organisation": registration.organisation,
                "needs": registration.needs,
                "response": registration.response,
                "attended": registration.attended,
                "created": registration.created_at.isoformat(),
            }
            for registration in registrations
        ],
        "calendar_feed_tokens": [
            {
                "created": token.created_at.isoformat(),
                "last_used": iso(token.last_used_at),
                "revoked": iso(token.revoked_at),
                "secret_withheld": True,
            }
            for token in tokens
        ],
    }


def account_erase(*, user) -> int:
    """The person is deleting their account: delete every registration of theirs; returns how
    many. Called in the deletion's transaction, before the user row goes.

    Registration.user is SET_NULL, which would leave name, address, organisation and needs
    behind, so nothing is kept, past events included: their participant lists and head counts
    no longer include the person. A confirmed place at an event still ahead (live, not
    cancelled) goes to the first in its queue, who is told as on any cancellation. The person
    themself gets no cancellation e-mail: it would put their address in the mail queue after
    the erasure. Calendar links (FeedToken) go with the user row (CASCADE).
    """
    events_ahead = {
        registration.event_id: registration.event
        for registration in selectors.registrations_of(user).select_related("event")
        if registration.event.live
        and not registration.event.is_cancelled
        and not registration.event.is_past
    }
    erased = 0
    with transaction.atomic():
        # Places at events ahead change under the event's lock, as in registration_cancel, so
        # a promotion running at the same moment never sees a half-deleted queue. Events in a
        # fixed order: two erasures at once cannot deadlock.
        for event_id in sorted(events_ahead):
            event = _lock_event(events_ahead[event_id])
            theirs = list(selectors.registrations_of(user).filter(event=event).select_for_update())
            Registration.objects.filter(pk__in=[r.pk for r in theirs]).delete()
            erased += len(theirs)
            if any(r.status == RegistrationStatus.CONFIRMED for r in theirs):
                waitlist_promote(event=event)
        erased += selectors.registrations_of(user).delete()[0]
    return erased
