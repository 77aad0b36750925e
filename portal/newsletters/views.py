"""The subscriber's doors: subscribe, confirm, manage, export, delete, unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from portal import exports
from portal.models import User
from portal.ratelimits import rate_limit_consume

from . import services
from .forms import CONSENT_TEXT, EmailForm, ManageForm, SubscribeForm
from .models import normalise_email

TOO_MANY_MAILS = _lazy("Too many requests from here just now. Try again later.")


def _may_send_mail(request, form) -> bool:
    """Forms that e-mail the address typed in are limited per client, so they cannot flood."""
    if rate_limit_consume(request, action="newsletter_mail"):
        return True
    form.add_error(None, TOO_MANY_MAILS)
    return False


def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _may_send_mail(request, form):
        services.subscriber_subscribe(
            email=form.cleaned_data["email"],
            lists=list(form.cleaned_data["lists"]),
            source=request.build_absolute_uri(request.path),
            consent_text=str(CONSENT_TEXT),
            language=getattr(request, "LANGUAGE_CODE", ""),
        )
        return redirect("newsletters:subscribe_sent")
    return render(request, "newsletters/subscribe.html", {"form": form})


def _message(request, *, title, text, link=None, status=200):
    """The one-message page every step of subscribing and unsubscribing ends on."""
    return render(
        request,
        "newsletters/message.html",
        {"title": title, "text": text, "link": link},
        status=status,
    )


def subscribe_sent(request):
    return _message(
        request,
        title=_("Check your inbox"),
        text=_(
            "We have sent you an e-mail with a link. Your subscription starts when you open "
            "the link and confirm. If no e-mail arrives, check your spam folder."
        ),
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    subscriber = services.subscriber_from_token(token=token, purpose="confirm")
    if subscriber is None:
        return _message(
            request,
            title=_("The link has expired"),
            text=_("The confirmation link is no longer valid. Please subscribe again."),
            link=(reverse("newsletters:subscribe"), _("Subscribe")),
            status=410,
        )
    if request.method == "POST":
        services.subscriber_confirm(subscriber=subscriber)
        manage_token = services.subscriber_token(subscriber=subscriber, purpose="manage")
        return _message(
            request,
            title=_("You are subscribed"),
            text=_("Thank you! Your subscription is confirmed."),
            link=(
                reverse("newsletters:manage", args=[manage_token]),
                _("Manage your subscriptions"),
            ),
        )
    # Opening the link only shows a button: mail scanners that follow links confirm nothing.
    return render(request, "newsletters/confirm.html", {"subscriber": subscriber})


def manage_request(request):
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _may_send_mail(request, form):
        services.subscriber_send_manage_link(email=form.cleaned_data["email"])
        return _message(
            request,
            title=_("Check your inbox"),
            text=_(
                "If the address receives our newsletters, we have sent it a link to a page "
                "where you can change your subscriptions, download your data or delete it."
            ),
        )
    return render(request, "newsletters/manage_request.html", {"form": form})


def _subscriber_or_404(token):
    subscriber = services.subscriber_from_token(token=token, purpose="manage")
    if subscriber is None:
        raise Http404(_("The link is no longer valid."))
    return subscriber


def manage(request, token):
    subscriber = _subscriber_or_404(token)
    is_member = User.objects.filter(email__iexact=subscriber.email).exists()
    form = ManageForm(request.POST or None, subscriber=subscriber, is_member=is_member)
    if request.method == "POST" and form.is_valid():
        services.subscriber_set_lists(subscriber=subscriber, lists=form.cleaned_data["lists"])
        if is_member:
            services.member_newsletters_set(
                email=subscriber.email, receive=form.cleaned_data["member_newsletters"]
            )
        messages.success(request, _("Your choices have been saved."))
        return redirect("newsletters:manage", token=token)
    return render(
        request, "newsletters/manage.html", {"form": form, "subscriber": subscriber, "token": token}
    )


def export(request, token, fmt):
    subscriber = _subscriber_or_404(token)
    data = services.subscriber_export(email=subscriber.email)
    filename = f"nyhetsbrev-{subscriber.pk}"
    if fmt != "json":
        header = ["section", "name", "status", "time", "detail"]
        return exports.spreadsheet_response(
            fmt=fmt, filename=filename, header=header, rows=_export_rows(data)
        )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
    response["Cache-Control"] = "no-store"
    return response


def _export_rows(data):
    yield ["address", data["email"], "", data["created_at"], data["language"]]
    for row in data["subscriptions"]:
        yield [
            "subscription",
            row["list"],
            row["status"],
            row["consent_at"],
            f"{row['consent_source']} | confirmed {row['confirmed_at']} | "
            f"unsubscribed {row['unsubscribed_at']}",
        ]
    for row in data["deliveries"]:
        yield ["delivery", row["issue"], row["status"], row["sent_at"], ""]


@require_http_methods(["GET", "POST"])
def delete(request, token):
    subscriber = _subscriber_or_404(token)
    if request.method == "POST":
        services.subscriber_delete(subscriber=subscriber)
        return _message(
            request,
            title=_("Your data has been deleted"),
            text=_("We have deleted your address, your subscriptions and our sending records."),
        )
    return render(request, "newsletters/delete.html", {"subscriber": subscriber, "token": token})


@csrf_exempt  # RFC 8058: mail clients POST here without a session; the token is the credential.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, delivery_id, token):
    delivery = services.delivery_from_token(delivery_id=delivery_id, token=token)
    if delivery is None:
        raise Http404(_("The link is not valid."))
    if request.method == "POST":
        services.delivery_unsubscribe(delivery=delivery)
        return _message(
            request,
            title=_("You have been unsubscribed"),
            text=_("You will not receive these newsletters any more."),
            link=(reverse("newsletters:manage_request"), _("Manage your subscriptions")),
        )
    # A GET only asks: link checkers in mail systems open links without meaning to unsubscribe.
    return render(
        request,
        "newsletters/unsubscribe.html",
        {"email": normalise_email(delivery.email), "issue": delivery.dispatch.issue},
    )


@login_required
@require_POST
def member_preference(request):
    """From "My pages": start or stop the newsletters sent to the members of one's networks."""
    receive = request.POST.get("receive") == "1"
    services.member_newsletters_set(email=request.user.email, receive=receive)
    if receive:
        messages.success(request, _("You will receive the newsletters to your networks' members."))
    else:
        messages.success(request, _("You will no longer receive newsletters to members."))
    return redirect("portal:personal_page")
