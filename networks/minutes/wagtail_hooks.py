from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from networks import access

from . import selectors
from .models import MinutesPage
from .stepup import method_label


@hooks.register("portal_personal_sections")
def my_minutes_section(request):
    """“Mina uppgifter”, and what waits for this person's justering (minutes, annual reports),
    on Mina sidor."""
    user = request.user
    items = selectors.action_items_page(user, request.GET.get("sida"), status="open")
    awaiting = selectors.minutes_awaiting_approval(user, model=Page)
    drafts = selectors.drafts_for(user)
    if not (items.object_list or awaiting or drafts or access.member_network_ids(user)):
        return None  # Someone outside every network has no follow-up to do here.
    return render_to_string(
        "minutes/personal_section.html",
        {"items": items, "awaiting": awaiting, "drafts": drafts},
        request=request,
    )


@hooks.register("network_space_sections")
def network_minutes_section(request, network):
    """The latest minutes and open action items on the member space's overview."""
    can_manage = access.can_manage_network(request.user, network)
    return render_to_string(
        "minutes/network_section.html",
        {
            "network": network,
            "space": selectors.network_space(network),
            "latest": list(selectors.published_minutes(network)[:5]),
            "open_count": selectors.network_action_items(network, status="open").count(),
            "can_manage": can_manage,
            "to_write": list(selectors.meetings_without_minutes(network)[:3]) if can_manage else [],
        },
        request=request,
    )


def _refuse_first_publication(request):
    # The server, not only the hidden button: minutes reach members only through justering.
    if request.method == "POST" and "action-publish" in request.POST:
        messages.error(request, _("Minutes are published when their approvers have approved them."))
        raise PermissionDenied


@hooks.register("before_create_page")
def minutes_are_not_published_on_creation(request, parent_page, page_class):
    if page_class is MinutesPage:
        _refuse_first_publication(request)


@hooks.register("before_edit_page")
def minutes_are_published_through_justering(request, page):
    if isinstance(page.specific_deferred, MinutesPage) and page.first_published_at is None:
        _refuse_first_publication(request)


def _decision_formatter(label, message):
    class DecisionFormatter(LogFormatter):
        def format_message(self, log_entry):
            data = log_entry.data
            method = data.get("authenticated_by", "")
            return message % {
                "version": data.get("version", ""),
                "method": method_label(method),
            }

    DecisionFormatter.label = label
    return DecisionFormatter


@hooks.register("register_log_actions")
def register_justering_log_actions(actions):
    """Decisions in justering in each page's history: which version, and how the person who
    decided had confirmed who they were (networks/minutes/stepup.py)."""
    actions.register_action("minutes.approve")(
        _decision_formatter(
            gettext_lazy("Approve minutes (justering)"),
            gettext_lazy("Approved version %(version)s (confirmed with: %(method)s)"),
        )
    )
    actions.register_action("minutes.send_back")(
        _decision_formatter(
            gettext_lazy("Send minutes back (justering)"),
            gettext_lazy("Sent version %(version)s back (confirmed with: %(method)s)"),
        )
    )


@hooks.register("portal_personal_data")
def minutes_personal_data(user):
    from . import services

    return services.personal_data_export(user=user)


# Before the events app's erasure (order 0), which deletes the registrations that say which
# guest entries in minutes are this person's.
@hooks.register("portal_account_erasure", order=-10)
def minutes_account_erasure(user):
    from . import services

    services.account_erase(user=user)


@hooks.register("portal_housekeeping")
def queue_action_reminders():
    from . import services

    return f"{services.action_reminders_send()} action-item reminders queued"
