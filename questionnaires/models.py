"""Questionnaires to municipalities: Wagtail's form builder, one answer per municipality.

A `QuestionnairePage` is a `wagtail.contrib.forms` form page. Its recipients are municipalities
from the organisation register (a network's, a county's or a chosen list), each a
`QuestionnaireRecipient` with the contact person who gets the personal link. The answer is the
form builder's submission (`QuestionnaireResponse`), one per recipient: a draft until it is sent.
"""

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.forms import WagtailAdminFormPageForm
from wagtail.contrib.forms.models import (
    FORM_FIELD_CHOICES,
    AbstractForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from portal.fields import optional_reference
from portal.organisations import CurrentOrganisationChoices, OrganisationKind
from portal.routes import page_view
from portal.tokens import SignedLink

MATRIX = "matrix"
FIELD_CHOICES = (*FORM_FIELD_CHOICES, (MATRIX, _("Rating matrix")))
TOKEN_SALT = "questionnaires.answer"


class Recipients(models.TextChoices):
    NETWORK = "network", _("The municipalities of the network")
    COUNTY = "county", _("The municipalities of a county")
    LIST = "list", _("A chosen list of municipalities")


class AnswerVisibility(models.TextChoices):
    ORGANISERS = "organisers", _("The organisers only")
    NETWORK = "network", _("The members of the network")
    PUBLIC = "public", _("Everyone, as summaries")


class QuestionnaireField(AbstractFormField):
    page = ParentalKey("QuestionnairePage", on_delete=models.CASCADE, related_name="form_fields")
    field_type = models.CharField(_("field type"), max_length=16, choices=FIELD_CHOICES)
    field_type.required_on_save = True
    scale = models.TextField(
        _("scale"),
        blank=True,
        help_text=_(
            "Rating matrix only: the answer options, one per line (e.g. Mycket svårt … Mycket "
            "lätt). The rows to rate go in Choices."
        ),
    )

    panels: ClassVar = [*AbstractFormField.panels, FieldPanel("scale")]


class QuestionnairePageForm(CurrentOrganisationChoices, WagtailAdminFormPageForm):
    """The chosen municipalities and those visited are chosen among those in force; one chosen
    before its municipality was merged away stays chosen."""


class QuestionnairePage(RoutablePageMixin, AbstractForm):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ul"])
    opens_on = models.DateField(_("opens on"), default=timezone.localdate)
    deadline = models.DateField(_("deadline"), help_text=_("The last day answers are accepted."))
    network = optional_reference(
        "networks.NetworkPage",
        _("organising network"),
        related_name="questionnaires",
        help_text=_("Its coordinators organise the questionnaire."),
    )
    recipients_from = models.CharField(
        _("who answers"), max_length=16, choices=Recipients.choices, default=Recipients.LIST
    )
    county = optional_reference("portal.County", _("county"))
    organisations = ParentalManyToManyField(
        "portal.Organisation",
        verbose_name=_("chosen municipalities"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
    )
    visibility = models.CharField(
        _("who may see the answers"),
        max_length=16,
        choices=AnswerVisibility.choices,
        default=AnswerVisibility.ORGANISERS,
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("reminder, days before the deadline"),
        default=3,
        help_text=_("Those who have not answered get one reminder this many days before."),
    )
    thank_you_text = RichTextField(_("thank-you text"), blank=True, features=["bold", "link"])

    base_form_class = QuestionnairePageForm

    content_panels: ClassVar = [
        *AbstractForm.content_panels,
        FieldPanel("intro"),
        InlinePanel("form_fields", label=_("Questions")),
        FieldRowPanel([FieldPanel("opens_on"), FieldPanel("deadline")]),
        MultiFieldPanel(
            [
                FieldPanel("network"),
                FieldPanel("recipients_from"),
                FieldPanel("county"),
                FieldPanel("organisations"),
                FieldPanel("visibility"),
                FieldPanel("remind_days_before"),
            ],
            heading=_("Recipients and answers"),
        ),
        FieldPanel("thank_you_text"),
        InlinePanel("visits", label=_("Events and visits")),
    ]
    parent_page_types: ClassVar = ["portal.HomePage", "portal.StandardPage"]
    subpage_types: ClassVar = []

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def get_submission_class(self):
        return QuestionnaireResponse

    def get_form_fields(self):
        return self.form_fields.all()

    def get_form_class(self):
        from .forms import QuestionnaireFormBuilder

        return QuestionnaireFormBuilder(self.get_form_fields()).get_form_class()

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.deadline

    def has_closed(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.deadline

    # --- serving: the page, the board and the export ------------------------------------------

    overview = page_view("", "questionnaire_overview")
    board = page_view("svar/", "questionnaire_board")
    export = page_view(r"^svar/(?P<fmt>csv|xlsx)/$", "questionnaire_export")


class QuestionnaireVisit(Orderable):
    """An event the answers prepare for: its page shows the organisers the answers (of the
    municipality visited, or of all)."""

    questionnaire = ParentalKey(QuestionnairePage, on_delete=models.CASCADE, related_name="visits")
    event = models.ForeignKey(
        "events.EventPage", verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("municipality visited"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": OrganisationKind.MUNICIPALITY},
        help_text=_("Empty: the event shows every municipality's answers."),
    )

    panels: ClassVar = [FieldPanel("event"), FieldPanel("organisation")]


class QuestionnaireRecipient(SignedLink, models.Model):
    """A municipality asked to answer, and the contact person who gets its personal link."""

    link_salt = TOKEN_SALT
    link_related = ("questionnaire", "organisation")

    questionnaire = models.ForeignKey(
        QuestionnairePage,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="questionnaire_recipients",
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("questionnaire recipient")
        verbose_name_plural = _("questionnaire recipients")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "organisation"], name="one_recipient_per_municipality"
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.questionnaire}"


class QuestionnaireResponse(AbstractFormSubmission):
    """The one answer of a municipality: a draft (`submitted_at` empty) until it is sent."""

    recipient = models.OneToOneField(
        QuestionnaireRecipient,
        verbose_name=_("municipality"),
        on_delete=models.CASCADE,
        related_name="response",
    )
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    answered_by_name = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_by_email = models.EmailField(_("answerer's e-mail"), blank=True)

    class Meta:
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")

    def __str__(self):
        return f"{self.recipient.organisation} – {self.page.title}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
