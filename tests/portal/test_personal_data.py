"""A member's own data: a copy to download, and deleting the account (all or nothing)."""

import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from portal.accounts import privacy
from portal.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_the_pages_are_for_logged_in_people_only(client):
    for name in ("personal_data", "personal_data_download", "account_delete"):
        response = client.get(reverse(f"portal:{name}"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_the_copy_holds_the_account_and_every_apps_sections_and_nobody_elses(client, home):
    person = UserFactory(first_name="Åsa", job_title="Integrationsstrateg", phone="08-123 45")
    other = UserFactory(email="granne@example.org")
    client.force_login(person)
    response = client.get(reverse("portal:personal_data_download"))
    assert response["Content-Disposition"] == 'attachment; filename="mina-personuppgifter.json"'
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    data = json.loads(text)
    assert data["account"]["email"] == person.email
    assert data["account"]["first_name"] == "Åsa"
    assert data["account"]["phone"] == "08-123 45"
    for fn in hooks.get_hooks("portal_personal_data"):
        assert set(fn(person)) <= set(data)
    assert "Åsa" in text  # readable, not \\u-escaped
    assert other.email not in text


def test_the_page_links_the_copy_and_the_deletion(client, home):
    client.force_login(UserFactory())
    html = client.get(reverse("portal:personal_data")).content.decode()
    assert reverse("portal:personal_data_download") in html
    assert reverse("portal:account_delete") in html
    assert reverse("portal:personal_data") in client.get("/mina-sidor/").content.decode()


def test_a_wrong_password_deletes_nothing_and_says_why(client, home):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("portal:account_delete"), {"password": "fel", "understood": "on"}
    )
    assert response.status_code == 200
    assert _("The password is not right.") in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_the_tick_is_required(client, home):
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("portal:account_delete"), {"password": PASSWORD})
    assert response.status_code == 200
    assert 'id="id_understood_error"' in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()


def test_deleting_the_account_logs_out_and_leaves_no_account(client, home):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("portal:account_delete"), {"password": PASSWORD, "understood": "on"}, follow=True
    )
    assert not User.objects.filter(pk=person.pk).exists()
    assert _("Your account and your data have been deleted.") in response.content.decode()
    assert client.get("/mina-sidor/").status_code == 302


def test_administrators_cannot_delete_their_own_account(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("portal:account_delete"), {"password": PASSWORD, "understood": "on"}, follow=True
    )
    assert User.objects.filter(pk=superuser.pk).exists()
    assert _("Administrator accounts are closed by another administrator.") in (
        response.content.decode()
    )
    with pytest.raises(privacy.AccountDeletionRefused):
        privacy.account_delete(user=superuser)


def test_if_one_app_cannot_erase_nothing_is_deleted(home):
    person = UserFactory()
    erased = []

    def first(user):
        erased.append(user.pk)
        user.first_name = "borttagen"
        user.save()

    def broken(user):
        raise RuntimeError("disk full")

    with (
        hooks.register_temporarily("portal_account_erasure", first, order=-2),
        hooks.register_temporarily("portal_account_erasure", broken, order=-1),
        pytest.raises(RuntimeError),
    ):
        privacy.account_delete(user=person)
    assert erased == [person.pk]
    person.refresh_from_db()
    assert person.first_name != "borttagen"
