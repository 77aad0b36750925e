"""Sending in the Wagtail admin: who will receive it, send or schedule, progress, report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from networks.models import NetworkPage

from . import sending, tasks
from .forms import ConfirmSendForm, SendForm
from .models import DeliveryStatus, Dispatch, NewsletterIssuePage
from .rendering import issue_render
from .selectors import can_send_issue, issue_audience, issue_audience_names, issue_is_empty


def _issue_for_sender(request, page_id) -> NewsletterIssuePage:
    issue = get_object_or_404(NewsletterIssuePage, pk=page_id)
    if not can_send_issue(request.user, issue):
        raise PermissionDenied
    return issue


def send(request, page_id):
    """Two steps: choose when (with the audience, the count and an empty-issue warning in
    view), then confirm on a page that names the audience and the count again."""
    issue = _issue_for_sender(request, page_id)
    dispatch = Dispatch.objects.filter(issue=issue).first()
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "test":
        tasks.issue_send_test.enqueue(issue_id=issue.pk, email=request.user.email)
        messages.success(
            request, _("A test has been sent to %(email)s.") % {"email": request.user.email}
        )
        return redirect("newsletters_admin:send", page_id=issue.pk)
    form = SendForm(request.POST or None)
    audience = issue_audience(issue)
    context = {
        "issue": issue,
        "dispatch": dispatch,
        "form": form,
        "recipient_count": len(audience),
        "audience_names": issue_audience_names(issue),
        "empty": issue_is_empty(issue),
        "lists": issue.audience_lists.all(),
        "networks": NetworkPage.objects.filter(pk__in=issue.audience_network_ids()),
        "header_title": _("Send “%(title)s”") % {"title": issue.title},
    }
    if action in ("send", "confirm") and form.is_valid():
        confirm = ConfirmSendForm(
            request.POST if action == "confirm" else None,
            count=len(audience),
            empty=context["empty"],
        )
        if action == "confirm" and confirm.is_valid():
            try:
                dispatch = sending.dispatch_schedule(
                    issue=issue,
                    user=request.user,
                    send_at=form.cleaned_data["send_at"],
                    allow_empty=confirm.cleaned_data.get("send_empty", False),
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("newsletters_admin:send", page_id=issue.pk)
            return redirect("newsletters_admin:progress", dispatch_id=dispatch.pk)
        if confirm.non_field_errors():
            # The count changed: show the new one, with the reason, and ask again.
            errors = confirm.non_field_errors()
            confirm = ConfirmSendForm(count=len(audience), empty=context["empty"])
            context["count_changed"] = errors
        context.update(
            confirm=confirm,
            send_at=form.cleaned_data["send_at"],
            header_title=_("Confirm the sending of “%(title)s”") % {"title": issue.title},
        )
        return TemplateResponse(request, "newsletters/admin/send_confirm.html", context)
    return TemplateResponse(request, "newsletters/admin/send.html", context)


def email_preview(request, page_id):
    """The latest draft of the issue exactly as the e-mail will look (links lead nowhere harmful)."""
    issue = _issue_for_sender(request, page_id).get_latest_revision_as_object()
    response = HttpResponse(issue_render(issue=issue, preview=True).html)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


def recipients(request, page_id):
    issue = _issue_for_sender(request, page_id)
    audience = issue_audience(issue)
    page = Paginator(audience, 100).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "newsletters/admin/recipients.html",
        {
            "issue": issue,
            "recipients": page,
            "count": len(audience),
            "header_title": _("Recipients of “%(title)s”") % {"title": issue.title},
        },
    )


def _dispatch_for_sender(request, dispatch_id) -> Dispatch:
    dispatch = get_object_or_404(Dispatch.objects.select_related("issue"), pk=dispatch_id)
    if not can_send_issue(request.user, dispatch.issue.specific):
        raise PermissionDenied
    return dispatch


def progress(request, dispatch_id):
    dispatch = _dispatch_for_sender(request, dispatch_id)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        if sending.dispatch_cancel(dispatch=dispatch):
            messages.success(request, _("The sending has been cancelled."))
        return redirect("newsletters_admin:progress", dispatch_id=dispatch.pk)
    failures = dispatch.deliveries.filter(status=DeliveryStatus.FAILED).order_by("email")
    return TemplateResponse(
        request,
        "newsletters/admin/progress.html",
        {
            "dispatch": dispatch,
            "issue": dispatch.issue,
            "progress": sending.dispatch_status(dispatch=dispatch),
            "failures": failures[:500],
            "header_title": _("Sending “%(title)s”") % {"title": dispatch.issue.title},
        },
    )


def progress_json(request, dispatch_id):
    dispatch = _dispatch_for_sender(request, dispatch_id)
    return JsonResponse(sending.dispatch_status(dispatch=dispatch))


def dispatches(request):
    items = Dispatch.objects.select_related("issue", "created_by").order_by("-send_at")
    visible = [d for d in items[:200] if can_send_issue(request.user, d.issue.specific)]
    return TemplateResponse(
        request,
        "newsletters/admin/dispatches.html",
        {
            "dispatches": visible,
            "header_title": _("Newsletter sendings"),
        },
    )
