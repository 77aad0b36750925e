"""Thin views: each asks networks.access (through selectors) and hands changes to services."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from networks import access
from networks.models import NetworkPage
from portal import member_fragments, member_page_cache, paper

from . import docx, pdf, record, selectors, services, stepup
from .followup import MatterForm
from .forms import ApproveForm, CommentForm
from .models import ActionItem, ActionItemStatus, Justering, MatterStatus, MinutesPage


def _minutes_context(minutes, user):
    """What both the published page and the review view show. The lists are read when a
    template first uses them: the published page takes most of them from the shared cache."""
    network_id = access.network_id_for_page(minutes)
    return {
        "page": minutes,
        "minutes": minutes,
        "guests": SimpleLazyObject(lambda: list(minutes.guests.all())),
        "present": SimpleLazyObject(lambda: list(minutes.present_members.all())),
        "apologies": SimpleLazyObject(lambda: list(minutes.apologies.all())),
        "action_items": list(minutes.action_items.select_related("owner", "organisation")),
        "attachments": SimpleLazyObject(
            lambda: [a for a in minutes.attachments.all() if a.document_id]
        ),
        "corrections": SimpleLazyObject(lambda: list(minutes.corrections.all())),
        "previous": SimpleLazyObject(lambda: selectors.previous_minutes(minutes)),
        "approvers_list": SimpleLazyObject(lambda: list(minutes.approvers.all())),
        "justering": SimpleLazyObject(
            lambda: selectors.justering_of(minutes) if minutes.live else []
        ),
        "can_manage": network_id is not None and access.can_manage_network(user, network_id),
    }


# --- published minutes (served by Wagtail, so the member-space hook has already checked) -------

# The published text, the same for every member: kept in the shared cache (the action items
# stay outside, as each person may mark other ones).
SHARED_PARTS = {
    "breadcrumbs": "includes/breadcrumbs.html",
    "top": "minutes/includes/published_top.html",
    "head": "minutes/includes/minutes_head.html",
    "tail": "minutes/includes/published_tail.html",
}


def minutes_review_context(request, draft: MinutesPage) -> dict:
    """The minutes' text on the review screen (MinutesPage.review_context)."""
    return _minutes_context(draft, request.user)


def minutes_detail(request, page: MinutesPage):
    member_page_cache.mark_cacheable(request)
    context = _minutes_context(page, request.user)
    context["markable"] = {
        item.pk for item in context["action_items"] if selectors.can_mark(request.user, item)
    }
    context["shared"] = member_fragments.shared(
        request,
        ("minutes", page.pk),
        lambda: {
            name: render_to_string(template, context, request=request)
            for name, template in SHARED_PARTS.items()
        },
        network_id=access.network_id_for_page(page),
    )
    return TemplateResponse(request, "minutes/minutes_page.html", context)


def minutes_pdf(request, page: MinutesPage):
    data = pdf.minutes_pdf(minutes=page)
    return paper.download(data, content_type=paper.PDF, filename=f"{page.slug}.pdf")


def minutes_docx(request, page: MinutesPage):
    data = docx.minutes_docx(minutes=page)
    return paper.download(data, content_type=paper.DOCX, filename=f"{page.slug}.docx")


def minutes_check(request, page: MinutesPage):
    """The approved version and checksum beside the published text's: does the text match?"""
    published = page.live_revision
    current = _version_of(published)
    justering = selectors.justering_of(page)
    return TemplateResponse(
        request,
        "minutes/check.html",
        {
            "page": page,
            "minutes": page,
            "justering": justering,
            "current": current,
            "matches": bool(justering)
            and all(approval.content_hash == current["hash"] for approval in justering),
            "corrections": list(page.corrections.all()),
        },
    )


def minutes_record_text(request, page: MinutesPage):
    """The record text of the published version, whose SHA-256 the check page shows."""
    text = record.record_text(page.live_revision)
    return paper.download(
        text.encode("utf-8"),
        content_type="application/json; charset=utf-8",
        filename=f"{page.slug}-version-{record.revision_number(page.live_revision)}.json",
    )


# --- a network's minutes and action items ----------------------------------------------------


@access.member_required
def network_minutes(request, network):
    query = request.GET.get("q", "").strip()
    meeting_id = request.GET.get("mote") or None
    year = request.GET.get("ar") or None
    meeting_id = int(meeting_id) if meeting_id and meeting_id.isdigit() else None
    # A year no date can have (there is none before 1 or after 9999) filters nothing.
    year = int(year) if year and year.isdigit() and len(year) <= 4 else None
    pages = selectors.published_minutes(network, query=query, meeting_id=meeting_id, year=year)
    page_obj = Paginator(pages, 25).get_page(request.GET.get("sida"))
    by_year = {}
    for minutes in page_obj:
        by_year.setdefault(minutes.meeting_date.year, []).append(minutes)
    can_manage = access.can_manage_network(request.user, network)
    return TemplateResponse(
        request,
        "minutes/network_minutes.html",
        {
            "network": network,
            "space": selectors.network_space(network),
            "page_obj": page_obj,
            "by_year": sorted(by_year.items(), reverse=True),
            "query": query,
            "meeting_id": meeting_id,
            "year": year,
            "years": selectors.minutes_years(network),
            "meetings": selectors.meetings_with_minutes(network),
            "can_manage": can_manage,
            "meetings_to_write": selectors.meetings_without_minutes(network) if can_manage else [],
            "meetings_to_prepare": (
                selectors.meetings_without_minutes(network, held=False)[:10] if can_manage else []
            ),
            "drafts": [
                m
                for m in selectors.drafts_for(request.user)
                if access.network_id_for_page(m) == network.pk
            ],
        },
    )


@access.member_required
def network_action_items(request, network):
    status = request.GET.get("status")
    status = status if status in ActionItemStatus.values else None
    items = Paginator(
        selectors.network_action_items(network, status=status), selectors.ACTION_ITEMS_PER_PAGE
    ).get_page(request.GET.get("sida"))
    return TemplateResponse(
        request,
        "minutes/network_action_items.html",
        {
            "network": network,
            "space": selectors.network_space(network),
            "items": items,
            "status": status,
            "statuses": ActionItemStatus.choices,
            "markable": {item.pk for item in items if selectors.can_mark(request.user, item)},
        },
    )


def _number(value):
    return int(value) if value and value.isdigit() and len(value) < 10 else None


@login_required
def decisions(request):
    """The decisions register: every agenda item's decisions in minutes the reader may read."""
    network_id = _number(request.GET.get("natverk"))
    year = _number(request.GET.get("ar"))
    subject = request.GET.get("amne", "").strip()
    query = request.GET.get("q", "").strip()
    page_obj = selectors.decisions_page(
        request.user,
        request.GET.get("sida"),
        network_id=network_id,
        year=year,
        subject=subject,
        query=query,
    )
    return TemplateResponse(
        request,
        "minutes/decisions.html",
        {
            "page_obj": page_obj,
            "count": page_obj.paginator.count,
            "networks": selectors.decision_networks(request.user),
            "years": selectors.decision_years(request.user),
            "network_id": network_id,
            "year": year,
            "subject": subject,
            "query": query,
        },
    )


@login_required
def matters(request):
    """Follow-up: matters raised with other organisations, open ones unless asked otherwise
    (the steering group's view; `?natverk=` for one network's)."""
    network_id = _number(request.GET.get("natverk"))
    status = request.GET.get("status")
    status = status if status in MatterStatus.values else None
    items = list(selectors.matters_for(request.user, network_id=network_id, status=status))
    return TemplateResponse(
        request,
        "minutes/matters.html",
        {
            "items": items,
            "networks": selectors.decision_networks(request.user),
            "network_id": network_id,
            "status": status,
            "statuses": MatterStatus.choices,
            "markable": {item.pk for item in items if selectors.can_mark(request.user, item)},
        },
    )


def matter_edit(request, pk):
    """Record when a matter was raised, the answer and its date, and its status."""
    item = get_object_or_404(
        ActionItem.objects.matters().select_related("minutes", "organisation"), pk=pk
    )
    if not selectors.can_mark(request.user, item):
        return access.refuse(request)
    from portal.views import safe_next_url

    form = MatterForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.matter_record(item=item, user=request.user, **form.cleaned_data)
        messages.success(request, _("The matter was updated."), fail_silently=True)
        return redirect(safe_next_url(request, default=reverse("minutes:matters")))
    status = 400 if request.method == "POST" else 200
    return TemplateResponse(
        request,
        "minutes/matter_form.html",
        {"item": item, "form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@login_required
def my_action_items(request):
    """A person's action items in every network (Mina sidor)."""
    items = selectors.action_items_page(request.user, request.GET.get("sida"))
    return TemplateResponse(
        request,
        "minutes/my_action_items.html",
        {"items": items, "markable": {item.pk for item in items}},
    )


@require_POST
def action_item_mark(request, pk):
    item = get_object_or_404(ActionItem.objects.select_related("minutes"), pk=pk)
    if not selectors.can_mark(request.user, item):
        return access.refuse(request)
    done = request.POST.get("done") == "1"
    services.action_item_mark(item=item, user=request.user, done=done)
    messages.success(
        request, _("Marked as done.") if done else _("Marked as open again."), fail_silently=True
    )
    from portal.views import safe_next_url

    return redirect(safe_next_url(request, default=reverse("portal:my_action_items")))


# --- writing and justering ---------------------------------------------------------------------


@require_POST
def create_from_meeting(request, meeting_id):
    from events.models import EventPage

    meeting = get_object_or_404(EventPage, pk=meeting_id)
    network_id = access.network_id_for_page(meeting)
    if network_id is None or not access.can_manage_network(request.user, network_id):
        return access.refuse(request)
    try:
        minutes = services.minutes_create_from_meeting(meeting=meeting, author=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(NetworkPage.objects.get(pk=network_id).member_space.screen_url("minutes"))
    return redirect("wagtailadmin_pages:edit", minutes.pk)


def _draft_or_refuse(request, page_id):
    """A page under justering (minutes, an annual report) whose draft this person may read."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, Justering):
        raise Http404
    if not selectors.can_view_draft(request.user, page):
        # Published pages are readable through their own address by those who may read them.
        if page.live and access.can_view_page(request.user, page):
            return page, redirect(page.url)
        return page, access.refuse(request)
    return page, None


def _decision_or_refuse(request, page_id):
    """A draft this person may decide on (approve or send back), once they have re-authenticated
    recently (allauth asks, then carries out this very POST); or the refusal."""
    minutes, refusal = _draft_or_refuse(request, page_id)
    if refusal:
        return minutes, refusal
    if not selectors.can_decide(minutes=minutes, user=request.user):
        return minutes, access.refuse(request)
    stepup.require_recent(request)
    return minutes, None


def review(request, page_id, *, space=None):
    """The draft or version under review, for the author, the approvers and those who manage it:
    one screen for every page under justering, each at its own `review_url`. Minutes' is a
    route of their member space (MemberSpacePage.minutes_review, whose hook has asked the access
    rule before this view asks about the draft itself); an annual report's is a route of its
    own (reports/urls.py). The page type gives the text's template and context
    (`review_template`, `review_context`)."""
    page, refusal = _draft_or_refuse(request, page_id)
    if refusal:
        return refusal
    if urlsplit(page.review_url).path != request.path:
        raise Http404  # another page's screen: minutes of another space, or not this kind
    draft = selectors.draft_of(page)
    task_state = selectors.current_round(page)
    state = selectors.workflow_state(page)
    context = {
        "page": draft,
        "minutes": draft,
        "approvers_list": list(draft.approvers.all()),
        **draft.review_context(request),
        "is_review": True,
        "live_minutes": page,
        "task_state": task_state,
        "workflow_state": state,
        "approvals": selectors.approvals_in_round(task_state) if task_state else [],
        "sent_back": _sent_back_task_state(state),
        "can_decide": selectors.can_decide(minutes=page, user=request.user),
        "approve_form": ApproveForm(
            prefix="approve", initial={"revision": task_state and task_state.revision_id}
        ),
        "under_review": _version_of(task_state.revision if task_state else None),
        "send_back_form": CommentForm(prefix="send_back"),
        "is_author": request.user.pk == page.owner_id,
    }
    return TemplateResponse(request, page.review_template, context)


def _version_of(revision):
    if revision is None:
        return None
    return {"number": record.revision_number(revision), "hash": record.record_hash(revision)}


def _sent_back_task_state(state):
    if state is None or state.status != state.STATUS_NEEDS_CHANGES:
        return None
    return state.current_task_state


@require_POST
def approve(request, page_id):
    minutes, refusal = _decision_or_refuse(request, page_id)
    if refusal:
        return refusal
    form = ApproveForm(request.POST, prefix="approve")
    if not form.is_valid():
        return redirect(minutes.review_url)
    # The service refuses the author, the submitter and anyone not named: never only the page.
    title = selectors.draft_of(minutes).title
    try:
        published = services.minutes_approve(
            minutes=minutes,
            user=request.user,
            comment=form.cleaned_data["comment"],
            revision_id=form.cleaned_data["revision"],
            authentication=stepup.authentication_of(request),
        )
    except services.TextChanged as refusal:
        messages.error(request, str(refusal))
        return redirect(minutes.review_url)
    if published:
        messages.success(
            request, _("Thank you. “%(title)s” is approved and published.") % {"title": title}
        )
        minutes.refresh_from_db()
        return redirect(minutes.url)
    messages.success(
        request, _("Thank you. “%(title)s” waits for the other approver.") % {"title": title}
    )
    return redirect(minutes.review_url)


@require_POST
def send_back(request, page_id):
    minutes, refusal = _decision_or_refuse(request, page_id)
    if refusal:
        return refusal
    form = CommentForm(request.POST, prefix="send_back")
    if not form.is_valid():
        context = {"minutes": minutes, "page": minutes, "form": form}
        return TemplateResponse(request, "minutes/send_back.html", context, status=400)
    services.minutes_send_back(
        minutes=minutes,
        user=request.user,
        comment=form.cleaned_data["comment"],
        authentication=stepup.authentication_of(request),
    )
    messages.success(
        request,
        _("“%(title)s” was sent back to the author with your comment.")
        % {"title": selectors.draft_of(minutes).title},
    )
    return redirect("portal:personal_page")


# --- addresses before they took the interface's word (minnesanteckningar) ----------------------


def old_review_address(request, page_id):
    """Approvers' e-mails sent before the move link here; the screen is below the space now."""
    return redirect(get_object_or_404(MinutesPage, pk=page_id).review_url, permanent=True)


def old_action_address(request, rest):
    """A form still open from before the move posts here: 308 keeps the method and the body."""
    query = request.GET.urlencode()
    target = reverse("minutes:index") + rest + (f"?{query}" if query else "")
    return redirect(target, permanent=True, preserve_request=True)
