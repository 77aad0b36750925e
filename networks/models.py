"""Networks: a public "about" page, a private member space below it, and who belongs."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index


class NetworkIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = ["networks.NetworkPage"]
    max_count = 1

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


class NetworkPage(Page):
    """The public "about" part of a network. Its member space is the one child MemberSpacePage."""

    purpose = RichTextField(_("purpose"), blank=True, features=["bold", "italic", "link", "ul"])
    audience = models.TextField(_("who it is for"), blank=True)
    meeting_rhythm = models.CharField(_("meeting rhythm"), max_length=200, blank=True)
    host_organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("host organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_networks",
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
    ]
    parent_page_types: ClassVar = ["networks.NetworkIndexPage"]
    subpage_types: ClassVar = ["networks.MemberSpacePage"]

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    @property
    def member_space(self):
        return MemberSpacePage.objects.child_of(self).first()


class MemberSpacePage(Page):
    """Everything at or below this page belongs to the parent network and is for members only."""

    intro = RichTextField(_("welcome text"), blank=True, features=["bold", "italic", "link"])

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    # Children (meetings, minutes...) declare this page in their own parent_page_types.
    parent_page_types: ClassVar = ["networks.NetworkPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("member space")

    @property
    def network(self):
        return NetworkPage.objects.get(pk=self.get_parent().pk)


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
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("organisation represented"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    start_date = models.DateField(_("start date"), default=timezone.localdate)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Access ends on this date.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

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
