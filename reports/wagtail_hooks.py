from django.db import models
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.compare import ForeignObjectComparison, register_comparison_class
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from networks import access
from questionnaires.models import QuestionnaireResponse

from . import admin_views
from .models import AnnualReportPage, ExternalMeeting


@hooks.register("register_admin_urls")
def report_admin_urls():
    patterns = (
        [
            path("ny/", admin_views.generate, name="generate"),
            path("<int:page_id>/uppdatera/", admin_views.regenerate, name="regenerate"),
        ],
        "reports_admin",
    )
    return [path("verksamhetsberattelse/", include(patterns))]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return access.is_strategist(request.user)


@hooks.register("register_admin_menu_item")
def generate_menu_item():
    return ReportsMenuItem(
        _("Generate an annual report"),
        reverse("reports_admin:generate"),
        icon_name="doc-full",
        order=460,
    )


@hooks.register("register_page_header_buttons")
def regenerate_button(page, user, view_name, next_url=None):
    if isinstance(page.specific_deferred, AnnualReportPage) and access.is_strategist(user, page):
        yield Button(
            _("Regenerate the figures"),
            reverse("reports_admin:regenerate", args=[page.pk]),
            icon_name="resubmit",
            priority=12,
        )


class ExternalMeetingViewSet(SnippetViewSet):
    """Meetings outside the portal, logged by the strategists of a site (chapters 6 and 7)."""

    model = ExternalMeeting
    icon = "date"
    menu_label = _("External meetings")
    list_display = ["date", "title", "organiser", "kind", "site"]
    list_filter = ["kind", "site"]
    add_to_admin_menu = True
    menu_order = 470

    def get_queryset(self, request):
        """A strategist lists the meetings of the sites where they are one."""
        roots = access.strategist_roots(request.user)
        meetings = ExternalMeeting.objects.select_related("site")
        return meetings if "" in roots else meetings.filter(site__root_page__path__in=roots)


register_snippet(ExternalMeetingViewSet)


class AnswerComparison(ForeignObjectComparison):
    """A quoted answer in the page history's comparison of revisions: named by its number
    only. The comparison is not told who reads it, and an answer's label (the municipality and
    the questionnaire) is for those who may read that questionnaire's answers (the editor's
    form, reports/forms.py, asks networks/access.py)."""

    def get_objects(self):
        return tuple(
            _("Answer no. %(number)s") % {"number": pk} if pk else None
            for pk in (self.val_a, self.val_b)
        )


register_comparison_class(
    models.ForeignKey, to=QuestionnaireResponse, comparison_class=AnswerComparison
)
