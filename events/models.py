"""Events: public calendar pages, private network meetings, registrations and calendar feeds.

An EventPage under the EventIndexPage is public; one under a network's MemberSpacePage is private
to that network through the one access rule (networks/access.py). Operational records that must
not travel with page revisions (registrations, the iCalendar cache and SEQUENCE, feed tokens)
are plain models.
"""

import secrets
import uuid
from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from networks.rights import MemberContentRights
from portal.admin_forms import OrganisationChoicesPageForm
from portal.fields import optional_reference
from portal.routes import page_view
from portal.search import NORMALISED_FIELD, NormalisedSearch

DEFAULT_TIMEZONE = "Europe/Stockholm"


class EventKind(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference or forum")
    KICK_OFF = "kick_off", _("Kick-off")
    KNOWLEDGE_MEETING = "knowledge_meeting", _("Knowledge meeting")
    TELEPHONE_CONFERENCE = "telephone_conference", _("Telephone conference")
    DIALOGUE_MEETING = "dialogue_meeting", _("Dialogue meeting")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    STEERING_GROUP_MEETING = "steering_group_meeting", _("Steering group meeting")
    STUDY_VISIT = "study_visit", _("Study visit")
    OTHER = "other", _("Other")


# Kinds that, in a member space, invite every member and ask for yes / no / maybe.
MEETING_KINDS = (
    EventKind.NETWORK_MEETING,
    EventKind.STEERING_GROUP_MEETING,
    EventKind.DIALOGUE_MEETING,
)


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    MOVED = "moved", _("Moved")
    CANCELLED = "cancelled", _("Cancelled")


class TimeZoneChoice(models.TextChoices):
    STOCKHOLM = "Europe/Stockholm", _("Swedish time (Europe/Stockholm)")
    OSLO = "Europe/Oslo", _("Norwegian time (Europe/Oslo)")


class DocumentationVisibility(models.TextChoices):
    PUBLIC = "public", _("Everyone who can see the event")
    MEMBERS = (
        "members",
        _(
            "Registered participants and network members only (keep the documents themselves in "
            "the network's document collection)"
        ),
    )


class DocumentationLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    url = blocks.URLBlock(label=_("address"))

    class Meta:
        icon = "link"
        label = _("Link")
        template = "events/blocks/documentation_link.html"


class DocumentationBlock(blocks.StreamBlock):
    notes = blocks.RichTextBlock(
        label=_("Notes"),
        features=["bold", "italic", "link", "ul", "ol", "h3"],
        template="events/blocks/documentation_notes.html",
    )
    document = DocumentChooserBlock(
        label=_("Document (slides, notes)"), template="events/blocks/documentation_document.html"
    )
    link = DocumentationLinkBlock()


def parse_dates(text: str) -> list[date]:
    """The dates in a list an editor writes one per line; ValueError if a line is no date."""
    return [date.fromisoformat(line.strip()) for line in text.splitlines() if line.strip()]


def format_dates(dates) -> str:
    """Dates as such a list, in order and each once."""
    return "".join(f"{day.isoformat()}\n" for day in sorted(set(dates)))


class EventSeries(models.Model):
    """Occurrences that belong together: fixed irregular dates or a regular rule.

    Each occurrence is its own EventPage (own URL, registrations, documentation, status), so
    one can be moved or cancelled without touching the others.
    """

    class Rule(models.TextChoices):
        IRREGULAR = "irregular", _("Irregular dates")
        WEEKLY = "weekly", _("Every week")
        BIWEEKLY = "biweekly", _("Every second week")
        MONTHLY = "monthly", _("Same weekday every month")

    title = models.CharField(_("title"), max_length=255)
    rule = models.CharField(
        _("repeats"), max_length=12, choices=Rule.choices, default=Rule.IRREGULAR
    )
    description = models.TextField(_("description"), blank=True)
    template = optional_reference(
        "events.EventPage",
        _("first occurrence"),
        help_text=_(
            "Publish the first event, choose it here, and the other occurrences are made as "
            "copies of it. Each can then be moved or cancelled on its own."
        ),
    )
    dates = models.TextField(
        _("dates"),
        blank=True,
        help_text=_("Irregular dates: one per line, as 2027-03-15."),
    )
    count = models.PositiveSmallIntegerField(
        _("number of occurrences"),
        null=True,
        blank=True,
        help_text=_("With a regular rule: how many occurrences, the first one included."),
    )
    # Filled in when an occurrence of a regular series is deleted (services.series_skip), so
    # that the rule never makes it again. Irregular series need no such list: the deleted
    # occurrence's date is taken off `dates` instead.
    skipped_dates = models.TextField(
        _("skipped dates"),
        blank=True,
        help_text=_(
            "With a regular rule: dates whose occurrence was deleted, one per line. The rule "
            "does not make them again; take a date off this list to have it made again."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels: ClassVar = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("template"),
        FieldPanel("rule"),
        FieldPanel("dates"),
        FieldPanel("count"),
        FieldPanel("skipped_dates"),
    ]

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        # Each list is checked where it is used: `dates` by irregular series, `skipped_dates`
        # by a rule.
        listed = "dates" if self.rule == self.Rule.IRREGULAR else "skipped_dates"
        try:
            parse_dates(getattr(self, listed))
        except ValueError as error:
            raise ValidationError({listed: _("Write one date per line, as 2027-03-15.")}) from error
        if self.rule != self.Rule.IRREGULAR and self.template_id and not self.count:
            raise ValidationError({"count": _("Say how many occurrences the rule makes.")})

    def date_list(self) -> list[date]:
        return parse_dates(self.dates)

    def skipped_date_list(self) -> list[date]:
        return parse_dates(self.skipped_dates)


class EventIndexPage(NormalisedSearch, RoutablePageMixin, Page):
    """The public calendar: upcoming list, month view and archive (views in events/views.py)."""

    search_fields: ClassVar = [*Page.search_fields, NORMALISED_FIELD]

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = ["events.EventPage"]
    # One per site: the parent is the site's home page, its root (portal/sites.py).
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("calendar")

    upcoming = page_view("", "calendar_list")

    @path("manad/")
    @path("manad/<int:year>/<int:month>/")
    def month(self, request, year=None, month=None):
        from . import views

        return views.calendar_month(request, self, year=year, month=month)

    archive = page_view("arkiv/", "calendar_archive")
    # The national calendar: every site's public events marked national.
    national = page_view("nationellt/", "calendar_national")


class EventPage(MemberContentRights, NormalisedSearch, RoutablePageMixin, Page):
    base_form_class = OrganisationChoicesPageForm

    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    tz_name = models.CharField(
        _("time zone"),
        max_length=40,
        choices=TimeZoneChoice.choices,
        default=DEFAULT_TIMEZONE,
        help_text=_("Norwegian organisers use Norwegian time."),
    )
    all_day = models.BooleanField(_("all day"), default=False)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    logistics_note = models.TextField(
        _("logistics note (organisers only)"),
        blank=True,
        help_text=_("Room and coffee booking and similar. Only organisers ever see this."),
    )
    join_details = models.TextField(
        _("online or dial-in details"),
        blank=True,
        help_text=_("Shown only to registered participants and members of the network."),
    )
    description = RichTextField(
        _("description"), blank=True, features=["bold", "italic", "link", "ul", "ol"]
    )
    organiser = optional_reference(
        "portal.Organisation", _("organiser"), related_name="organised_events"
    )
    co_organisers = ParentalManyToManyField(
        "portal.Organisation",
        verbose_name=_("co-organisers"),
        blank=True,
        related_name="co_organised_events",
    )
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    # The national layer is opt-in per item: a site marks the events every site should see.
    national = models.BooleanField(
        _("national"),
        default=False,
        help_text=_(
            "Also in the national calendar (e.g. NISKI meetings, the key-figures conference)."
        ),
    )
    registration_enabled = models.BooleanField(_("registration in the portal"), default=False)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    registration_opens = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    status_reason = models.CharField(_("reason for the change"), max_length=255, blank=True)
    documentation = StreamField(
        DocumentationBlock(), verbose_name=_("documentation"), blank=True, use_json_field=True
    )
    documentation_visibility = models.CharField(
        _("documentation is for"),
        max_length=10,
        choices=DocumentationVisibility.choices,
        default=DocumentationVisibility.PUBLIC,
    )
    series = optional_reference(EventSeries, _("series"), related_name="occurrences")
    # The date the series planned this occurrence for, kept when it is moved, so that making
    # the series' missing occurrences never brings a moved one back.
    series_date = models.DateField(_("planned date in the series"), null=True, blank=True)

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldRowPanel([FieldPanel("tz_name"), FieldPanel("all_day")]),
                FieldPanel("series"),
            ],
            heading=_("Time"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("address"), FieldPanel("join_details")],
            heading=_("Place"),
        ),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("organiser"),
                FieldPanel("co_organisers"),
                FieldPanel("audience"),
                FieldPanel("national"),
            ],
            heading=_("Organisers and audience"),
        ),
        InlinePanel("agenda_items", label=_("Agenda")),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldPanel("capacity"),
                FieldRowPanel(
                    [FieldPanel("registration_opens"), FieldPanel("registration_closes")]
                ),
            ],
            heading=_("Registration"),
        ),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_reason")], heading=_("Status")),
        FieldPanel("logistics_note"),
        MultiFieldPanel(
            [FieldPanel("documentation"), FieldPanel("documentation_visibility")],
            heading=_("Documentation afterwards"),
        ),
    ]
    # Private fields (logistics note, join details) are deliberately not indexed: search results
    # must never carry them, whoever searches.
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("description"),
        index.SearchField("venue"),
        index.SearchField("audience"),
        index.FilterField("kind"),
        index.FilterField("start"),
        NORMALISED_FIELD,
    ]
    parent_page_types: ClassVar = ["events.EventIndexPage", "networks.MemberSpacePage"]
    subpage_types: ClassVar = []
    exclude_fields_in_copy: ClassVar = ["series", "series_date"]

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["start"]), models.Index(fields=["kind", "start"])]

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_meeting(self) -> bool:
        return self.kind in MEETING_KINDS

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    @property
    def location_text(self) -> str:
        return ", ".join(part for part in (self.venue, self.address) if part)

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The event cannot end before it starts.")})

    detail = page_view("", "event_detail")
    register = page_view("anmalan/", "event_register")
    respond = page_view("svar/", "event_respond")
    participants = page_view("deltagare/", "event_participants")
    participants_export = page_view(r"^deltagare/(?P<fmt>csv|xlsx)/$", "event_participants_export")
    ics = page_view("ics/", "event_ics")


class AgendaItem(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="agenda_items")
    time = models.TimeField(_("time"), null=True, blank=True)
    item = models.CharField(_("item"), max_length=255)
    speaker = models.CharField(_("speaker"), max_length=255, blank=True)

    panels: ClassVar = [FieldPanel("time"), FieldPanel("item"), FieldPanel("speaker")]

    class Meta(Orderable.Meta):
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")

    def __str__(self):
        return self.item


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for e-mail confirmation")
    CONFIRMED = "confirmed", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Response(models.TextChoices):
    YES = "yes", _("Yes, I will attend")
    NO = "no", _("No, I cannot attend")
    MAYBE = "maybe", _("Maybe")


def new_registration_token() -> str:
    return secrets.token_urlsafe(32)


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("queued_at", "pk")

    def active(self):
        return self.filter(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])


class Registration(models.Model):
    """One person's place at an event, or their invitation and RSVP to a network meeting.

    The token is the holder's key to the cancel link in e-mails; it is stored as issued because
    every confirmation and promotion e-mail repeats the same link.
    """

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = optional_reference(
        settings.AUTH_USER_MODEL, _("person"), related_name="event_registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    needs = models.TextField(_("dietary or accessibility needs"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    response = models.CharField(
        _("answer"), max_length=8, choices=Response.choices, blank=True, default=""
    )
    # When the answer was given (on the web, or the DTSTAMP of a calendar REPLY), so that a
    # reply mailed earlier, or the same reply sent again, never overwrites a later answer.
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    # Invited by address to a meeting in a member space (agency staff and other partners): they
    # get the invitation and its join details, and nothing else of the space.
    is_guest = models.BooleanField(_("invited guest"), default=False)
    token = models.CharField(
        max_length=64, unique=True, default=new_registration_token, editable=False
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    queued_at = models.DateTimeField(_("joined the waiting list"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email")
        ]
        indexes = [models.Index(fields=["event", "status", "queued_at"])]

    def __str__(self):
        return f"{self.name} – {self.event}"


class FeedEntry(models.Model):
    """The serialised VEVENT of one occurrence, its stable UID and its SEQUENCE.

    Kept outside the page so that publishing an old revision can never lower SEQUENCE or
    change the UID, and so that a feed of 10,000 events is assembled from stored strings.
    `cache_key` says which live revision and URL the stored strings were made from.
    """

    event = models.OneToOneField(
        EventPage, on_delete=models.CASCADE, primary_key=True, related_name="feed_entry"
    )
    uid = models.CharField(max_length=100, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    cache_key = models.CharField(max_length=64, blank=True)
    vevent_public = models.TextField(blank=True)
    vevent_full = models.TextField(blank=True)
    # What participants were last told, to know when a change is worth an update e-mail.
    notified_start = models.DateTimeField(null=True, blank=True)
    notified_end = models.DateTimeField(null=True, blank=True)
    notified_location = models.CharField(max_length=520, blank=True)
    notified_status = models.CharField(max_length=12, blank=True)
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar entry")
        verbose_name_plural = _("calendar entries")

    def __str__(self):
        return self.uid

    @staticmethod
    def new_uid() -> str:
        return f"{uuid.uuid4()}@samverkansportalen"


class FeedTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class FeedToken(models.Model):
    """The secret in a personal calendar URL; calendar apps cannot log in, so the URL is the key."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    token = models.CharField(max_length=64, unique=True, default=new_registration_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_usable_feed_token_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} ({'revoked' if self.revoked_at else 'active'})"


class DocumentationNotice(models.Model):
    """The one e-mail about an event's documentation (slides, notes), claimed by this row: the
    first publish with documentation sends it, later publishes find it taken."""

    event = models.OneToOneField(
        EventPage,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="documentation_notice",
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("documentation notice")
        verbose_name_plural = _("documentation notices")

    def __str__(self):
        return str(self.event)
