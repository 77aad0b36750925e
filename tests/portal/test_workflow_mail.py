"""One e-mail per outcome: pages that write their own approval mail get no second one from
Wagtail, every other page keeps Wagtail's notice."""

import pytest
from django.core import mail
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from goodpractice.services import moderation_workflow
from tests.factories import StandardPageFactory, UserFactory
from tests.goodpractice.factories import PracticePageFactory

pytestmark = pytest.mark.django_db


def decide(page, user, action):
    task_state = page.current_workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, user, action)


def sent_to(user):
    return [m.subject for m in mail.outbox if user.email in m.to]


def test_a_practice_approved_for_a_logged_in_submitter_gets_no_generic_wagtail_notice(
    catalogue,  # noqa: F811
    moderator,  # noqa: F811
):
    submitter = UserFactory(email="karin@hoor.example")
    page = PracticePageFactory(
        parent=catalogue,
        title="Språkvänner i Höör",
        summary="Träffar varje vecka.",
        publish=False,
        revision=False,
    )
    page.save_revision(user=submitter)
    moderation_workflow().start(page, submitter)
    mail.outbox.clear()
    decide(page, moderator, "approve")
    page.refresh_from_db()
    assert page.live
    assert sent_to(submitter) == []


def test_other_pages_keep_wagtails_approval_notice(home):
    editor = UserFactory(email="redaktor@example.org")
    approver = UserFactory(email="godkannare@example.org", is_superuser=True, is_staff=True)
    workflow = Workflow.objects.create(name="Granskning av sidor")
    task = GroupApprovalTask.objects.create(name="Granskning")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    page = StandardPageFactory(parent=home, title="Om nätverken", publish=False, revision=False)
    page.save_revision(user=editor)
    workflow.start(page, editor)
    mail.outbox.clear()
    decide(page, approver, "approve")
    assert len(sent_to(editor)) == 1
