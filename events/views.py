"""Calendar pages, event pages, registration and feeds.

Page views are reached through Wagtail's page serving, where the `before_serve_page` hook has
already asked networks.access whether the page may be seen. Feeds and token links are plain
views and ask the access rule themselves (through events.selectors).
"""

import calendar as pycalendar
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from networks.access import (
    can_manage_event,
    can_see_event_join_details,
    can_view_network_space,
    manager_required,
    network_id_for_page,
    refuse,
)
from networks.models import NetworkPage
from portal import exports, member_page_cache, page_cache
from portal.links import absolute_url
from portal.sites import current_site
from portal.views import safe_next_url

from . import ical, selectors, services
from .forms import MeetingCancelForm, MeetingForm, NeedsForm, RegistrationForm, ResponseForm
from .models import (
    EventKind,
    EventPage,
    FeedToken,
    Registration,
    RegistrationStatus,
)

PAGE_SIZE = 20


# --- calendar pages ------------------------------------------------------------------------------


def _filters(request) -> dict:
    return {
        "kind": request.GET.get("typ", ""),
        "organiser": request.GET.get("arrangor", ""),
        "network": request.GET.get("natverk", ""),
    }


def _feed_links(request, filters) -> dict:
    """The public feed URL for the current filters, as https and as webcal://."""
    params = {
        key: value
        for key, value in (("typ", filters["kind"]), ("arrangor", filters["organiser"]))
        if value
    }
    path = reverse("events:public_feed")
    if params:
        path += "?" + urlencode(params)
    # The feed of the site being looked at, at that site's address.
    url = absolute_url(path, current_site(request))
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def _calendar_context(request, index, **extra) -> dict:
    filters = _filters(request)
    return {
        "page": index,
        "self": index,
        "filters": filters,
        "kinds": EventKind.choices,
        "organisers": list(selectors.organiser_choices(current_site(request))),
        "networks": list(selectors.network_choices(request.user, current_site(request))),
        **_feed_links(request, filters),
        **extra,
    }


def _filtered(request):
    filters = _filters(request)
    events = selectors.visible_events(request.user, current_site(request))
    return selectors.calendar_filter(events, **filters)


def _listing(queryset):
    return queryset.select_related("organiser")


def calendar_list(request, index):
    events = _listing(selectors.upcoming(_filtered(request)))
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    context = _calendar_context(request, index, events=page_obj, view="list")
    return render(request, "events/event_index_page.html", context)


def calendar_archive(request, index):
    events = _listing(selectors.past(_filtered(request)))
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    context = _calendar_context(request, index, events=page_obj, view="archive")
    return render(request, "events/event_archive.html", context)


def calendar_national(request, index):
    events = _listing(selectors.upcoming(selectors.national_events()))
    page_obj = Paginator(events, PAGE_SIZE).get_page(request.GET.get("sida"))
    url = absolute_url(reverse("events:national_feed"), current_site(request))
    context = {
        "page": index,
        "self": index,
        "events": page_obj,
        "view": "national",
        "feed_url": url,
        "webcal_url": "webcal://" + url.split("://", 1)[1],
    }
    return render(request, "events/national_calendar.html", context)


# The month view goes this far beyond the first and the last event, and no further: its links
# must not lead a crawler through endless empty months.
MONTHS_BEYOND_EVENTS = 12


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _month_range(events, today: date) -> tuple[int, int]:
    """The first and last month the month view shows (as year * 12 + month - 1)."""
    bounds = events.aggregate(first=Min("start"), last=Max("end"))
    zone = ZoneInfo(settings.TIME_ZONE)
    first = [_month_index(today)]
    last = [_month_index(today)]
    if bounds["first"]:
        first.append(_month_index(bounds["first"].astimezone(zone).date()))
        last.append(_month_index(bounds["last"].astimezone(zone).date()))
    return min(first) - MONTHS_BEYOND_EVENTS, max(last) + MONTHS_BEYOND_EVENTS


def _opening_month(events, today: date) -> date:
    """This month when it has events, else the next month that has one, else this month."""
    upcoming = (
        events.filter(
            end__gte=datetime.combine(today, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
        )
        .order_by("start")
        .values_list("start", flat=True)
        .first()
    )
    if upcoming is None:
        return today.replace(day=1)
    return upcoming.astimezone(ZoneInfo(settings.TIME_ZONE)).date().replace(day=1)


def calendar_month(request, index, year=None, month=None):
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    visible = _filtered(request)
    if year is None:
        opening = _opening_month(visible, today)
        year, month = opening.year, opening.month
    if not (1 <= month <= 12 and 1900 < year < 3000):
        raise Http404
    first = date(year, month, 1)
    lowest, highest = _month_range(visible, today)
    if not lowest <= _month_index(first) <= highest:
        raise Http404
    days_in_month = pycalendar.monthrange(year, month)[1]
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = start + timedelta(days=days_in_month)
    events = list(_listing(visible.filter(start__lt=end, end__gte=start).order_by("start", "pk")))
    by_day: dict[date, list] = {}
    for event in events:
        day = max(event.start.astimezone(zone).date(), first)
        last = min(event.end.astimezone(zone).date(), first + timedelta(days=days_in_month - 1))
        while day <= last:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    weeks = [
        [(day, by_day.get(day, []), day.month == month) for day in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    previous = _month_of(_month_index(first) - 1)
    following = _month_of(_month_index(first) + 1)
    context = _calendar_context(
        request,
        index,
        view="month",
        month_start=first,
        weeks=weeks,
        today=today,
        weekdays=[date(2024, 1, d) for d in range(1, 8)],
        has_events=bool(events),
        previous_month=previous if _month_index(previous) >= lowest else None,
        next_month=following if _month_index(following) <= highest else None,
        previous_url=_month_url(index, previous),
        next_url=_month_url(index, following),
    )
    return render(request, "events/event_month.html", context)


def _month_url(index, day) -> str:
    return index.url + index.reverse_subpage("month", args=[day.year, day.month])


# --- the event page ------------------------------------------------------------------------------


def _my_registration(request, event):
    if not request.user.is_authenticated:
        return None
    return event.registrations.filter(email__iexact=request.user.email).first()


def event_detail(request, event, *, form=None, status=200):
    user = request.user
    may_join = can_see_event_join_details(user, event)
    manages = can_manage_event(user, event)
    registration = _my_registration(request, event)
    network_id = network_id_for_page(event)
    documentation_visible = selectors.can_see_documentation(user, event)
    if form is None and not user.is_authenticated:
        form = RegistrationForm()
    context = {
        "page": event,
        "self": event,
        "agenda": list(event.agenda_items.all()),
        "co_organisers": list(event.co_organisers.all()),
        "may_see_join_details": may_join,
        "manages": manages,
        "registration": registration,
        "registration_open": services.registration_is_open(event),
        "is_full": event.capacity is not None
        and event.registrations.confirmed().count() >= event.capacity,
        "is_network_meeting": event.is_meeting and network_id is not None,
        "documentation_visible": documentation_visible,
        "form": form,
        "needs_form": NeedsForm(),
        "response_form": ResponseForm(initial={"response": registration.response})
        if registration and registration.response
        else ResponseForm(),
        "ics_url": event.url + event.reverse_subpage("ics"),
        "counts": _counts(event) if manages else None,
        # Other apps' parts of the page (e.g. a questionnaire's answers for the visit); each
        # asks the access rule itself and returns None when this person may see nothing.
        "event_sections": [
            section
            for fn in hooks.get_hooks("portal_event_sections")
            if (section := fn(request, event)) is not None
        ],
    }
    return render(request, "events/event_page.html", context, status=status)


def event_register(request, event):
    if request.method != "POST":
        return redirect(event.url)
    user = request.user
    if user.is_authenticated:
        form = NeedsForm(request.POST)
        form.is_valid()
        applicant = services.Applicant(
            name=user.get_full_name() or user.email,
            email=user.email,
            organisation=user.organisation.name if user.organisation_id else "",
            needs=form.cleaned_data.get("needs", ""),
        )
    else:
        form = RegistrationForm(request.POST)
        if not form.is_valid():
            return event_detail(request, event, form=form, status=400)
        applicant = services.Applicant(**form.cleaned_data)
    try:
        registration = services.registration_create(
            event=event, applicant=applicant, user=user if user.is_authenticated else None
        )
    except services.RegistrationClosed:
        messages.error(request, _("Registration for this event is closed."))
        return redirect(event.url)
    messages.success(request, _status_message(registration))
    return redirect(event.url)


def _status_message(registration) -> str:
    if registration.status == RegistrationStatus.PENDING:
        return _("Almost done: follow the link in the e-mail we sent you to confirm.")
    if registration.status == RegistrationStatus.WAITLISTED:
        return _(
            "The event is full: you are on the waiting list and get an e-mail if a place frees up."
        )
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("You are registered. A confirmation has been sent to you by e-mail.")
    return _("Your registration is cancelled.")


def event_respond(request, event):
    if request.method != "POST" or not request.user.is_authenticated:
        return redirect(event.url)
    network_id = network_id_for_page(event)
    if network_id is None or not can_view_network_space(request.user, network_id):
        return refuse(request, network_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        services.registration_respond(
            event=event, user=request.user, response=form.cleaned_data["response"]
        )
        messages.success(request, _("Thank you, your answer has been saved."))
    return redirect(safe_next_url(request, default=event.url))


@require_POST
def meeting_respond(request, event_id):
    """The answer buttons' address on the site that shows them. Mina sidor lists the meetings of
    every site a member belongs to, and a form may post only to its own site (the CSP's
    `form-action 'self'`, and the session cookie is the site's)."""
    event = get_object_or_404(EventPage.objects.live(), pk=event_id)
    return event_respond(request, event)


def _counts(event) -> dict:
    registrations = list(event.registrations.all())
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    return {
        "confirmed": len(confirmed),
        "waitlisted": sum(r.status == RegistrationStatus.WAITLISTED for r in registrations),
        "pending": sum(r.status == RegistrationStatus.PENDING for r in registrations),
        "by_organisation": sorted(
            Counter(r.organisation or _("(no organisation)") for r in confirmed).items()
        ),
        "needs": [r.needs for r in confirmed if r.needs.strip()],
        "responses": sorted(Counter(r.response for r in confirmed if r.response).items()),
        "attended": sum(bool(r.attended) for r in confirmed),
    }


def _refused(request, event):
    """The refusal for an event's organiser screens, or None for its organisers."""
    if can_manage_event(request.user, event):
        return None
    return refuse(request, network_id_for_page(event))


def _participants(event):
    return event.registrations.exclude(status=RegistrationStatus.CANCELLED).order_by(
        "status", "queued_at", "name"
    )


def event_participants(request, event):
    if refusal := _refused(request, event):
        return refusal
    if request.method == "POST":
        services.attendance_mark(event=event, attended_ids=request.POST.getlist("attended"))
        messages.success(request, _("Attendance saved."))
        return redirect(event.url + event.reverse_subpage("participants"))
    registrations = _participants(event)
    context = {
        "page": event,
        "self": event,
        "registrations": registrations,
        "counts": _counts(event),
        "export_urls": {
            fmt: event.url + event.reverse_subpage("participants_export", kwargs={"fmt": fmt})
            for fmt in exports.FORMATS
        },
        "is_past": event.start < timezone.now(),
    }
    return render(request, "events/participants.html", context)


def event_participants_export(request, event, fmt):
    if refusal := _refused(request, event):
        return refusal
    header = [_("Name"), _("E-mail"), _("Organisation"), _("Needs")]
    header += [_("Status"), _("Answer"), _("Attended")]
    rows = (
        [
            registration.name,
            registration.email,
            registration.organisation,
            registration.needs,
            registration.get_status_display(),
            registration.get_response_display(),
            {True: _("Yes"), False: _("No")}.get(registration.attended, ""),
        ]
        for registration in _participants(event)
    )
    return exports.spreadsheet_response(
        fmt=fmt, filename=f"deltagare-{event.slug}", header=header, rows=rows
    )


def event_ics(request, event):
    text = ical.event_ics(event, with_join_details=can_see_event_join_details(request.user, event))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    response["Cache-Control"] = "private, no-cache"
    return response


# --- registration links from e-mails -------------------------------------------------------------


def _by_token(service, registration) -> Registration:
    """Run a registration service; a registration deleted since this request loaded it (the
    daily purge of unconfirmed ones) is answered as an unknown token is: not found."""
    try:
        return service(registration=registration)
    except Registration.DoesNotExist:
        raise Http404 from None


def registration_confirm(request, token):
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    if request.method == "POST":
        registration = _by_token(services.registration_confirm, registration)
        messages.success(request, _status_message(registration))
        return redirect(registration.event.url)
    return render(
        request,
        "events/registration_confirm.html",
        {"registration": registration, "event": registration.event},
    )


def registration_cancel(request, token):
    registration = get_object_or_404(Registration.objects.select_related("event"), token=token)
    if request.method == "POST":
        registration = _by_token(services.registration_cancel, registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect(registration.event.url)
    return render(
        request,
        "events/registration_cancel.html",
        {"registration": registration, "event": registration.event},
    )


# --- feeds ---------------------------------------------------------------------------------------


def _feed_response(request, queryset, *, name: str, variant: str, viewer=None):
    """The feed with its validators (a 304 when the calendar app holds the current one); with a
    `viewer`, a private feed: its ETag is that person's alone, and no shared cache keeps it."""
    private = viewer is not None
    etag, changed = ical.feed_signature(queryset, variant=variant, name=name, viewer=viewer)
    last_modified = int(changed.timestamp()) if changed else None
    # A person's feed changes without any event changing (they join a network, a place is
    # confirmed), which no date of its events says: only its ETag answers a 304 for it.
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=None if private else last_modified
    )
    if not_modified is not None:
        return not_modified
    body = ical.feed_render(queryset, name=name, variant=variant)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "private, max-age=300" if private else "public, max-age=300"
    response["Content-Disposition"] = 'inline; filename="kalender.ics"'
    if private:
        response["X-Robots-Tag"] = "noindex"
    return response


@page_cache.cacheable
def public_feed(request):
    filters = _filters(request)
    filters["network"] = ""
    events = selectors.calendar_filter(selectors.public_events(current_site(request)), **filters)
    name = _("Samverkansportalen – calendar")
    if filters["kind"] in EventKind.values:
        name = f"{name} ({EventKind(filters['kind']).label})"
    return _feed_response(request, events, name=name, variant="public")


@page_cache.cacheable
def national_feed(request):
    name = _("National calendar – Samverkansportalen")
    events = selectors.national_events()
    return _feed_response(request, events, name=name, variant="public")


def _token_user(token):
    feed_token = FeedToken.objects.usable().select_related("user").filter(token=token).first()
    if feed_token is None:
        raise Http404
    now = timezone.now()
    if feed_token.last_used_at is None or now - feed_token.last_used_at > timedelta(hours=1):
        FeedToken.objects.filter(pk=feed_token.pk).update(last_used_at=now)
    return feed_token.user


def network_feed(request, network_id):
    """A network's meetings: for members logged in, or calendar apps holding a member's link.

    With a link (`?nyckel=`) an unknown or revoked key is 404, as for the personal feed; without
    one the usual doors apply: log in first, then members only.
    """
    from networks.models import NetworkPage

    token = request.GET.get("nyckel")
    if token:
        user = _token_user(token)
        if not can_view_network_space(user, network_id):
            raise Http404
    else:
        user = request.user
        if not can_view_network_space(user, network_id):
            return refuse(request)
    network = get_object_or_404(NetworkPage, pk=network_id)
    events = selectors.network_events(network_id)
    return _feed_response(request, events, name=network.title, variant="full", viewer=user)


def personal_feed(request, token):
    # The address holds the person's secret key: it is the credential, whoever sends it.
    member_page_cache.mark_cacheable(request, per="address")
    user = _token_user(token)
    events = selectors.personal_events(user)
    name = _("My calendar – Samverkansportalen")
    return _feed_response(request, events, name=name, variant="full", viewer=user)


def subscribe_help(request):
    return render(request, "events/subscribe_help.html", _feed_links(request, _filters(request)))


@login_required
@require_POST
def feed_token_rotate(request):
    services.feed_token_rotate(user=request.user)
    messages.success(request, _("You have a new calendar link. The old one no longer works."))
    return redirect("portal:personal_page")


@login_required
@require_POST
def feed_token_revoke(request):
    services.feed_token_revoke(user=request.user)
    messages.success(request, _("Your calendar link is switched off."))
    return redirect("portal:personal_page")


def _links(path: str) -> dict:
    url = absolute_url(path)
    return {"feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def network_feed_links(user, network) -> dict | None:
    """The network's feed for calendar apps, keyed with the member's own calendar link."""
    feed_token = services.feed_token_for(user=user) if user.is_authenticated else None
    if feed_token is None:
        return None
    path = reverse("events:network_feed", args=[network.pk])
    return _links(f"{path}?{urlencode({'nyckel': feed_token.token})}")


def personal_feed_links(user) -> dict | None:
    feed_token = services.feed_token_for(user=user)
    if feed_token is None:
        return None
    return _links(reverse("events:personal_feed", args=[feed_token.token]))


# --- "Nytt möte": booking, changing and cancelling a meeting from the member space -----------


def _managed_meeting(request, event_id) -> tuple:
    """The meeting and its network, for someone who may run it (the caller requires a login,
    so a refusal is a 403); 404 for anything that is not a meeting in a member space."""
    event = get_object_or_404(EventPage.objects.live(), pk=event_id)
    network_id = network_id_for_page(event)
    if network_id is None or not event.is_meeting:
        raise Http404
    network = NetworkPage.objects.get(pk=network_id)
    if not can_manage_event(request.user, event):
        refuse(request, network)
    return event, network


def _meeting_form_page(request, *, form, network, event=None, status=200):
    context = {
        "form": form,
        "network": network,
        "space": network.member_space,
        "event": event,
        "guests": list(event.registrations.filter(is_guest=True)) if event else [],
    }
    return render(request, "events/meeting_form.html", context, status=status)


@manager_required
def meeting_new(request, network):
    space = network.member_space
    if space is None:
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return _meeting_form_page(request, form=form, network=network, status=400)
        event = services.meeting_create(
            space=space,
            user=request.user,
            details=form.details(),
            guests=form.cleaned_data["guests"],
        )
        messages.success(request, _("The meeting is booked and the invitations are on their way."))
        return redirect(event.url)
    return _meeting_form_page(request, form=form, network=network)


@login_required
def meeting_edit(request, event_id):
    event, network = _managed_meeting(request, event_id)
    if request.method == "POST":
        form = MeetingForm(request.POST, require_future=False)
        if not form.is_valid():
            return _meeting_form_page(request, form=form, network=network, event=event, status=400)
        event = services.meeting_update(
            event=event,
            user=request.user,
            details=form.details(),
            guests=form.cleaned_data["guests"],
        )
        messages.success(request, _("The meeting is changed. Everyone invited has been told."))
        return redirect(event.url)
    form = MeetingForm(initial=MeetingForm.initial_for(event), require_future=False)
    return _meeting_form_page(request, form=form, network=network, event=event)


@login_required
def meeting_cancel(request, event_id):
    event, network = _managed_meeting(request, event_id)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.meeting_cancel(event=event, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The meeting is cancelled. Everyone invited has been told."))
        return redirect(event.url)
    context = {"form": form, "event": event, "network": network, "space": network.member_space}
    return render(request, "events/meeting_cancel.html", context)
