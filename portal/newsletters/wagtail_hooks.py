from django.template.loader import render_to_string
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import NewsletterIssuePage, Subscriber, SubscriberList


@hooks.register("register_admin_urls")
def newsletter_admin_urls():
    patterns = (
        [
            path("", admin_views.dispatches, name="dispatches"),
            path("<int:page_id>/skicka/", admin_views.send, name="send"),
            path("<int:page_id>/mottagare/", admin_views.recipients, name="recipients"),
            path("<int:page_id>/e-post/", admin_views.email_preview, name="email_preview"),
            path("utskick/<int:dispatch_id>/", admin_views.progress, name="progress"),
            path(
                "utskick/<int:dispatch_id>/status.json",
                admin_views.progress_json,
                name="progress_json",
            ),
        ],
        "newsletters_admin",
    )
    return [path("nyhetsbrev/", include(patterns))]


def _send_button(page, user, priority):
    if isinstance(page.specific_deferred, NewsletterIssuePage) and (
        page.permissions_for_user(user).can_publish()
    ):
        return Button(
            _("Send newsletter"),
            reverse("newsletters_admin:send", args=[page.pk]),
            icon_name="mail",
            priority=priority,
        )
    return None


@hooks.register("register_page_listing_more_buttons")
def send_listing_button(page, user, next_url=None):
    button = _send_button(page, user, 15)
    if button:
        yield button


@hooks.register("register_page_header_buttons")
def send_header_button(page, user, view_name, next_url=None):
    button = _send_button(page, user, 12)
    if button:
        yield button


class SubscriberListViewSet(SnippetViewSet):
    model = SubscriberList
    icon = "list-ul"
    list_display = ["name", "is_public", "created_at"]


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    list_display = ["email", "created_at", "undeliverable_at", "members_opted_out_at"]
    search_fields = ["email"]


class NewsletterViewSetGroup(SnippetViewSetGroup):
    items = (SubscriberListViewSet, SubscriberViewSet)
    menu_icon = "mail"
    menu_label = _("Newsletters")
    menu_name = "newsletters"


register_snippet(NewsletterViewSetGroup)


@hooks.register("register_admin_menu_item")
def sendings_menu_item():
    return MenuItem(
        _("Newsletter sendings"),
        reverse("newsletters_admin:dispatches"),
        icon_name="mail",
        order=450,
    )


@hooks.register("portal_personal_sections")
def my_subscriptions_section(request):
    from .selectors import subscriber_for_email
    from .services import subscriber_token

    user = request.user
    if not user.is_authenticated:
        return None
    subscriber = subscriber_for_email(user.email)
    context = {
        "subscriber": subscriber,
        "subscriptions": (
            subscriber.subscriptions.select_related("subscriber_list") if subscriber else []
        ),
        "manage_token": (
            subscriber_token(subscriber=subscriber, purpose="manage") if subscriber else None
        ),
    }
    return render_to_string("newsletters/includes/personal_section.html", context, request=request)


@hooks.register("portal_personal_data")
def my_newsletter_data(user):
    from .services import subscriber_export

    return {"newsletters": subscriber_export(email=user.email, user=user)}


@hooks.register("portal_account_erasure")
def erase_my_newsletter_data(user):
    from .services import account_erase

    account_erase(user=user)


@hooks.register("portal_home_sections")
def latest_newsletters_section(request):
    from .selectors import archive_issues

    issues = list(archive_issues(user=request.user)[:3])
    if not issues:
        return None
    return render_to_string(
        "newsletters/includes/home_section.html",
        {"issues": issues, "archive": issues[0].get_parent()},
        request=request,
    )


@hooks.register("portal_housekeeping")
def purge_unconfirmed_subscriptions():
    from .services import subscriptions_purge_unconfirmed

    return f"{subscriptions_purge_unconfirmed()} unconfirmed subscriptions deleted"
