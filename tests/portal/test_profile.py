"""Users keep their own profile: name, organisation, job title, phone and language."""

import pytest

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = "/mina-sidor/profil/"


def profile_data(**changes):
    data = {
        "first_name": "Amina",
        "last_name": "Lindqvist",
        "organisation": "",
        "job_title": "Flyktingsamordnare",
        "phone": "08-123 456 78",
        "preferred_language": "sv",
    }
    data.update(changes)
    return data


def test_profile_edit_requires_login(client, home):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_user_edits_their_own_profile(client, home, user):
    huddinge = OrganisationFactory(name="Huddinge kommun")
    client.force_login(user)
    response = client.post(
        PROFILE_URL, profile_data(organisation=huddinge.pk, preferred_language="nb")
    )
    assert response.status_code == 302
    assert response.url == "/mina-sidor/"
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Amina", "Lindqvist")
    assert user.organisation == huddinge
    assert user.job_title == "Flyktingsamordnare"
    assert user.phone == "08-123 456 78"
    assert user.preferred_language == "nb"


def test_saved_profile_shows_on_the_personal_page(client, home, user):
    client.force_login(user)
    response = client.post(PROFILE_URL, profile_data(), follow=True)
    content = response.content.decode()
    assert "Flyktingsamordnare" in content
    assert "08-123 456 78" in content


def test_profile_form_with_errors_keeps_what_was_typed(client, home, user):
    client.force_login(user)
    old_last_name = user.last_name
    response = client.post(PROFILE_URL, profile_data(last_name=""))
    assert response.status_code == 200
    assert "last_name" in response.context["form"].errors
    content = response.content.decode()
    assert 'value="Flyktingsamordnare"' in content
    assert 'value="08-123 456 78"' in content
    assert 'value="Amina"' in content
    user.refresh_from_db()
    assert user.last_name == old_last_name
    assert user.job_title != "Flyktingsamordnare"


def test_profile_error_is_announced_and_tied_to_the_field(client, home, user):
    client.force_login(user)
    content = client.post(PROFILE_URL, profile_data(last_name="")).content.decode()
    assert 'role="alert"' in content
    assert 'id="id_last_name_error"' in content
