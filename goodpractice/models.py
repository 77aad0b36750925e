"""The good-practice catalogue: practices as pages, their vocabularies, facets and submissions."""

import functools
import secrets
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from portal import text
from portal.admin_forms import OrganisationChoicesPageForm
from portal.fields import optional_reference
from portal.routes import page_view
from portal.search import NORMALISED_FIELD, NormalisedSearch

# Bits of a signed 64-bit integer usable for a vocabulary mask.
MAX_VOCABULARY_BITS = 63
# What a practice can have been presented at. Meetings and minutes in a member space are shown
# on the practice only to those whom networks.access lets see them (selectors.presented_at_for).
PRESENTED_AT_TYPES = ("events.EventPage", "minutes.MinutesPage")


class Vocabulary(models.Model):
    """A term editors keep in the admin (themes, target groups)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    # Position in the catalogue's bit masks (CatalogueEntry); the lowest free one on creation.
    bit = models.PositiveSmallIntegerField(unique=True, editable=False)

    panels: ClassVar = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.bit is None:
            self.bit = self._free_bit()
        super().save(*args, **kwargs)

    @property
    def mask(self) -> int:
        return 1 << self.bit

    def clean(self):
        super().clean()
        if self.bit is None and self._free_bit() is None:
            raise ValidationError(
                _("There can be at most %(n)s of these."), params={"n": MAX_VOCABULARY_BITS}
            )

    def _free_bit(self):
        used = set(type(self).objects.values_list("bit", flat=True))
        return next((bit for bit in range(MAX_VOCABULARY_BITS) if bit not in used), None)


@register_snippet
class Theme(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


@register_snippet
class TargetGroup(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class PracticeIndexPage(NormalisedSearch, RoutablePageMixin, Page):
    """The public catalogue: search, facets, sorting (`selectors.py`), CSV and XLSX export."""

    search_fields: ClassVar = [*Page.search_fields, NORMALISED_FIELD]

    intro = models.TextField(_("introduction"), blank=True)

    content_panels: ClassVar = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types: ClassVar = ["portal.HomePage"]
    subpage_types: ClassVar = ["goodpractice.PracticePage"]
    # One per site: the parent is the site's home page, its root (portal/sites.py).
    max_count_per_parent = 1
    show_in_menus_default = True
    template = "goodpractice/practice_index_page.html"

    class Meta:
        verbose_name = _("good-practice catalogue")

    catalogue = page_view("", "catalogue_page")
    export = page_view(r"^(?P<fmt>csv|xlsx)/$", "catalogue_export")
    # The national search: every site's practices marked national, the site a facet.
    national = page_view("nationellt/", "catalogue_page", national=True)
    national_export = page_view(
        r"^nationellt/(?P<fmt>csv|xlsx)/$", "catalogue_export", national=True
    )


class PracticePage(Page):
    """One good practice. Everything a submitter writes is plain text, shown via `linkify`."""

    base_form_class = OrganisationChoicesPageForm

    # Approval and sending back are e-mailed by the services (portal/workflow_mail.py).
    sends_own_workflow_emails = True
    # What a submitter fills in: the public form shows these, and a submission copies them onto
    # its draft page.
    SUBMITTER_FIELDS: ClassVar = (
        "title",
        "summary",
        "organisations",
        "county",
        "themes",
        "target_groups",
        "description",
        "what_was_done",
        "results",
        "lessons_learned",
        "period_start",
        "period_end",
        "still_running",
        "cost_funding",
        "contact_name",
        "contact_email",
        "contact_phone",
    )

    organisations = ParentalManyToManyField(
        "portal.Organisation",
        verbose_name=_("municipalities and organisations"),
        related_name="practices",
        blank=True,
    )
    county = optional_reference("portal.County", _("county"), related_name="practices")
    themes = ParentalManyToManyField(Theme, verbose_name=_("themes"), blank=True)
    target_groups = ParentalManyToManyField(
        TargetGroup, verbose_name=_("target groups"), blank=True
    )
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("A few sentences, shown in lists.")
    )
    description = models.TextField(_("description"), blank=True)
    what_was_done = models.TextField(_("what was done"), blank=True)
    results = models.TextField(_("results and evidence"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    period_start = models.DateField(_("started"), null=True, blank=True)
    period_end = models.DateField(_("ended"), null=True, blank=True)
    still_running = models.BooleanField(_("still running"), default=False)
    # The national layer is opt-in per item: a moderator marks the practices for every site.
    national = models.BooleanField(
        _("national"),
        default=False,
        help_text=_("Also in the national good-practice search, beside every other site's."),
    )
    cost_funding = models.TextField(_("cost and funding"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    presented_at = optional_reference(
        "wagtailcore.Page",
        _("presented at"),
        help_text=_("The event or minutes where the practice was presented, if any."),
    )
    # Derived on save: normalised words for search, the sort key for "municipality".
    search_terms = models.TextField(editable=False, blank=True)
    municipality_sort = models.CharField(max_length=200, editable=False, blank=True)

    content_panels: ClassVar = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("organisations"),
                FieldPanel("county"),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("national"),
            ],
            heading=_("Where and for whom"),
        ),
        FieldPanel("description"),
        FieldPanel("what_was_done"),
        FieldPanel("results"),
        FieldPanel("lessons_learned"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldPanel("still_running"),
                FieldPanel("cost_funding"),
            ],
            heading=_("Period and funding"),
        ),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("contact_email"), FieldPanel("contact_phone")],
            heading=_("Contact"),
        ),
        InlinePanel("links", label=_("Links")),
        InlinePanel("attachments", label=_("Attachments")),
        InlinePanel("related", label=_("Related practices")),
        PageChooserPanel("presented_at", PRESENTED_AT_TYPES),
    ]
    search_fields: ClassVar = [
        *Page.search_fields,
        index.SearchField("search_terms"),
        index.FilterField("still_running"),
    ]
    parent_page_types: ClassVar = ["goodpractice.PracticeIndexPage"]
    subpage_types: ClassVar = []
    template = "goodpractice/practice_page.html"

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")

    @property
    def year(self):
        return self.period_start.year if self.period_start else None

    def clean(self):
        super().clean()
        target = self.presented_at
        if target is not None and target.specific_class._meta.label not in PRESENTED_AT_TYPES:
            raise ValidationError(
                {"presented_at": _("Choose the event, meeting or minutes it was presented at.")}
            )

    def text_fields(self) -> list[str]:
        return [
            self.title,
            self.summary,
            self.description,
            self.what_was_done,
            self.results,
            self.lessons_learned,
            self.cost_funding,
        ]

    def save(self, *args, **kwargs):
        # ParentalManyToMany values live in memory until the cluster is committed, so the
        # names read here are the ones being saved.
        organisations = sorted(o.name for o in self.organisations.all())
        vocabulary = [t.name for t in self.themes.all()] + [
            t.name for t in self.target_groups.all()
        ]
        county = [self.county.name] if self.county_id else []
        self.municipality_sort = organisations[0] if organisations else ""
        self.search_terms = text.index_terms(
            *self.text_fields(), *organisations, *vocabulary, *county
        )
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        # Worked out only when the page's cached fragment is not there (the template calls it).
        context["related_practices"] = functools.cache(
            functools.partial(selectors.related_practices, self)
        )
        context["municipality_practices"] = selectors.municipality_practices(self)
        context["presented_at"] = selectors.presented_at_for(request.user, self)
        return context


class PracticeLink(Orderable):
    page = ParentalKey(PracticePage, related_name="links", on_delete=models.CASCADE)
    url = models.URLField(_("address"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    panels: ClassVar = [FieldPanel("url"), FieldPanel("title")]


class PracticeAttachment(Orderable):
    page = ParentalKey(PracticePage, related_name="attachments", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE
    )

    panels: ClassVar = [FieldPanel("document")]


class PracticeRelation(Orderable):
    page = ParentalKey(PracticePage, related_name="related", on_delete=models.CASCADE)
    other = models.ForeignKey(
        PracticePage, verbose_name=_("practice"), on_delete=models.CASCADE, related_name="+"
    )

    panels: ClassVar = [PageChooserPanel("other", "goodpractice.PracticePage")]


class FacetKind(models.TextChoices):
    """The facets of the catalogue, in display order."""

    THEME = "theme", _("Theme")
    TARGET_GROUP = "target", _("Target group")
    COUNTY = "county", _("County")
    MUNICIPALITY = "org", _("Municipality")
    YEAR = "year", _("Year")
    RUNNING = "running", _("Still running")


class CatalogueEntry(models.Model):
    """One narrow row per live practice: what the catalogue filters, counts and sorts on.

    Denormalised on purpose. Single-valued facets are columns; themes and target groups are
    bit masks (bit = Vocabulary.bit), so the counts of every facet except municipality come
    from one aggregate pass over the matching rows, whatever the size of the catalogue.
    Municipalities are counted through the practice-organisation table. Kept in step with
    what is live by signal_handlers.py.
    """

    practice = models.OneToOneField(
        PracticePage, primary_key=True, on_delete=models.CASCADE, related_name="catalogue_entry"
    )
    # The tree path of the catalogue (PracticeIndexPage) it is listed in: one per site.
    catalogue_path = models.CharField(max_length=255, db_index=True, default="")
    national = models.BooleanField(default=False)
    published_at = models.DateTimeField()
    municipality_sort = models.CharField(max_length=200, blank=True)
    county_id = models.IntegerField(null=True)
    year = models.SmallIntegerField(null=True)
    still_running = models.BooleanField(default=False)
    themes = models.BigIntegerField(default=0)
    target_groups = models.BigIntegerField(default=0)
    # With the number of rows, the version of the catalogue that cached counts belong to.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["-published_at", "-practice"], name="catalogue_newest"),
            models.Index(fields=["municipality_sort"], name="catalogue_municipality"),
            models.Index(fields=["updated_at"], name="catalogue_updated"),
        ]

    def __str__(self):
        return f"catalogue entry {self.practice_id}"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    IN_REVIEW = "in_review", _("Waiting for review")
    CHANGES_REQUESTED = "changes", _("Changes requested")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not accepted")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Submission(models.Model):
    """Who sent in a practice and where it stands; the token is the submitter's status link."""

    page = models.OneToOneField(PracticePage, on_delete=models.CASCADE, related_name="submission")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    user = optional_reference("portal.User", _("account"), related_name="practice_submissions")
    status = models.CharField(
        _("status"), max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    moderator_message = models.TextField(_("message from the moderator"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="sv")
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    client_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("submitted practice")
        verbose_name_plural = _("submitted practices")
        ordering = ["-created_at"]

    def __str__(self):
        return self.page.draft_title if self.page_id else self.email

    @property
    def editable_by_submitter(self) -> bool:
        return self.status in {SubmissionStatus.DRAFT, SubmissionStatus.CHANGES_REQUESTED}


class PracticeModerationTask(AbstractGroupApprovalTask):
    """Group approval with a third way out: reject for good, with a reason the submitter reads.

    "Request changes" and "Approve" are Wagtail's own; every outcome is passed to services so
    the submitter is told, whichever admin screen the moderator used. The task names every
    site's moderators and strategists, and each of them acts on their own site's practices
    only (`selectors.may_moderate`).
    """

    def _moderates(self, obj, user) -> bool:
        from .selectors import may_moderate

        return may_moderate(user, obj)

    def user_can_access_editor(self, obj, user):
        return self._moderates(obj, user)

    def locked_for_user(self, obj, user):
        return not self._moderates(obj, user)

    def user_can_lock(self, obj, user):
        return self._moderates(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from networks.access import moderation_pages_q

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        pages = Page.objects.filter(moderation_pages_q(user))
        return states.filter(
            workflow_state__object_id__in=pages.annotate(key=Cast("pk", models.CharField())).values(
                "key"
            )
        )

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user) if self._moderates(obj, user) else []
        if actions:
            actions.append(("decline", _("Reject with reason"), True))
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        from . import services

        if action_name == "decline":
            task_state.reject(user=user, update=False, **kwargs)
            task_state.workflow_state.cancel(user=user)
            services.submission_decided(
                page=task_state.workflow_state.content_object, outcome="rejected", **kwargs
            )
            return
        super().on_action(task_state, user, action_name, **kwargs)
        outcome = {"approve": "published", "reject": "changes"}.get(action_name)
        if outcome:
            services.submission_decided(
                page=task_state.workflow_state.content_object, outcome=outcome, **kwargs
            )

    @classmethod
    def get_description(cls):
        return _("Moderators approve, ask for changes or reject submitted good practices")

    class Meta:
        verbose_name = _("good-practice moderation")
        verbose_name_plural = _("good-practice moderations")
