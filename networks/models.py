"""Networks: a public "about" page, a private member space below it, and who belongs."""

import hashlib
import secrets
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from networks.rights import MemberContentRights
from portal.admin_forms import OrganisationChoicesAdminForm, OrganisationChoicesPageForm
from portal.fields import optional_reference
from portal.routes import page_view
from portal.search import NORMALISED_FIELD, NormalisedSearch


class NetworkIndexPage(NormalisedSearch, Page):
    search_fields: ClassVar = [*Page.search_fields, NORMALISED_FIELD]
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = ["networks.NetworkPage"]
    # One per site: the parent is the site's home page, its root (portal/sites.py).
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("network index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["networks"] = (
            NetworkPage.objects.child_of(self)
            .live()
            .select_related("host_organisation")
            .order_by("title")
        )
        return context


class NetworkPage(NormalisedSearch, Page):
    """The public "about" part of a network. Its member space is the one child MemberSpacePage."""

    base_form_class = OrganisationChoicesPageForm

    purpose = RichTextField(_("purpose"), blank=True, features=["bold", "italic", "link", "ul"])
    audience = models.TextField(_("who it is for"), blank=True)
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    host_organisation = optional_reference(
        "portal.Organisation", _("host organisation"), related_name="hosted_networks"
    )
    participating_organisations = ParentalManyToManyField(
        "portal.Organisation",
        verbose_name=_("participating organisations"),
        blank=True,
        related_name="networks",
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    language = models.CharField(
        _("language of the network"), max_length=8, choices=settings.LANGUAGES, default="sv"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        verbose_name=_("document collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="network",
    )
    coordinator_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("coordinator group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="coordinated_network",
    )

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("purpose"),
        FieldPanel("audience"),
        FieldPanel("meeting_rhythm"),
        MultiFieldPanel(
            [
                FieldPanel("host_organisation"),
                FieldPanel("participating_organisations"),
                FieldPanel("contact_name"),
                FieldPanel("contact_email"),
                FieldPanel("language"),
            ],
            heading=_("Organisation and contact"),
        ),
    ]
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("purpose"),
        index.SearchField("audience"),
        NORMALISED_FIELD,
    ]
    parent_page_types: ClassVar = ["networks.NetworkIndexPage"]
    subpage_types: ClassVar = ["networks.MemberSpacePage"]

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    @property
    def member_space(self):
        # A network reached from its member space (every member-space screen) knows it already.
        known = self.__dict__.get("_member_space")
        return known if known is not None else MemberSpacePage.objects.child_of(self).first()

    def get_context(self, request, *args, **kwargs):
        from . import access

        context = super().get_context(request, *args, **kwargs)
        if access.can_view_network_space(request.user, self):
            space = self.member_space
            context["member_space_url"] = space.get_url(request) if space else None
            context["can_manage"] = access.can_manage_network(request.user, self)
        return context


def network_id(space) -> int:
    """What the views of a member space's management screens take: its network's id."""
    return space.network.pk


class MemberSpacePage(MemberContentRights, NormalisedSearch, RoutablePageMixin, Page):
    """Everything at or below this page belongs to the parent network and is for members only.

    Access is checked once for every route by the `before_serve_page` hook (networks/access.py);
    the views here only read. Route names avoid slugs that child pages (meetings, minutes) may use.
    """

    intro = RichTextField(_("welcome text"), blank=True, features=["bold", "italic", "link"])

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    search_fields: ClassVar = [*Page.search_fields, index.SearchField("intro"), NORMALISED_FIELD]
    parent_page_types: ClassVar = ["networks.NetworkPage"]
    # Only page types without images: Wagtail serves images to anyone with the address, which
    # would bypass the access rule (tests/networks/test_private_media.py keeps it so).
    subpage_types: ClassVar = ["events.EventPage", "minutes.MinutesPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("member space")

    @cached_property
    def network(self):
        network = self.get_parent().specific
        network._member_space = self
        return network

    overview = page_view("", "member_space_overview")
    directory = page_view("kontaktlista/", "member_directory")
    directory_export = page_view(r"^kontaktlista/(?P<fmt>csv|xlsx)/$", "member_directory_export")
    directory_vcard = page_view("kontaktlista/vcard/", "member_directory_vcard")
    documents = page_view("dokument/", "document_library")
    document_folder = page_view("dokument/mapp/<int:folder_id>/", "document_library")
    document_detail = page_view("dokument/<int:document_id>/", "document_detail")
    document_notices = page_view("dokument/meddelanden/", "document_notices")
    document_folder_new = page_view("dokument/ny-mapp/", "document_folder_new", of=network_id)
    # Every screen of a network's members and coordinators has its address below the space, so
    # the page-serving hook asks the access rule first; /tjanster/ keeps only form actions and
    # token links, and redirects from the old screen addresses (networks.views.space_screen_redirect).
    minutes = page_view(
        "minnesanteckningar/", "networks.minutes.views.network_minutes", of=network_id
    )

    @path("minnesanteckningar/<int:page_id>/granska/", name="minutes_review")
    def minutes_review(self, request, page_id):
        from .minutes import views

        return views.review(request, page_id, space=self)

    @path("protokoll/")
    def minutes_old_address(self, request):
        # The list's address until it took the word the interface uses (minnesanteckningar).
        query = request.GET.urlencode()
        return redirect(self.screen_url("minutes") + (f"?{query}" if query else ""), permanent=True)

    action_items = page_view(
        "atgarder/", "networks.minutes.views.network_action_items", of=network_id
    )
    manage = page_view("hantera/", "manage", of=network_id)
    membership_history = page_view("medlemshistorik/", "membership_history", of=network_id)
    membership_history_export = page_view(
        r"^medlemshistorik/(?P<fmt>csv|xlsx)/$", "membership_history_export", of=network_id
    )
    invite = page_view("bjud-in/", "invite", of=network_id)
    document_upload = page_view("ladda-upp/", "document_upload", of=network_id)
    meeting_new = page_view("nytt-mote/", "events.views.meeting_new", of=network_id)

    def screen_url(self, name: str, *args) -> str:
        return self.url + self.reverse_subpage(name, args=args)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")
    GUEST = "guest", _("Co-opted guest")


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        today = on or timezone.localdate()
        return self.filter(start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today)
        )


class Membership(models.Model):
    base_form_class = OrganisationChoicesAdminForm

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    network = models.ForeignKey(
        NetworkPage, verbose_name=_("network"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    organisation = optional_reference(
        "portal.Organisation", _("organisation represented"), related_name="memberships"
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Access ends on this date.")
    )
    document_notices = models.BooleanField(
        _("e-mail about new documents"),
        default=True,
        help_text=_("An e-mail when a document or a new version is added to the library."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Who let the person in (the inviter, the coordinator who approved the request) and who
    # ended the membership, for the network's membership history. Empty when nobody did
    # (the demo, a membership made before this was kept) or their account has gone.
    added_by = optional_reference(settings.AUTH_USER_MODEL, _("added by"))
    ended_by = optional_reference(settings.AUTH_USER_MODEL, _("ended by"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "user__first_name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"],
                condition=Q(end_date__isnull=True),
                name="one_open_membership_per_network",
            )
        ]
        indexes = [models.Index(fields=["network", "end_date"])]

    def __str__(self):
        return f"{self.user} – {self.network} ({self.get_role_display()})"

    @property
    def is_active(self):
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date > today)


class DigestFrequency(models.TextChoices):
    NEVER = "never", _("Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class Digest(models.Model):
    """A person's "Nytt i mina nätverk": how often it comes, and the end of the period the last
    one covered (the next covers what came after; the daily run claims it by moving this)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="digest",
    )
    frequency = models.CharField(
        _("how often"),
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.NEVER,
    )
    covered_until = models.DateTimeField(_("covered until"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")

    def __str__(self):
        return f"{self.user} ({self.get_frequency_display()})"


INVITATION_VALID_FOR = timedelta(days=14)


def token_hash(token: str) -> str:
    """Only the hash of an invitation token is stored: a database leak opens no network."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def accepted(self):
        return self.filter(accepted_at__isnull=False)

    def expired(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed, single-use link that makes its holder a member of a network."""

    network = models.ForeignKey(
        NetworkPage, verbose_name=_("network"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    message = models.TextField(_("personal message"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = optional_reference(settings.AUTH_USER_MODEL, _("invited by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = optional_reference(
        settings.AUTH_USER_MODEL, _("accepted by"), related_name="accepted_invitations"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["network", "email"])]

    def __str__(self):
        return f"{self.email} → {self.network}"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return InvitationStatus(self.status).label

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class JoinRequest(models.Model):
    """A logged-in person asks to join a network; a coordinator decides."""

    network = models.ForeignKey(
        NetworkPage,
        verbose_name=_("network"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="join_requests",
    )
    message = models.TextField(_("message to the coordinator"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = optional_reference(settings.AUTH_USER_MODEL, _("decided by"))

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network"],
                condition=Q(status="pending"),
                name="one_pending_join_request_per_network",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.network} ({self.get_status_display()})"


class DocumentVersion(models.Model):
    """An earlier file of a network document, kept when a new version replaced it.

    The earlier file stays a Wagtail document of its own (`archive`, in the same collection), so
    it is served by the same view and the same `before_serve_document` hook as every document:
    members only, by the one rule. The document itself keeps its id and holds the newest file.
    The archive keeps who uploaded that file and when (`uploaded_by_user`, `created_at`).
    """

    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="earlier_versions",
    )
    archive = models.OneToOneField(
        "wagtaildocs.Document",
        verbose_name=_("earlier file"),
        on_delete=models.CASCADE,
        related_name="version_of",
    )
    number = models.PositiveIntegerField(_("version"))
    replaced_at = models.DateTimeField(_("replaced"), auto_now_add=True)
    replaced_by = optional_reference(settings.AUTH_USER_MODEL, _("replaced by"))

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_version_number")
        ]

    def __str__(self):
        return f"{self.archive} ({self.number})"
