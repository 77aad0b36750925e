"""The annual activity report (verksamhetsberättelse) of a region, and the meetings outside the
portal that the strategist attended for it.

A report is drafted from the year in the portal (reports/services.py `report_generate`): the
figures are computed once and frozen on the page (`figures`, with the date they were computed),
the chapters follow seed 003's and the strategist edits them. The figures name meetings,
minutes and newsletters by their page: what a reader sees of them is decided at reading time by
the one access rule (reports/selectors.py `figures_for`), so the public version counts a
member-only meeting but never names it. Approval is the minutes' justering (networks/minutes/):
the same workflow, task, approval rules and step-up.
"""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from networks.minutes.models import Justering
from portal.fields import optional_reference
from portal.routes import page_view

from .blocks import ChaptersBlock
from .forms import AnnualReportPageForm, ExternalMeetingForm


class AnnualReportPage(Justering, RoutablePageMixin, Page):
    year = models.PositiveSmallIntegerField(_("year"))
    networks = ParentalManyToManyField(
        "networks.NetworkPage",
        verbose_name=_("networks"),
        blank=True,
        related_name="+",
    )
    steering_group = optional_reference(
        "networks.NetworkPage",
        _("steering group"),
        help_text=_("The network of the steering group, whose members approve the report."),
    )
    chapters = StreamField(ChaptersBlock(), verbose_name=_("chapters"), blank=True)
    economy = StreamField(
        [("table", TableBlock(label=_("table")))],
        verbose_name=_("economy"),
        blank=True,
    )
    figures = models.JSONField(_("frozen figures"), default=dict, blank=True, editable=False)
    figures_computed_at = models.DateTimeField(
        _("figures computed"), null=True, blank=True, editable=False
    )
    approvers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approvers (justerare)"),
        blank=True,
        related_name="reports_to_approve",
        help_text=_("One or two members of the steering group, not the author."),
    )

    content_panels: ClassVar = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("year"), FieldPanel("steering_group")]),
                FieldPanel("networks"),
            ],
            heading=_("The year and its networks"),
        ),
        FieldPanel("chapters"),
        FieldPanel("economy"),
        InlinePanel(
            "quotes",
            label=_("Quotes from questionnaires"),
            help_text=_(
                "A sent answer of a questionnaire of the year: its free-text answers are quoted "
                "with the municipality's name, to readers who may read that questionnaire's "
                "answers."
            ),
        ),
        FieldPanel("approvers"),
    ]
    base_form_class = AnnualReportPageForm
    search_fields: ClassVar = [*Page.search_fields, index.SearchField("chapters")]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = []

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")

    # --- justering (networks/minutes/models.py Justering) ---------------------------------------

    justering_mail = "report"

    def justering_record(self) -> dict:
        from .record import report_record

        return report_record(self)

    def approvers_problem(self, approvers) -> str:
        if self.steering_group_id is None:
            return ""
        from networks.minutes.selectors import network_members_ids

        members = set(network_members_ids(self.steering_group_id))
        if any(person.pk not in members for person in approvers):
            return str(_("Approvers must be members of the steering group."))
        return ""

    review_template = "reports/review.html"

    @property
    def review_url(self) -> str:
        """The review screen on the report's own site (a full address when there are several,
        as the page's own `url` is)."""
        from django.urls import reverse

        parts = self.get_url_parts()
        site_prefix = self.url.removesuffix(parts[2]) if parts else ""
        return site_prefix + reverse("reports:review", args=[self.pk])

    def review_context(self, request) -> dict:
        from . import views

        return views.report_context(request, self)

    # --- serving ----------------------------------------------------------------------------

    detail = page_view("", "report_detail")
    pdf = page_view("pdf/", "report_pdf")
    docx = page_view("docx/", "report_docx")


class ReportQuote(Orderable):
    """A municipality's answer to a questionnaire of the report's year, quoted in the report.

    The words are read from the answer when the report is read, never retyped, and shown only
    to a reader who may read that questionnaire's answers (reports/selectors.py `figures_for`
    asks networks/access.py `can_view_questionnaire_answers`)."""

    page = ParentalKey(AnnualReportPage, on_delete=models.CASCADE, related_name="quotes")
    answer = models.ForeignKey(
        "questionnaires.QuestionnaireResponse",
        verbose_name=_("answer"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"submitted_at__isnull": False},
    )

    panels: ClassVar = [FieldPanel("answer")]

    class Meta(Orderable.Meta):
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")

    def clean(self):
        from django.core.exceptions import ValidationError

        report = getattr(self, "page", None)
        questionnaire = self.answer.recipient.questionnaire if self.answer_id else None
        if report and questionnaire and questionnaire.deadline.year != report.year:
            raise ValidationError(
                {"answer": _("Choose an answer to a questionnaire of the report's year.")}
            )


class ExternalMeetingKind(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class ExternalMeeting(models.Model):
    """A meeting the strategist attended for the region that the portal did not host (NISKI,
    a regional expert network, a reference group): counted in the report's chapters 6 and 7."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="external_meetings",
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255)
    organiser = models.CharField(_("organiser"), max_length=255, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=ExternalMeetingKind.choices,
        default=ExternalMeetingKind.REGIONAL,
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("attended"),
        blank=True,
        related_name="external_meetings",
    )

    base_form_class = ExternalMeetingForm
    panels: ClassVar = [
        FieldPanel("site"),
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("title"),
        FieldPanel("organiser"),
        FieldPanel("attendees"),
    ]

    class Meta:
        verbose_name = _("external meeting")
        verbose_name_plural = _("external meetings")
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.title}"
