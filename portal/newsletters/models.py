"""Newsletters: issues written as pages, who receives them, and the record of every delivery.

An issue (a page) says *what* is sent and *to whom* (its audience). When the sender presses
"send", a Dispatch snapshots the rendered e-mail and one Delivery row per address records the
sending, so a worker that dies halfway can resume from the rows alone.
"""

from typing import ClassVar

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.fields import optional_reference
from portal.search import NORMALISED_FIELD, NormalisedSearch

from .blocks import NewsletterBodyBlock
from .page_forms import NewsletterIssueForm

# --- subscribers ----------------------------------------------------------------------------------


class SubscriberList(models.Model):
    """A list people subscribe to themselves (double opt-in), e.g. "Nyhetsbrev från nätverken"."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    is_public = models.BooleanField(
        _("shown on the subscribe form"),
        default=True,
        help_text=_("Lists that are not public can only be filled by an administrator."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    panels: ClassVar = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("is_public"),
    ]

    class Meta:
        verbose_name = _("subscriber list")
        verbose_name_plural = _("subscriber lists")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Subscriber(models.Model):
    """An e-mail address the newsletter knows about.

    Also holds what applies to an address whatever the audience: it bounced for good
    (undeliverable), or its owner unsubscribed from the issues sent to network members.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    undeliverable_at = models.DateTimeField(_("undeliverable since"), null=True, blank=True)
    undeliverable_reason = models.TextField(_("reason"), blank=True)
    members_opted_out_at = models.DateTimeField(
        _("unsubscribed from member newsletters"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["email"]

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)


def normalise_email(email: str) -> str:
    """One spelling per address, so one person gets one message however often they are listed."""
    return (email or "").strip().lower()


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class Subscription(models.Model):
    """One address on one list, with the consent that put it there."""

    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    subscriber_list = models.ForeignKey(
        SubscriberList,
        verbose_name=_("list"),
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=SubscriptionStatus.choices,
        default=SubscriptionStatus.PENDING,
    )
    consent_at = models.DateTimeField(_("consent given"), default=timezone.now)
    consent_source = models.CharField(
        _("consent source"),
        max_length=200,
        help_text=_("Where the consent was given, e.g. the subscribe form's address."),
    )
    consent_text = models.TextField(_("text agreed to"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "subscriber_list"], name="one_subscription_per_list"
            )
        ]

    def __str__(self):
        return f"{self.subscriber} – {self.subscriber_list} ({self.get_status_display()})"


# --- issues ---------------------------------------------------------------------------------------


class NewsletterIndexPage(NormalisedSearch, Page):
    """The archive: every sent issue the visitor may read."""

    search_fields: ClassVar = [*Page.search_fields, NORMALISED_FIELD]

    intro = models.TextField(_("introduction"), blank=True)
    per_page = 12

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = ["newsletters.NewsletterIssuePage"]
    # One per site: the parent is the site's home page, its root (portal/sites.py).
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("newsletter archive")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        from .selectors import archive_issues

        context = super().get_context(request, *args, **kwargs)
        issues = archive_issues(user=request.user, index=self)
        context["issues"] = Paginator(issues, self.per_page).get_page(request.GET.get("sida"))
        return context


class NewsletterIssuePage(NormalisedSearch, Page):
    """One issue: the content and its audience. Sending is recorded on its Dispatch."""

    preheader = models.CharField(
        _("preview text"),
        max_length=200,
        blank=True,
        help_text=_("Shown after the subject in most inboxes."),
    )
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(NewsletterBodyBlock(), blank=True, verbose_name=_("body"))
    audience_lists = ParentalManyToManyField(
        SubscriberList,
        verbose_name=_("subscriber lists"),
        blank=True,
        related_name="issues",
    )
    audience_networks = ParentalManyToManyField(
        "networks.NetworkPage",
        verbose_name=_("members of these networks"),
        blank=True,
        related_name="newsletter_issues",
    )
    audience_all_members = models.BooleanField(
        _("all members of every network"),
        default=False,
    )

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("preheader"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    audience_panels: ClassVar = [
        MultiFieldPanel(
            [
                FieldPanel("audience_lists", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_networks", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience_all_members"),
            ],
            heading=_("Audience"),
            help_text=_(
                "An issue sent to network members is readable on the web only by members. "
                "Each address receives the issue once, even when it is in several audiences."
            ),
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(audience_panels, heading=_("Audience")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        NORMALISED_FIELD,
    ]
    parent_page_types: ClassVar = ["newsletters.NewsletterIndexPage"]
    subpage_types: ClassVar = []
    preview_modes: ClassVar = [("", _("Web page")), ("email", _("E-mail"))]
    base_form_class = NewsletterIssueForm

    class Meta:
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def clean(self):
        # An issue is named "Nyhetsbrev 1/2027: …"; the slug made from that title by dropping the
        # slash reads "nyhetsbrev-12027-…". Keep the number and the year apart.
        if "/" in self.title and self.slug in ("", slugify(self.title)):
            self.slug = slugify(self.title.replace("/", "-"))
        super().clean()

    # --- audience ------------------------------------------------------------------------------

    @property
    def is_members_only(self) -> bool:
        """An issue for members may mention member-only things, so its web version is theirs."""
        return self.audience_all_members or bool(self.audience_network_ids())

    def audience_network_ids(self) -> list[int]:
        return [network.pk for network in self.audience_networks.all()]

    def minutes_network_id(self) -> int | None:
        """The one network whose minutes may be listed: only when its members are the audience.

        Minutes titles are member-only. With subscribers, all members, or a second network in the
        audience, some recipients could not open them, so no minutes are listed at all.
        """
        network_ids = self.audience_network_ids()
        if self.audience_all_members or len(network_ids) != 1:
            return None
        if list(self.audience_lists.all()):
            return None
        return network_ids[0]

    # --- serving -------------------------------------------------------------------------------

    @property
    def sent_at(self):
        dispatch = getattr(self, "dispatch", None)
        return dispatch.started_at if dispatch else None

    def get_sitemap_urls(self, request=None):
        if self.is_members_only or not self.is_sent:
            return []
        return super().get_sitemap_urls(request)

    @property
    def frozen_body(self) -> str:
        """The body as it was on the day it was sent ("" before, or for a sending older than the
        snapshot, which then shows the live blocks as before)."""
        dispatch = Dispatch.objects.filter(issue=self, started_at__isnull=False).first()
        return dispatch.web_html if dispatch else ""

    @property
    def is_sent(self) -> bool:
        return Dispatch.objects.filter(issue=self, started_at__isnull=False).exists()

    @classmethod
    def get_indexed_objects(cls):
        # What `manage.py update_index` rebuilds the index from: public issues only, the same
        # rule as get_indexed_instance below, so a rebuild never lets member issues in.
        from .selectors import readable_issues_q

        return super().get_indexed_objects().filter(readable_issues_q(AnonymousUser()))

    def get_indexed_instance(self):
        # Member issues never enter the search index: search has no door to them. An entry made
        # while an issue was still public is removed when it is published (signal_handlers.py).
        instance = super().get_indexed_instance()
        if instance is not None and instance.is_members_only:
            return None
        return instance

    def serve_preview(self, request, mode_name):
        if mode_name == "email":
            from django.http import HttpResponse

            from .rendering import issue_render

            return HttpResponse(issue_render(issue=self, preview=True).html)
        return super().serve_preview(request, mode_name)

    def serve(self, request, *args, **kwargs):
        from networks.access import refuse

        from .selectors import can_view_issue

        if not can_view_issue(request.user, self):
            return refuse(request)
        return super().serve(request, *args, **kwargs)


# --- sending --------------------------------------------------------------------------------------


class DispatchStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    FINISHED = "finished", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Dispatch(models.Model):
    """The sending of one issue: when, by whom, the e-mail exactly as sent, and its outcome."""

    issue = models.OneToOneField(
        NewsletterIssuePage,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="dispatch",
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=DispatchStatus.choices,
        default=DispatchStatus.SCHEDULED,
    )
    send_at = models.DateTimeField(_("send at"), default=timezone.now)
    created_by = optional_reference(settings.AUTH_USER_MODEL, _("sent by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    html = models.TextField(blank=True, editable=False)
    text = models.TextField(blank=True, editable=False)
    # The web page's body as sent: the archive shows this, not today's pulled-in content.
    web_html = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-send_at"]

    def __str__(self):
        return f"{self.issue} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in (DispatchStatus.SCHEDULED, DispatchStatus.SENDING)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    CLAIMED = "claimed", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DeliveryQuerySet(models.QuerySet):
    def claimable(self, *, now, lease_seconds: float):
        """Rows a worker may take: waiting and due, or claimed by a worker whose lease ran out."""
        from datetime import timedelta

        stale = now - timedelta(seconds=lease_seconds)
        # The status__in repeats what the OR says, so the partial index is seen to apply.
        return self.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED]).filter(
            Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.CLAIMED, claimed_at__lt=stale)
        )

    def unfinished(self):
        return self.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.CLAIMED])


class Delivery(models.Model):
    """One issue to one address. Unique per (dispatch, address): nobody gets an issue twice.

    Every row is updated once per message sent, so it carries as few indexes as possible: an
    update that changes indexed columns writes into every index of the table. Deleting a user or
    subscriber (rare) scans the table for their rows rather than every send paying for an index.
    """

    dispatch = models.ForeignKey(
        Dispatch,
        verbose_name=_("dispatch"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # the unique (dispatch, email) index serves
    )
    email = models.EmailField(_("e-mail address"))
    user = optional_reference(settings.AUTH_USER_MODEL, _("member"), db_index=False)
    subscriber = optional_reference(
        Subscriber, _("subscriber"), related_name="deliveries", db_index=False
    )
    sources = models.CharField(_("in the audience as"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["dispatch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "email"], name="one_delivery_per_address")
        ]
        # Only unfinished rows are looked up by status; a row that is sent leaves this index.
        indexes = [
            models.Index(
                fields=["dispatch", "next_attempt_at"],
                condition=Q(status__in=["pending", "claimed"]),
                name="delivery_unfinished",
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"
