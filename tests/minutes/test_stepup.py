"""Step-up before deciding: approving and sending back need a recent re-authentication, asked by
allauth, and the audit trail records who decided, when and how they authenticated."""

import pytest
from allauth.account import app_settings as account_settings
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import PageLogEntry

from networks.minutes import selectors, services
from networks.minutes.models import MinutesApproval, MinutesPage
from tests.factories import PASSWORD
from tests.helpers import current_totp_code

from . import helpers
from .helpers import step_up


@pytest.fixture
def under_review(world, approver):
    return helpers.under_review(world, [approver], notes="<p>Text.</p>")


def approver_client(world, approver):
    client = world.client("member")
    client.force_login(approver)
    return client


def approve_url(minutes):
    return reverse("minutes:approve", args=[minutes.pk])


def decisions(minutes):
    return list(
        PageLogEntry.objects.filter(page=minutes, action__startswith="minutes.").order_by("pk")
    )


def test_approving_asks_for_the_password_first_then_approves(world, approver, under_review):
    client = approver_client(world, approver)

    asked = client.post(approve_url(under_review), {"approve-comment": "Bra."})

    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert not MinutesPage.objects.get(pk=under_review.pk).live
    # allauth carries out the interrupted approval once the password is confirmed.
    client.post(asked["Location"], {"password": PASSWORD})
    assert MinutesPage.objects.get(pk=under_review.pk).live
    (entry,) = decisions(under_review)
    assert entry.action == "minutes.approve"
    assert entry.user == approver
    assert entry.data["authenticated_by"] == "password"
    assert entry.data["authenticated_at"]
    assert entry.data["checksum"] == selectors.justering_of(under_review)[0].content_hash


def test_a_wrong_password_decides_nothing(world, approver, under_review):
    client = approver_client(world, approver)
    asked = client.post(approve_url(under_review), {})

    response = client.post(asked["Location"], {"password": "fel-losenord"})

    assert response.status_code == 200
    assert not MinutesPage.objects.get(pk=under_review.pk).live
    assert decisions(under_review) == []


def test_after_the_window_has_passed_the_password_is_asked_again(world, approver, under_review):
    client = step_up(approver_client(world, approver))
    session = client.session
    records = session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] -= account_settings.REAUTHENTICATION_TIMEOUT + 1
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session.save()

    asked = client.post(approve_url(under_review), {})

    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert not MinutesPage.objects.get(pk=under_review.pk).live


def test_within_the_window_the_decision_is_made_at_once(world, approver, under_review):
    client = step_up(approver_client(world, approver))

    client.post(approve_url(under_review), {})

    assert MinutesPage.objects.get(pk=under_review.pk).live


def test_those_who_use_totp_confirm_with_a_code(world, approver, under_review):
    secret = generate_totp_secret()
    TOTP.activate(approver, secret)
    client = approver_client(world, approver)

    asked = client.post(approve_url(under_review), {})

    assert asked["Location"].startswith(reverse("mfa_reauthenticate"))
    client.post(asked["Location"], {"code": current_totp_code(secret)})
    assert MinutesPage.objects.get(pk=under_review.pk).live
    (entry,) = decisions(under_review)
    assert entry.data["authenticated_by"] == "totp"
    (approval,) = MinutesApproval.objects.filter(user=approver)
    assert approval.authenticated_by == "totp"


def test_the_approval_keeps_how_the_approver_confirmed_and_the_check_shows_it(
    world, approver, under_review
):
    client = step_up(approver_client(world, approver))

    client.post(approve_url(under_review), {})

    (approval,) = MinutesApproval.objects.filter(user=approver)
    (entry,) = decisions(under_review)
    assert approval.authenticated_by == entry.data["authenticated_by"] == "password"
    assert approval.authenticated_at.isoformat() == entry.data["authenticated_at"]
    minutes = MinutesPage.objects.get(pk=under_review.pk)
    check = client.get(f"{minutes.url}kontroll/").content.decode()
    with translation.override("sv"):
        assert _("confirmed with: %(method)s") % {"method": _("password")} in check


def test_sending_back_needs_the_step_up_too(world, approver, under_review):
    client = approver_client(world, approver)
    url = reverse("minutes:send_back", args=[under_review.pk])

    asked = client.post(url, {"send_back-comment": "Rätta datumet."})
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert selectors.current_round(under_review) is not None
    client.post(asked["Location"], {"password": PASSWORD})

    state = selectors.workflow_state(under_review)
    assert state.status == state.STATUS_NEEDS_CHANGES
    (entry,) = decisions(under_review)
    assert (entry.action, entry.user, entry.data["authenticated_by"]) == (
        "minutes.send_back",
        approver,
        "password",
    )


def test_the_admin_action_asks_for_the_step_up(world, approver):
    editor = world.users["superuser"]
    minutes = helpers.under_review(world, [editor], present=[editor])
    task_state = selectors.current_round(minutes)
    url = reverse("wagtailadmin_pages:workflow_action", args=[minutes.pk, "approve", task_state.pk])

    asked = world.client("superuser").post(url, {})

    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert not MinutesPage.objects.get(pk=minutes.pk).live


def test_the_services_refuse_a_decision_without_a_step_up(world, approver, under_review):
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=under_review, user=approver, authentication=None)
    with pytest.raises(PermissionDenied):
        services.minutes_send_back(
            minutes=under_review, user=approver, comment="Nej.", authentication=None
        )
    assert decisions(under_review) == []


def test_someone_who_may_not_decide_is_refused_before_any_step_up(world, under_review):
    response = world.client("member").post(approve_url(under_review), {})
    assert response.status_code == 403
