"""Reads shared by calendar pages, feeds, hooks and e-mails; visibility via networks.access."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from networks.access import (
    can_see_event_join_details,
    can_view_page,
    member_network_ids,
    network_pages_q,
    visible_pages,
)
from networks.models import NetworkPage
from portal.models import Organisation
from portal.sites import site_pages_q

from .models import (
    MEETING_KINDS,
    DocumentationVisibility,
    EventKind,
    EventPage,
    EventStatus,
    Registration,
    RegistrationStatus,
)


def visible_events(user, site=None):
    """Live events this user may see: of one site, or (site None) of every site."""
    return visible_pages(user, EventPage.objects.live().filter(site_pages_q(site)))


def public_events(site=None):
    return visible_events(AnonymousUser(), site)


def national_events():
    """The national calendar: public events of every site that their sites marked national."""
    return public_events().filter(national=True)


def network_events(network_id):
    """Every live event in one network's member space (the caller checks membership)."""
    return EventPage.objects.live().filter(network_pages_q([network_id]))


def personal_events(user):
    """My calendar: meetings of my networks and events I hold a place at, still visible to me."""
    registered = user.event_registrations.filter(status=RegistrationStatus.CONFIRMED).values(
        "event_id"
    )
    mine = network_pages_q(member_network_ids(user)) | Q(pk__in=registered)
    return visible_events(user).filter(mine)


def calendar_filter(queryset, *, kind="", organiser="", network="", user=None):
    """Narrow by the filters of the calendar pages and filtered feeds; unknown values match none."""
    if kind:
        queryset = queryset.filter(kind=kind) if kind in EventKind.values else queryset.none()
    if organiser:
        if not organiser.isdigit():
            return queryset.none()
        queryset = queryset.filter(Q(organiser_id=organiser) | Q(co_organisers__id=organiser))
        queryset = queryset.distinct()
    if network:
        if not network.isdigit():
            return queryset.none()
        queryset = queryset.filter(network_pages_q([int(network)]))
    return queryset


def upcoming(queryset, now=None):
    return queryset.filter(end__gte=now or timezone.now()).order_by("start", "pk")


def past(queryset, now=None):
    return queryset.filter(end__lt=now or timezone.now()).order_by("-start", "-pk")


def organiser_choices(site=None):
    """Organisations that organise at least one live public event (of the site), for the filter."""
    events = public_events(site)
    # Two id lists instead of a join of both relations: the join multiplies each organisation's
    # rows (events x co-organised events) and took tens of seconds on PostgreSQL at 10,000 events.
    co_organisers = EventPage.co_organisers.through.objects.filter(
        eventpage__in=events.values("pk")
    )
    return (
        Organisation.objects.filter(
            Q(pk__in=events.values("organiser_id"))
            | Q(pk__in=co_organisers.values("organisation_id"))
        )
        .order_by("name")
        .values_list("pk", "name")
    )


def network_choices(user, site=None):
    """The site's networks whose meetings this user may filter on (their own; every one for
    strategists)."""
    from networks.access import strategist_pages_q

    networks = NetworkPage.objects.live().filter(site_pages_q(site)).order_by("title")
    networks = networks.filter(Q(pk__in=member_network_ids(user)) | strategist_pages_q(user))
    return networks.values_list("pk", "title")


def my_registrations(user, now=None):
    return (
        user.event_registrations.exclude(status=RegistrationStatus.CANCELLED)
        .filter(event__in=visible_events(user).values("pk"))
        .filter(event__end__gte=now or timezone.now())
        .select_related("event")
        .order_by("event__start")
    )


def meetings_awaiting_answer(user, now=None):
    """Upcoming meetings of my networks that I have not answered yes, no or maybe.

    An invitation is a registration with no answer, and a member who joined after the
    invitations went out has none at all: both are waiting for an answer.
    """
    answered = registrations_of(user).exclude(response="").values("event_id")
    meetings = (
        personal_events(user)
        .filter(network_pages_q(member_network_ids(user)), kind__in=MEETING_KINDS)
        .exclude(status=EventStatus.CANCELLED)
        .exclude(pk__in=answered)
    )
    return upcoming(meetings, now)


def registrations_of(user):
    """Every registration that is this person's: made while logged in, or under their e-mail
    address (any case) without logging in. The one answer for the personal-data export and
    account erasure."""
    mine = Q(user=user)
    if user.email:
        mine |= Q(email__iexact=user.email)
    return Registration.objects.filter(mine)


def can_see_documentation(user, event) -> bool:
    """The event's documentation: for everyone who may see the event, or, when the editor chose
    so, only for those who may see its join details (members, organisers, confirmed
    participants). The page and the documentation e-mail both ask this."""
    if not event.documentation or not can_view_page(user, event):
        return False
    if event.documentation_visibility == DocumentationVisibility.PUBLIC:
        return True
    return can_see_event_join_details(user, event)
