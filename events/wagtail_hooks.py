from typing import ClassVar

from django.contrib import messages
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from networks.access import can_manage_network
from portal.sites import current_site

from . import selectors
from .models import EventSeries, Registration, Response
from .services import (
    account_erase,
    personal_data_export,
    registrations_purge_unconfirmed,
    series_extend,
)

HOME_EVENT_COUNT = 5


@hooks.register("portal_home_sections")
def upcoming_events_section(request):
    events = list(
        selectors.upcoming(selectors.public_events(current_site(request))).select_related(
            "organiser"
        )[:HOME_EVENT_COUNT]
    )
    if not events:
        return None
    return render_to_string(
        "events/includes/home_section.html", {"events": events}, request=request
    )


@hooks.register("portal_personal_sections")
def my_calendar_section(request):
    from .views import personal_feed_links

    user = request.user
    if not user.is_authenticated:
        return None
    now = timezone.now()
    awaiting = list(selectors.meetings_awaiting_answer(user, now)[:20])
    waiting_ids = {event.pk for event in awaiting}
    registrations = [
        registration
        for registration in selectors.my_registrations(user, now)[:40]
        if registration.event_id not in waiting_ids
    ]
    context = {
        "awaiting": awaiting,
        "answered": [r for r in registrations if r.response][:20],
        "registrations": [r for r in registrations if not r.response][:20],
        "answer_choices": Response.choices,
        "meetings": list(
            selectors.upcoming(selectors.personal_events(user), now).select_related("organiser")[
                :20
            ]
        ),
        "links": personal_feed_links(user),
    }
    return render_to_string("events/includes/personal_section.html", context, request=request)


@hooks.register("network_space_sections")
def network_meetings_section(request, network):
    """The network's upcoming meetings, the same for every member (the space keeps it)."""
    events = list(selectors.upcoming(selectors.network_events(network.pk))[:10])
    context = {
        "events": events,
        "network": network,
        "manages": can_manage_network(request.user, network),
    }
    return render_to_string("events/includes/network_section.html", context, request=request)


@hooks.register("network_space_personal_sections")
def network_feed_section(request, network):
    """The network's meetings in the member's calendar app: the address holds their own key."""
    from .views import network_feed_links

    context = {"network": network, "links": network_feed_links(request.user, network)}
    return render_to_string("events/includes/network_feed_section.html", context, request=request)


@hooks.register("network_manage_sections")
def network_manage_meetings_section(request, network):
    """On "Hantera nätverket": book a meeting, and change or cancel the ones ahead."""
    events = list(selectors.upcoming(selectors.network_events(network.pk))[:20])
    return render_to_string(
        "events/includes/manage_section.html",
        {"events": events, "network": network},
        request=request,
    )


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def make_series_occurrences(request, instance):
    if not isinstance(instance, EventSeries):
        return
    made = series_extend(series=instance, user=request.user)
    if made:
        messages.success(
            request,
            ngettext(
                "%(count)s occurrence was added to the series.",
                "%(count)s occurrences were added to the series.",
                len(made),
            )
            % {"count": len(made)},
        )


@hooks.register("portal_housekeeping")
def purge_unconfirmed_registrations():
    return f"{registrations_purge_unconfirmed()} unconfirmed registrations deleted"


@hooks.register("portal_personal_data")
def events_personal_data(user):
    return personal_data_export(user=user)


@hooks.register("portal_account_erasure")
def events_account_erasure(user):
    account_erase(user=user)


class EventSeriesViewSet(SnippetViewSet):
    model = EventSeries
    icon = "date"
    menu_label = _("Series")
    list_display: ClassVar = ["title", "rule"]


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "group"
    menu_label = _("Registrations")
    list_display: ClassVar = ["name", "email", "organisation", "event", "status", "response"]
    list_filter: ClassVar = ["status", "response"]
    search_fields: ClassVar = ["name", "email", "organisation"]


class EventsViewSetGroup(SnippetViewSetGroup):
    items = (EventSeriesViewSet, RegistrationViewSet)
    menu_icon = "date"
    menu_label = _("Events")
    menu_name = "events"


register_snippet(EventsViewSetGroup)


@hooks.register("portal_inbound_mail")
def calendar_reply_received(message, addresses):
    from .replies import reply_receive

    return reply_receive(message=message, addresses=addresses)
