from typing import ClassVar

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import access, selectors
from .models import Invitation, JoinRequest, Membership, MemberSpacePage, NetworkPage


@hooks.register("before_serve_page")
def require_membership_for_member_space(page, request, serve_args, serve_kwargs):
    network_id = access.network_id_for_page(page)
    if network_id is not None and not access.can_view_network_space(request.user, network_id):
        return access.refuse(request, network_id)
    return None


@hooks.register("before_serve_document")
def ask_the_access_rule_before_serving_a_document(document, request):
    """The only download door: every app's files are decided by `access.can_download_document`."""
    if not access.can_download_document(request.user, document):
        return access.refuse(request, access.network_id_for_collection(document.collection_id))
    return None


# The admin's page tree, its search and its choosers ask the same rule as the site: a page in a
# member space the user may not see is not listed (page permissions are granted per site root).
@hooks.register("construct_explorer_page_queryset")
def explorer_shows_only_what_the_user_may_see(parent_page, pages, request):
    return access.visible_pages(request.user, pages)


@hooks.register("construct_page_chooser_queryset")
def page_chooser_shows_only_what_the_user_may_see(pages, request):
    return access.visible_pages(request.user, pages)


@hooks.register("construct_document_chooser_queryset")
def document_chooser_shows_only_what_the_user_may_open(documents, request):
    return access.visible_documents(request.user, documents)


@hooks.register("after_create_page")
def set_up_network_created_in_admin(request, page):
    """A network made in the admin gets its member space, collection and group at once."""
    from .services import member_space_protect, network_setup

    if isinstance(page.specific, NetworkPage):
        network_setup(network=page)
    elif isinstance(page.specific, MemberSpacePage):
        member_space_protect(space=page)


@hooks.register("portal_personal_sections")
def my_networks_section(request):
    """ "Mina nätverk", and for a member the digest's setting, which comes with the memberships
    (their person's row, read with them): no query of its own."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = selectors.user_memberships(user)
    context = {
        "memberships": memberships,
        "invitations": selectors.user_pending_invitations(user),
        "join_requests": selectors.user_join_requests(user),
    }
    html = render_to_string("networks/includes/personal_section.html", context, request=request)
    if memberships:
        html += _digest_section(request, memberships[0].user)
    return html


def _digest_section(request, person):
    from .digest import digest_of
    from .forms import DigestForm

    form = DigestForm(initial={"frequency": digest_of(person).frequency})
    return render_to_string(
        "networks/includes/digest_section.html", {"form": form}, request=request
    )


@hooks.register("portal_personal_data")
def my_network_data(user):
    from .services import personal_data_export

    return personal_data_export(user=user)


@hooks.register("portal_account_erasure")
def erase_my_network_data(user):
    from .services import account_erase

    account_erase(user=user)


# --- the records in the admin (model permissions: superusers, not coordinators) -----------------


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "group"
    menu_label = _("Memberships")
    list_display: ClassVar = ["user", "network", "role", "organisation", "start_date", "end_date"]
    list_filter: ClassVar = ["role", "network"]
    search_fields: ClassVar = ["user__email", "user__first_name", "user__last_name"]


class InvitationViewSet(SnippetViewSet):
    model = Invitation
    icon = "mail"
    menu_label = _("Invitations")
    list_display: ClassVar = ["email", "network", "role", "created_at", "expires_at", "accepted_at"]
    list_filter: ClassVar = ["role", "network"]
    search_fields: ClassVar = ["email"]
    # Invitations are made and resent through the coordinator tools, which send the e-mail.
    inspect_view_enabled = True


class JoinRequestViewSet(SnippetViewSet):
    model = JoinRequest
    icon = "user"
    menu_label = _("Requests to join")
    list_display: ClassVar = ["user", "network", "status", "created_at", "decided_at"]
    list_filter: ClassVar = ["status", "network"]


class NetworksViewSetGroup(SnippetViewSetGroup):
    items = (MembershipViewSet, InvitationViewSet, JoinRequestViewSet)
    menu_icon = "group"
    menu_label = _("Networks")
    menu_name = "networks"


register_snippet(NetworksViewSetGroup)


@hooks.register("portal_housekeeping")
def purge_stale_invitations():
    from .services import invitations_purge_expired

    return f"{invitations_purge_expired()} long-expired or revoked invitations deleted"


@hooks.register("portal_housekeeping")
def send_digests():
    from .digest import digests_send

    return f"{digests_send()} digests sent"
