"""Minutes of network meetings, their approval (justering) and the action items they create.

A MinutesPage lives in a network's member space, so the one access rule (networks/access.py)
decides who reads the published minutes. Drafts and minutes under review are never served by
Wagtail; the review views in this app show them only to the author, the named approvers and the
network's coordinators. Approval is a Wagtail workflow whose task is approved by the approvers
named on the minutes themselves, not by a group.
"""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, Task, TaskState
from wagtail.search import index

from networks.rights import MemberContentPermissionTester
from portal.fields import optional_reference
from portal.routes import page_view
from portal.search import NORMALISED_FIELD, NormalisedSearch

from .blocks import AgendaBlock
from .forms import MinutesPageForm


class MinutesPermissionTester(MemberContentPermissionTester):
    """First publication only through justering; the network's coordinators may unlock. Like
    every page of a member space, nothing for those the access rule keeps out."""

    def can_publish(self):
        # Minutes go live as their last approver approves them (whoever that is); otherwise
        # only corrections of approved minutes may be published, by editors, with a change note.
        from .selectors import justering_just_completed_by

        if justering_just_completed_by(self.page, self.user):
            return True
        if self.page.first_published_at is None:
            return False
        return super().can_publish()

    def can_unlock(self):
        from networks import access

        if super().can_unlock():
            return True
        network_id = access.network_id_for_page(self.page)
        return network_id is not None and access.can_manage_network(self.user, network_id)


class Justering:
    """A page approved (justerad) by the people it names in `approvers`, each of them, never its
    author: minutes, and the annual report (reports/models.py). Every such page uses the one
    justering workflow and its task (MinutesApprovalTask), so the rules below and in
    services.py hold for each alike. A page class says what its record text holds
    (`justering_record()`, a dict of what the approvers approve; record.py makes
    its canonical text), who may be named (`approvers_problem`), where approvers
    read it (`review_url`) and which e-mails it sends (`justering_mail`, the templates'
    prefix). Approvers read it on the one review screen (views.review) at `review_url`, in
    `review_template` with what `review_context(request)` adds for the draft's text.
    """

    # Approval and sending back are e-mailed by the services (portal/workflow_mail.py).
    sends_own_workflow_emails = True
    justering_mail = "minutes"
    review_template = "minutes/review.html"

    @property
    def has_workflow(self):
        return self.get_workflow() is not None

    def get_workflow(self):
        """Every such page is approved by its own named approvers, wherever it lives."""
        from .selectors import minutes_workflow

        return minutes_workflow()

    def permissions_for_user(self, user):
        return MinutesPermissionTester(user, self)

    def approvers_problem(self, approvers) -> str:
        """Why these approvers may not be named here ("" when they may)."""
        return ""


class MinutesPage(Justering, NormalisedSearch, RoutablePageMixin, Page):
    meeting = optional_reference("events.EventPage", _("meeting"), related_name="minutes")
    meeting_date = models.DateField(_("date of the meeting"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    present_members = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("present"),
        blank=True,
        related_name="+",
        help_text=_("Members of the network who took part. Guests are added below."),
    )
    apologies = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("apologies"),
        blank=True,
        related_name="+",
    )
    approvers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approvers (justerare)"),
        blank=True,
        related_name="minutes_to_approve",
        help_text=_(
            "One or two of those present, not the author. They approve the minutes before "
            "they are published."
        ),
    )
    agenda = StreamField(AgendaBlock(), verbose_name=_("agenda"), blank=True)

    content_panels: ClassVar = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("meeting"),
                FieldRowPanel([FieldPanel("meeting_date"), FieldPanel("place")]),
            ],
            heading=_("Meeting"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("present_members", widget=MinutesPageForm.people_widget()),
                InlinePanel("guests", label=_("Guests from outside the network")),
                FieldPanel("apologies", widget=MinutesPageForm.people_widget()),
            ],
            heading=_("Participants"),
        ),
        FieldPanel("agenda"),
        InlinePanel("action_items", label=_("Action items")),
        InlinePanel("attachments", label=_("Attachments")),
        FieldPanel("approvers", widget=MinutesPageForm.people_widget()),
        InlinePanel(
            "corrections",
            label=_("Corrections"),
            help_text=_(
                "Correcting published minutes? Say what was changed, e.g. "
                "“corrected the list of participants”."
            ),
        ),
    ]
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("agenda"),
        index.SearchField("place"),
        index.FilterField("meeting"),
        index.FilterField("meeting_date"),
        NORMALISED_FIELD,
    ]
    parent_page_types: ClassVar = ["networks.MemberSpacePage"]
    subpage_types: ClassVar = []
    base_form_class = MinutesPageForm

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    # --- approval (Justering) ------------------------------------------------------------------

    def justering_record(self) -> dict:
        from .record import minutes_record

        return minutes_record(self)

    def review_context(self, request) -> dict:
        from . import views

        return views.minutes_review_context(request, self)

    def approvers_problem(self, approvers) -> str:
        present = set(self.present_members.all())
        if any(a not in present for a in approvers):
            return str(_("Approvers must be among those present."))
        return ""

    def with_content_json(self, content):
        """Follow-up lives outside revisions: owners mark items done, and record the answers to
        matters, after publication."""
        page = super().with_content_json(content)
        fields = ActionItem.FOLLOW_UP_FIELDS
        current = {
            row["pk"]: row
            for row in ActionItem.objects.filter(minutes_id=self.pk).values("pk", *fields)
        }
        for item in page.action_items.all():
            for field in fields if item.pk in current else ():
                setattr(item, field, current[item.pk][field])
        return page

    # --- serving ----------------------------------------------------------------------------

    @property
    def review_url(self) -> str:
        """The draft or version under review, a screen of the member space the minutes are in."""
        from networks.models import MemberSpacePage

        # Built from the page's own address (its parent's plus its slug): no query per item in
        # the lists of minutes awaiting review.
        space_url = self.url.removesuffix(f"{self.slug}/")
        return space_url + MemberSpacePage.get_resolver().reverse("minutes_review", self.pk)

    detail = page_view("", "minutes_detail")
    pdf = page_view("pdf/", "minutes_pdf")
    docx = page_view("docx/", "minutes_docx")
    text_check = page_view("kontroll/", "minutes_check", name="check")
    text_download = page_view("kontroll/text/", "minutes_record_text", name="record_text")


class MinutesGuest(Orderable):
    """Someone present from outside the network, e.g. Migrationsverket's regional expert."""

    page = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=200)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    panels: ClassVar = [FieldRowPanel([FieldPanel("name"), FieldPanel("organisation")])]

    class Meta(Orderable.Meta):
        verbose_name = _("guest")
        verbose_name_plural = _("guests")

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


class MinutesAttachment(Orderable):
    page = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels: ClassVar = [FieldPanel("document")]

    class Meta(Orderable.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class MinutesCorrection(Orderable):
    """A visible change note on approved minutes: “justerat 2017-03-02: rättat deltagarlista”."""

    page = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateField(_("date"))
    note = models.CharField(_("what was corrected"), max_length=255)

    panels: ClassVar = [FieldRowPanel([FieldPanel("date"), FieldPanel("note")])]

    class Meta(Orderable.Meta):
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self):
        return f"{self.date:%Y-%m-%d}: {self.note}"


class Decision(models.Model):
    """One agenda item's decisions in minutes, as the decisions register lists them: kept from
    the page's agenda each time its content is saved (see register.py), so that the register
    filters and pages in the database."""

    minutes = models.ForeignKey(MinutesPage, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField()
    subject = models.TextField(blank=True)
    lines = models.JSONField(default=list)
    subject_terms = models.TextField(blank=True)
    terms = models.TextField(blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["minutes", "number"], name="one_decision_per_item")
        ]

    def __str__(self):
        return f"{self.minutes_id} §{self.number}: {self.subject}"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class MatterStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    # "Answered" alone is the questionnaire board's column (sv "Besvarade").
    ANSWERED = "answered", pgettext_lazy("matter status", "Answered")
    CLOSED = "closed", _("Closed")


class ActionItemQuerySet(models.QuerySet):
    def published(self):
        """Items of minutes that are live: drafts' items are nobody's task yet."""
        return self.filter(minutes__live=True)

    def open(self):
        return self.filter(status=ActionItemStatus.OPEN)

    def matters(self):
        """Matters raised with another organisation (the items that name one)."""
        return self.filter(organisation__isnull=False)

    def matters_open(self):
        return self.matters().exclude(matter_status=MatterStatus.CLOSED)


class ActionItem(Orderable):
    """A follow-up task decided in a meeting. Written in the minutes; its status is not.

    The status belongs to the owner, not to a revision: `MinutesPage.with_content_json` keeps it
    when a revision is published, and the admin form never shows it.
    """

    minutes = ParentalKey(MinutesPage, on_delete=models.CASCADE, related_name="action_items")
    what = models.CharField(_("what"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="action_items",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = optional_reference(settings.AUTH_USER_MODEL, _("marked done by"))

    # A matter raised with another organisation (“lyft med Migrationsverket”): the owner raises
    # it; when, the answer and the status are follow-up, kept like `status`, outside revisions.
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("raise with (organisation)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="matters",
        help_text=_("For a question to raise with an agency or another organisation."),
    )
    raised_on = models.DateField(_("raised on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    matter_status = models.CharField(
        _("status of the matter"),
        max_length=10,
        choices=MatterStatus.choices,
        default=MatterStatus.RAISED,
    )

    objects = ActionItemQuerySet.as_manager()

    # What the follow-up records, not the minutes' text: publishing a revision keeps it.
    FOLLOW_UP_FIELDS: ClassVar = (
        "status",
        "done_at",
        "done_by_id",
        "raised_on",
        "answer",
        "answered_on",
        "matter_status",
    )

    panels: ClassVar = [
        FieldPanel("what"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("due_date")]),
        FieldPanel("organisation"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.what

    @property
    def is_done(self) -> bool:
        return self.status == ActionItemStatus.DONE


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due in three days")
    OVERDUE = "overdue", _("Overdue")


class ActionItemReminder(models.Model):
    """A reminder that was sent. The unique constraint is the claim: a second run, or a second
    worker at the same moment, cannot insert the same row, so it sends nothing."""

    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action item reminder")
        verbose_name_plural = _("action item reminders")
        constraints = [
            models.UniqueConstraint(fields=["action_item", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self):
        return f"{self.action_item} ({self.get_kind_display()})"


class MinutesDistribution(models.Model):
    """The publication e-mail went out for these minutes (once, whoever publishes again)."""

    minutes = models.OneToOneField(
        MinutesPage, on_delete=models.CASCADE, primary_key=True, related_name="distribution"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.minutes} ({self.sent_at:%Y-%m-%d})"


class MinutesCorrectionDistribution(models.Model):
    """Members were told of this change note (once, however often the corrected text is published).

    A note is known by its date and text, not by the row in MinutesCorrection: publishing a
    revision rewrites those rows. Notes already on the minutes at their first publication are
    recorded too, so that they are never announced as corrections of the approved text.
    """

    minutes = models.ForeignKey(
        MinutesPage, on_delete=models.CASCADE, related_name="correction_distributions"
    )
    date = models.DateField()
    note = models.CharField(max_length=255)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "date", "note"], name="one_email_per_correction"
            )
        ]

    def __str__(self):
        return f"{self.minutes} ({self.date:%Y-%m-%d}: {self.note})"


class MinutesApprovalTask(Task):
    """Justering: approved by the approvers named on the minutes, each of them, never the author."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("minutes approval (justering)")
        verbose_name_plural = _("minutes approvals (justering)")

    @classmethod
    def get_description(cls):
        return _("The approvers named on the minutes approve them; the author cannot.")

    def _may_decide(self, obj, user) -> bool:
        from .selectors import can_decide

        return can_decide(minutes=obj.specific, user=user)

    def user_can_access_editor(self, obj, user):
        return False

    def locked_for_user(self, obj, user):
        # Under review, the text the approvers read must not change under them.
        return not user.is_superuser

    def get_actions(self, obj, user):
        if not self._may_decide(obj, user):
            return []
        return [
            ("reject", _("Send back with a comment"), True),
            # "Justera" is the minutes word; Wagtail's own "Approve" stays "Godkänn" elsewhere.
            ("approve", pgettext_lazy("minutes", "Approve"), False),
            ("approve", pgettext_lazy("minutes", "Approve with comment"), True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        """The Wagtail admin's door: the same services, and the same refusals, as the site's.

        Wagtail passes no request; allauth's middleware keeps the one being served, so the
        step-up is asked of it here (networks/minutes/stepup.py)."""
        from allauth.core import context

        from . import services, stepup

        if action_name not in ("approve", "reject"):
            raise PermissionDenied
        request = context.request
        authentication = stepup.decision_authentication(request) if request else None
        minutes = task_state.workflow_state.content_object.specific
        comment = kwargs.get("comment", "")
        if action_name == "approve":
            services.minutes_approve(
                minutes=minutes, user=user, comment=comment, authentication=authentication
            )
        else:
            services.minutes_send_back(
                minutes=minutes, user=user, comment=comment, authentication=authentication
            )

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).filter(
            revision__object_id__in=_minutes_ids_awaiting(user)
        )


def _minutes_ids_awaiting(user) -> list[str]:
    """Every page under justering waiting for this person: minutes and annual reports."""
    from .selectors import minutes_awaiting_approval

    return [str(m.pk) for m in minutes_awaiting_approval(user, model=Page)]


class MinutesApproval(models.Model):
    """One approver's “yes” to one revision of the text; the task completes when all have said it.

    The approval names the revision it approved, its number among the page's revisions and the
    SHA-256 of its record text (networks/minutes/record.py), so the published page can say which
    text was approved and a member can check that the text shown is that text. Version and hash
    are kept here as well as the revision: they must outlive a purge of old revisions.
    """

    task_state = models.ForeignKey(
        TaskState, on_delete=models.CASCADE, related_name="minutes_approvals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="minutes_approvals"
    )
    comment = models.TextField(blank=True)
    approved_at = models.DateTimeField(auto_now_add=True)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("approved revision"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    content_hash = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    # How the approver confirmed who they were just before (networks/minutes/stepup.py), kept
    # with the approval: the page's history says it too, but history can be pruned.
    authenticated_by = models.CharField(_("confirmed with"), max_length=20, blank=True)
    authenticated_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.UniqueConstraint(fields=["task_state", "user"], name="one_approval_per_round")
        ]

    def __str__(self):
        return f"{self.user} ({self.approved_at:%Y-%m-%d})"

    @property
    def authenticated_by_label(self) -> str:
        from .stepup import method_label

        return method_label(self.authenticated_by)
