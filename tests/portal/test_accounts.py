"""Logging in and out through allauth, closed sign-up, and the admin behind the allauth login."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.helpers import current_totp_code

pytestmark = pytest.mark.django_db


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_by_email_and_password_opens_the_personal_page(client, home):
    user = UserFactory(email="medlem@example.org")
    response = log_in(client, "medlem@example.org")
    assert response.status_code == 302
    assert response.url == "/mina-sidor/"
    assert client.get("/mina-sidor/").context["user"] == user


def test_login_with_wrong_password_is_refused(client, home):
    UserFactory(email="medlem@example.org")
    response = log_in(client, "medlem@example.org", "fel-losenord")
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert response.context["form"].errors


def test_logout_ends_the_session(client, home, user):
    client.force_login(user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/mina-sidor/").status_code == 302


def test_personal_page_requires_login(client, home):
    response = client.get("/mina-sidor/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/mina-sidor/")


def test_open_signup_is_closed_without_an_invitation(client, home):
    response = client.post(
        reverse("account_signup"),
        {"email": "ny@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "account/signup_closed" in " ".join(t.name or "" for t in response.templates)
    from portal.models import User

    assert not User.objects.filter(email="ny@example.org").exists()


def test_admin_sends_an_anonymous_visitor_to_the_allauth_login(client, home):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=/admin/")


def test_admin_opens_for_staff_when_mfa_is_not_required(client, home, superuser, settings):
    settings.PORTAL_ADMIN_REQUIRES_MFA = False
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_staff_without_totp_are_sent_to_set_it_up_before_the_admin(client, home, settings):
    settings.PORTAL_ADMIN_REQUIRES_MFA = True
    staff = UserFactory(is_staff=True, is_superuser=True)
    log_in(client, staff.email)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")

    # allauth asks for the password once more before a second factor is set up.
    response = client.get(response.url, follow=True)
    assert response.request["PATH_INFO"] == reverse("account_reauthenticate")
    response = client.post(
        reverse("account_reauthenticate"),
        {"password": PASSWORD, "next": reverse("mfa_activate_totp")},
        follow=True,
    )
    assert response.request["PATH_INFO"] == reverse("mfa_activate_totp")
    assert "code" in response.context["form"].fields


def test_staff_with_totp_log_in_with_a_code_and_reach_the_admin(client, home, settings):
    settings.PORTAL_ADMIN_REQUIRES_MFA = True
    staff = UserFactory(is_staff=True, is_superuser=True)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)

    response = log_in(client, staff.email)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not logged in until the code is given

    response = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_mfa_requirement_does_not_touch_ordinary_members(client, home, user, settings):
    settings.PORTAL_ADMIN_REQUIRES_MFA = True
    log_in(client, user.email)
    assert client.get("/mina-sidor/").status_code == 200
