"""The Wagtail admin's door: the editor form's rules and approval by an approver who edits."""

import pytest
from django.urls import reverse
from django.utils.html import escape as html_text
from django.utils.translation import gettext as _

from networks.minutes import selectors, services
from networks.minutes.models import MinutesPage
from tests.minutes.factories import AnswerFactory, MeetingFactory
from tests.minutes.helpers import admin_post, step_up, stepped_up, write_minutes


@pytest.fixture
def draft(world, approver):
    meeting = MeetingFactory(parent=world.space)
    AnswerFactory(event=meeting, user=approver)
    return services.minutes_create_from_meeting(meeting=meeting, author=world.users["coordinator"])


def form_for(minutes, user):
    form_class = MinutesPage.get_edit_handler().get_form_class()
    return form_class(instance=minutes.get_latest_revision_as_object(), for_user=user)


def test_the_form_offers_only_the_networks_members(world, draft):
    form = form_for(draft, world.users["coordinator"])
    choices = set(form.fields["approvers"].queryset)
    assert world.users["member"] in choices
    assert world.users["other_member"] not in choices
    assert world.users["former_member"] not in choices
    assert world.users["outsider"] not in choices


def test_the_editor_refuses_the_author_as_approver(world, draft, approver):
    author = world.users["coordinator"]
    response = admin_post(world, draft, approvers=[author], present=[author, approver])
    assert response.status_code == 200
    assert html_text(_("The author cannot approve their own minutes.")) in response.content.decode()
    assert selectors.workflow_state(draft) is None


def test_the_editor_refuses_approvers_who_were_not_present(world, draft, approver):
    response = admin_post(world, draft, approvers=[world.users["member"]], present=[approver])
    assert html_text(_("Approvers must be among those present.")) in response.content.decode()
    assert selectors.workflow_state(draft) is None


def test_the_editor_needs_an_approver_to_submit(world, draft, approver):
    response = admin_post(world, draft, approvers=[], present=[approver])
    assert html_text(_("Name one or two approvers before submitting.")) in response.content.decode()
    assert selectors.workflow_state(draft) is None


def test_the_editor_submits_to_the_named_approver(world, draft, approver):
    response = admin_post(world, draft, approvers=[approver], present=[approver])
    assert response.status_code == 302
    assert selectors.current_round(draft) is not None
    assert selectors.can_decide(minutes=draft, user=approver)


def test_an_approver_who_is_an_editor_approves_in_the_admin(world, draft, approver):
    editor = world.users["superuser"]
    author = world.users["coordinator"]
    AnswerFactory(event=draft.meeting, user=editor)
    minutes = write_minutes(draft, user=author, approvers=[editor], present=[editor, approver])
    services.minutes_submit(minutes=minutes, user=author)
    task_state = selectors.current_round(minutes)
    url = reverse("wagtailadmin_pages:workflow_action", args=[minutes.pk, "approve", task_state.pk])
    response = step_up(world.client("superuser")).post(url, {})
    assert response.status_code in (200, 302)
    assert MinutesPage.objects.get(pk=minutes.pk).live


def test_an_approver_sends_back_in_the_admin_with_a_comment(world, draft, approver):
    editor = world.users["superuser"]
    author = world.users["coordinator"]
    minutes = write_minutes(draft, user=author, approvers=[editor], present=[editor, approver])
    services.minutes_submit(minutes=minutes, user=author)
    task_state = selectors.current_round(minutes)
    url = reverse("wagtailadmin_pages:workflow_action", args=[minutes.pk, "reject", task_state.pk])
    response = step_up(world.client("superuser")).post(url, {"comment": "Rätta datumet."})
    assert response.status_code in (200, 302)
    state = selectors.workflow_state(minutes)
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Rätta datumet."


def test_a_correction_needs_a_change_note_in_the_editor(world, approver):
    from tests.minutes.helpers import approved_minutes

    minutes = approved_minutes(world, approver=approver)
    type(minutes).objects.filter(pk=minutes.pk).update(locked=False)
    minutes.refresh_from_db()
    response = admin_post(
        world, minutes, approvers=[approver], present=[approver], action="action-publish"
    )
    assert response.status_code == 200
    assert (
        html_text(
            _(
                "These minutes have been approved and published. Add a correction note that "
                "says what you changed before publishing again."
            )
        )
        in response.content.decode()
    )
    assert MinutesPage.objects.get(pk=minutes.pk).live_revision_id == minutes.live_revision_id


def test_a_correction_may_go_through_justering_again(world, approver):
    from datetime import date

    from networks.minutes.models import MinutesCorrection
    from tests.minutes.helpers import approved_minutes

    minutes = approved_minutes(world, approver=approver)
    author = world.users["coordinator"]
    corrected = minutes.get_latest_revision_as_object()
    corrected.corrections = [MinutesCorrection(date=date(2017, 3, 2), note="rättat deltagarlista")]
    corrected.save_revision(user=author)
    services.minutes_submit(minutes=minutes, user=author)
    assert (
        services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
        is True
    )
    minutes.refresh_from_db()
    assert list(minutes.corrections.values_list("note", flat=True)) == ["rättat deltagarlista"]
    # The approval that published the correction opens nothing afterwards.
    assert not minutes.permissions_for_user(approver).can_publish()
