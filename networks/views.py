"""Member-space pages (routed from MemberSpacePage) and the coordinators' front-end tools.

Member-space views are reached only through Wagtail's page serving, where the
`before_serve_page` hook has already asked networks.access. Coordinator tools ask
`access.can_manage_network` through `access.manager_required` before anything else.
"""

import vobject
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.documents import get_document_model

from portal import exports, member_fragments, member_page_cache
from portal.dates import iso
from portal.models import User
from portal.pagination import CountingPaginator

from . import access, digest, selectors, services
from .forms import (
    DigestForm,
    DocumentFileForm,
    DocumentUploadForm,
    FolderForm,
    InviteForm,
    JoinRequestForm,
    MembershipHistoryFilter,
    RoleForm,
)
from .invitations import invitation_to_session
from .models import Invitation, JoinRequest, JoinRequestStatus, Membership, NetworkPage, Role

# --- member space (access already checked by the page-serving hook) ---------------------------


def _space_context(request, space, **extra):
    network = space.network
    return {
        "page": space,
        "self": space,
        "network": network,
        "can_manage": access.can_manage_network(request.user, network),
        **extra,
    }


def member_space_overview(request, space):
    member_page_cache.mark_cacheable(request)
    context = _space_context(request, space)
    # The same for every member with the same role: built once, kept in the shared cache.
    context["shared"] = member_fragments.shared(
        request,
        ("space-overview", space.pk, context["can_manage"]),
        lambda: _overview_panels(request, space, context),
        network_id=context["network"].pk,
    )
    # What depends on the person (their calendar key) is added afresh for each request.
    context["personal_sections"] = [
        section
        for fn in hooks.get_hooks("network_space_personal_sections")
        if (section := fn(request, context["network"])) is not None
    ]
    return render(request, "networks/member_space_page.html", context)


def _overview_panels(request, space, context) -> str:
    network = context["network"]
    panels = {
        **context,
        "documents": selectors.network_documents(network, limit=5),
        "coordinators": list(selectors.network_coordinators(network)),
        "member_count": selectors.network_members(network).count(),
        "subpages": space.get_children().live().specific().order_by("-first_published_at")[:10],
        # Other apps (meetings, minutes) add their parts of the overview through this hook;
        # each is shared like the rest, so it shows nothing personal.
        "sections": [
            section
            for fn in hooks.get_hooks("network_space_sections")
            if (section := fn(request, network)) is not None
        ],
    }
    return render_to_string("networks/includes/space_overview.html", panels, request=request)


DIRECTORY_PER_PAGE = 100


def member_directory(request, space):
    member_page_cache.mark_cacheable(request)
    sort = request.GET.get("sortera", "namn")
    if sort not in selectors.DIRECTORY_SORTS:
        sort = "namn"
    descending = request.GET.get("ordning") == "fallande"
    words = request.GET.get("q", "").strip()[:100]
    context = _space_context(request, space, sort=sort, descending=descending, words=words)
    members = selectors.network_members(context["network"], sort, descending, words)
    context["members"] = CountingPaginator(members, DIRECTORY_PER_PAGE).get_page(
        request.GET.get("sida")
    )
    context["columns"] = [
        ("namn", _("Name")),
        ("organisation", _("Organisation")),
        ("titel", _("Title")),
        ("roll", _("Role")),
    ]
    return render(request, "networks/member_directory.html", context)


def _export_name(network):
    return f"kontaktlista-{slugify(network.title) or network.pk}"


def member_directory_export(request, space, fmt):
    network = space.network
    header = [_("First name"), _("Last name"), _("Organisation"), _("Title")]
    header += [_("E-mail"), _("Phone"), _("Role")]
    rows = (
        [
            membership.user.first_name,
            membership.user.last_name,
            str(membership.organisation or membership.user.organisation or ""),
            membership.user.job_title,
            membership.user.email,
            membership.user.phone,
            membership.get_role_display(),
        ]
        for membership in selectors.network_members(network)
    )
    return exports.spreadsheet_response(
        fmt=fmt, filename=_export_name(network), header=header, rows=rows
    )


def member_directory_vcard(request, space):
    network = space.network
    cards = []
    for membership in selectors.network_members(network):
        person = membership.user
        card = vobject.vCard()
        card.add("n").value = vobject.vcard.Name(family=person.last_name, given=person.first_name)
        card.add("fn").value = person.get_full_name() or person.email
        card.add("email").value = person.email
        card.email.type_param = "INTERNET"
        organisation = membership.organisation or person.organisation
        if organisation:
            card.add("org").value = [str(organisation)]
        if person.job_title:
            card.add("title").value = person.job_title
        if person.phone:
            card.add("tel").value = person.phone
        card.add("note").value = f"{network.title}: {membership.get_role_display()}"
        cards.append(card.serialize())
    response = HttpResponse("".join(cards), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(network)}.vcf"'
    response["Cache-Control"] = "private, no-store"
    return response


def document_library(request, space, folder_id=None):
    """A folder of the library (the top level without `folder_id`): its folders and documents.
    A search looks in every folder; sorting is by newest change or by name."""
    context = _space_context(request, space)
    network = context["network"]
    folders = list(selectors.network_folders(network))
    folder = folders[0] if folders and folder_id is None else None
    if folder_id is not None:
        folder = selectors.network_folder(network, folder_id)
        if folder is None:
            raise Http404
    sort = request.GET.get("sortera", "datum")
    if sort not in selectors.DOCUMENT_SORTS:
        sort = "datum"
    words = request.GET.get("q", "").strip()[:100]
    documents = selectors.network_documents(
        network, folder=None if words else folder, words=words, sort=sort
    )
    membership = (
        Membership.objects.active().filter(network=network, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    context.update(
        folder=folder,
        # Top level first, then the folders down to this one (tree paths are prefixes).
        trail=[f for f in folders if folder and folder.path.startswith(f.path)],
        subfolders=[
            f
            for f in folders
            if folder and f.depth == folder.depth + 1 and f.path.startswith(folder.path)
        ],
        documents=Paginator(documents, 50).get_page(request.GET.get("sida")),
        sort=sort,
        sorts=[("datum", _("Newest first")), ("namn", _("Name"))],
        words=words,
        membership=membership,
    )
    return render(request, "networks/document_library.html", context)


def _library_document(network, document_id):
    """A current document of this network's library (not an earlier version), or 404."""
    document = get_object_or_404(
        get_document_model().objects.select_related("collection", "uploaded_by_user"),
        pk=document_id,
        version_of__isnull=True,
    )
    if access.network_id_for_collection(document.collection_id) != network.pk:
        raise Http404
    return document


def document_detail(request, space, document_id):
    """A document with its earlier versions; coordinators upload a new version here."""
    context = _space_context(request, space)
    network = context["network"]
    document = _library_document(network, document_id)
    form = None
    if context["can_manage"]:
        form = DocumentFileForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            services.document_version_add(
                network=network,
                document=document,
                file=form.cleaned_data["file"],
                uploaded_by=request.user,
            )
            messages.success(request, _("The new version was uploaded."))
            return redirect(space.screen_url("document_detail", document.pk))
    elif request.method == "POST":
        return access.refuse(request, network)
    versions = selectors.document_versions(document)
    context.update(
        document=document,
        versions=versions,
        changed_at=versions[0].replaced_at if versions else document.created_at,
        form=form,
        trail=[
            f
            for f in selectors.network_folders(network)
            if document.collection.path.startswith(f.path)
        ],
    )
    return render(request, "networks/document_detail.html", context)


@require_POST
def document_notices(request, space):
    """A member turns the new-document e-mail on or off for this network."""
    on = request.POST.get("meddelanden") == "pa"
    if not services.document_notices_set(network=space.network, user=request.user, on=on):
        return redirect(space.screen_url("documents"))  # not a member: nothing to turn off
    messages.success(
        request,
        _("You will get an e-mail about new documents.")
        if on
        else _("You will no longer get e-mails about new documents."),
    )
    return redirect(space.screen_url("documents"))


def space_screen_redirect(request, network_id, screen):
    """The old address of a screen that now lives below the member space (see MemberSpacePage)."""
    space = get_object_or_404(NetworkPage, pk=network_id).member_space
    if space is None:
        raise Http404
    query = request.GET.urlencode()
    return redirect(space.screen_url(screen) + (f"?{query}" if query else ""), permanent=True)


# --- coordinator tools ---------------------------------------------------------------------------


def _back_to_manage(network):
    return redirect(network.member_space.screen_url("manage"))


@access.manager_required
def manage(request, network):
    context = {
        "network": network,
        "space": network.member_space,
        "members": list(selectors.network_members(network, "roll")),
        "invitations": selectors.network_invitations(network),
        "join_requests": list(selectors.network_join_requests(network)),
        "role_choices": Role.choices,
        "sections": [
            section
            for fn in hooks.get_hooks("network_manage_sections")
            if (section := fn(request, network))
        ],
    }
    return render(request, "networks/manage.html", context)


MEMBERSHIP_HISTORY_PER_PAGE = 100


def _membership_history(request, network):
    """The filter form and the memberships it selects (all of them while it is invalid)."""
    form = MembershipHistoryFilter(
        request.GET,
        organisations=selectors.membership_history_organisations(network),
        terms=selectors.membership_history_terms(network),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    history = selectors.membership_history(
        network,
        organisation_id=filters.get("organisation"),
        term=selectors.Term.parse(filters.get("term") or ""),
        role=filters.get("role") or "",
    )
    return form, history


@access.manager_required
def membership_history(request, network):
    """Who was a member of the network, for which organisation, from when to when, and who
    added and ended each membership: for the coordinators' reports."""
    form, history = _membership_history(request, network)
    context = {
        "network": network,
        "space": network.member_space,
        "form": form,
        "memberships": Paginator(history, MEMBERSHIP_HISTORY_PER_PAGE).get_page(
            request.GET.get("sida")
        ),
        "query": request.GET.urlencode(),
    }
    return render(request, "networks/membership_history.html", context)


@access.manager_required
def membership_history_export(request, network, fmt):
    form, history = _membership_history(request, network)
    if form.errors:
        query = request.GET.urlencode()
        return redirect(network.member_space.screen_url("membership_history") + f"?{query}")
    header = [_("First name"), _("Last name"), _("E-mail"), _("Organisation"), _("Role")]
    header += [_("From"), _("Until"), _("Added by"), _("Ended by")]
    rows = (
        [
            membership.user.first_name,
            membership.user.last_name,
            membership.user.email,
            str(membership.organisation or ""),
            membership.get_role_display(),
            iso(membership.start_date),
            iso(membership.end_date),
            _person(membership.added_by),
            _person(membership.ended_by),
        ]
        for membership in history
    )
    name = f"medlemshistorik-{slugify(network.title) or network.pk}"
    return exports.spreadsheet_response(fmt=fmt, filename=name, header=header, rows=rows)


def _person(user) -> str:
    return user.display_name if user is not None else ""


@access.manager_required
def invite(request, network):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitations = services.invitations_create(
            network=network,
            emails=form.cleaned_data["emails"],
            role=form.cleaned_data["role"],
            message=form.cleaned_data["message"],
            invited_by=request.user,
        )
        messages.success(
            request,
            _("%(count)s invitations were sent.") % {"count": len(invitations)}
            if len(invitations) != 1
            else _("The invitation was sent."),
        )
        return _back_to_manage(network)
    return render(request, "networks/invite.html", {"network": network, "form": form})


@require_POST
@access.manager_required
def invitation_resend(request, network, pk):
    invitation = get_object_or_404(Invitation, pk=pk, network=network, accepted_at__isnull=True)
    services.invitation_resend(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s was sent again.") % {"email": invitation.email}
    )
    return _back_to_manage(network)


@require_POST
@access.manager_required
def invitation_revoke(request, network, pk):
    invitation = get_object_or_404(Invitation, pk=pk, network=network)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
    )
    return _back_to_manage(network)


def _active_membership(network, pk):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "network"), pk=pk, network=network
    )
    if not membership.is_active:
        raise Http404
    return membership


@require_POST
@access.manager_required
def membership_role(request, network, pk):
    membership = _active_membership(network, pk)
    form = RoleForm(request.POST)
    if form.is_valid():
        services.membership_change_role(membership=membership, role=form.cleaned_data["role"])
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user.display_name, "role": membership.get_role_display()},
        )
    return _back_to_manage(network)


@require_POST
@access.manager_required
def membership_end(request, network, pk):
    membership = _active_membership(network, pk)
    services.membership_end(membership=membership, ended_by=request.user)
    messages.success(
        request,
        _("The membership of %(name)s has ended.") % {"name": membership.user.display_name},
    )
    return _back_to_manage(network)


@require_POST
@access.manager_required
def join_request_decide(request, network, pk, decision):
    if decision not in ("godkann", "avsla"):
        raise Http404
    join_request = get_object_or_404(JoinRequest, pk=pk, network=network)
    services.join_request_decide(
        join_request=join_request, approve=decision == "godkann", decided_by=request.user
    )
    messages.success(
        request,
        _("The request was approved.") if decision == "godkann" else _("The request was declined."),
    )
    return _back_to_manage(network)


def _chosen_folder(request, network):
    folder_id = request.GET.get("mapp", "")
    return selectors.network_folder(network, int(folder_id)) if folder_id.isdigit() else None


def _to_folder(network, folder):
    space = network.member_space
    if folder.pk == network.collection_id:
        return redirect(space.screen_url("documents"))
    return redirect(space.screen_url("document_folder", folder.pk))


@access.manager_required
def document_upload(request, network):
    form = DocumentUploadForm(
        request.POST or None,
        request.FILES or None,
        network=network,
        initial={"folder": _chosen_folder(request, network) or network.collection},
    )
    if request.method == "POST" and form.is_valid():
        document = services.document_upload(
            network=network,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
            folder=form.cleaned_data["folder"],
            uploaded_by=request.user,
        )
        messages.success(request, _("The document was uploaded."))
        return _to_folder(network, document.collection)
    return render(request, "networks/document_upload.html", {"network": network, "form": form})


@access.manager_required
def document_folder_new(request, network):
    form = FolderForm(
        request.POST or None,
        network=network,
        initial={"parent": _chosen_folder(request, network) or network.collection},
    )
    if request.method == "POST" and form.is_valid():
        folder = services.document_folder_create(
            network=network, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"]
        )
        messages.success(request, _("The folder was created."))
        return _to_folder(network, folder)
    return render(request, "networks/document_folder_new.html", {"network": network, "form": form})


# --- joining --------------------------------------------------------------------------------------


@login_required
def join_request(request, network_id):
    network = get_object_or_404(NetworkPage.objects.live(), pk=network_id)
    if access.can_view_network_space(request.user, network):
        return redirect(network.member_space.url)
    pending = JoinRequest.objects.filter(
        network=network, user=request.user, status=JoinRequestStatus.PENDING
    ).first()
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and pending is None and form.is_valid():
        services.join_request_create(
            network=network, user=request.user, message=form.cleaned_data["message"]
        )
        messages.success(
            request, _("Your request was sent. You will get an e-mail when it has been decided.")
        )
        return redirect("networks:join", network_id=network.pk)
    return render(
        request,
        "networks/join_request.html",
        {"network": network, "form": form, "pending": pending},
    )


def invitation_accept(request, token):
    """The link from the e-mail. Logged in: confirm and join. Otherwise: sign up or log in first."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(
            request, "networks/invitation_invalid.html", {"reason": "unknown"}, status=404
        )
    if not invitation.is_pending:
        return render(
            request,
            "networks/invitation_invalid.html",
            {"reason": invitation.status, "network": invitation.network},
            status=410,
        )
    network = invitation.network
    if not request.user.is_authenticated:
        invitation_to_session(request, token)
        has_account = User.objects.filter(email__iexact=invitation.email).exists()
        return render(
            request,
            "networks/invitation_accept.html",
            {"invitation": invitation, "network": network, "has_account": has_account},
        )
    if not services.invitation_is_for(invitation=invitation, user=request.user):
        # A forwarded link, or the person's other account: nothing is accepted, and they learn
        # how to ask the coordinator instead.
        context = {"network": network, "email": request.user.email}
        return render(request, "networks/invitation_wrong_account.html", context, status=403)
    if request.method == "POST":
        services.invitation_accept(invitation=invitation, user=request.user)
        messages.success(request, _("Welcome to %(network)s.") % {"network": network.title})
        return redirect(network.member_space.url)
    return render(
        request,
        "networks/invitation_accept.html",
        {"invitation": invitation, "network": network},
    )


# --- the personal digest ("Nytt i mina nätverk", networks/digest.py) ----------------------------


@login_required
@require_POST
def digest_frequency(request):
    """From Mina sidor: daily, weekly or never."""
    form = DigestForm(request.POST)
    if form.is_valid():
        digest.digest_frequency_set(user=request.user, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Your choice for the digest has been saved."))
    else:
        messages.error(request, " ".join(form.errors["frequency"]))
    return redirect("portal:personal_page")


@csrf_exempt  # RFC 8058: mail clients POST here without a session; the token is the credential.
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request, user_id, token):
    found = digest.digest_from_token(user_id=user_id, token=token)
    if found is None:
        raise Http404(_("The link is not valid."))
    stopped = request.method == "POST"
    if stopped:
        digest.digest_stop(digest=found)
    # A GET only asks: link checkers in mail systems open links without meaning to unsubscribe.
    return render(request, "networks/digest_unsubscribe.html", {"stopped": stopped})
