from typing import ClassVar

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.signals import page_published
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from networks import access

from .models import QuestionnairePage, QuestionnaireRecipient


@hooks.register("portal_housekeeping")
def send_questionnaire_links_and_reminders():
    from . import services

    invited = services.questionnaires_invite_open()
    reminded = services.questionnaire_reminders_send()
    return f"{invited} questionnaire links and {reminded} reminders queued"


def recipients_after_publish(sender, instance, **kwargs):
    """Publishing settles who answers (from the register) and sends the links once open."""
    from . import services

    services.questionnaire_recipients_sync(questionnaire=instance)
    services.questionnaire_invite(questionnaire=instance)


page_published.connect(
    recipients_after_publish, sender=QuestionnairePage, dispatch_uid="questionnaire_published"
)


class BoardButton(PageMenuItem):
    label = _("Answers per municipality")
    icon_name = "list-ul"

    def is_shown(self, user):
        return access.can_organise_questionnaire(user, self.page)


def _board_button(page, user, priority):
    if page.specific_class is QuestionnairePage and page.live:
        page = page.specific_deferred
        yield BoardButton(url=page.url + "svar/", priority=priority, page=page)


@hooks.register("register_page_header_buttons")
def questionnaire_board_in_the_page_header(page, user, view_name=None, next_url=None):
    yield from _board_button(page, user, priority=12)


@hooks.register("register_page_listing_more_buttons")
def questionnaire_board_in_the_listing(page, user, next_url=None):
    yield from _board_button(page, user, priority=3)


class RecipientPermissionPolicy(ModelPermissionPolicy):
    """Recipients come from the register when the questionnaire is published, never by hand."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


class RecipientViewSet(SnippetViewSet):
    """Who answers: kept in step with the page on publish; the contact person is set here."""

    model = QuestionnaireRecipient
    icon = "mail"
    menu_label = _("Questionnaire recipients")
    list_display: ClassVar = ["organisation", "questionnaire", "contact_name", "contact_email",
                              "invited_at", "reminded_at"]  # fmt: skip
    list_filter: ClassVar = ["questionnaire"]
    search_fields: ClassVar = ["organisation__name", "contact_email"]
    form_fields: ClassVar = ["contact_name", "contact_email"]


register_permission_policy(
    QuestionnaireRecipient, RecipientPermissionPolicy(QuestionnaireRecipient)
)
register_snippet(RecipientViewSet)


@hooks.register("portal_personal_data")
def questionnaire_personal_data(user):
    from . import services

    return services.personal_data_export(user=user)


@hooks.register("portal_account_erasure")
def erase_questionnaire_data(user):
    from . import services

    services.account_erase(user=user)


@hooks.register("portal_event_sections")
def answers_for_the_visit(request, event):
    """On the page of a visit the questionnaire prepares: the answers, for its organisers."""
    from django.template.loader import render_to_string

    from .models import QuestionnaireVisit
    from .selectors import visit_answers

    visits = QuestionnaireVisit.objects.filter(event=event).select_related("questionnaire")
    shown = [
        visit_answers(visit)
        for visit in visits
        if visit.questionnaire.live
        and access.can_organise_questionnaire(request.user, visit.questionnaire)
    ]
    if not shown:
        return None
    return render_to_string("questionnaires/includes/visit_answers.html", {"visits": shown})


@hooks.register("network_manage_sections")
def questionnaires_to_follow_up(request, network):
    """On "Hantera nätverket": the network's questionnaires, with who has answered so far."""
    from django.template.loader import render_to_string

    from .selectors import network_questionnaires

    questionnaires = list(network_questionnaires(network))
    if not questionnaires:
        return None
    return render_to_string(
        "questionnaires/includes/manage_section.html",
        {"questionnaires": questionnaires},
        request=request,
    )
