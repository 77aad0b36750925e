"""A municipality's contact person: in the copy of their data, gone with their account."""

import pytest

from municipalities.models import ContactPerson, ContactRole
from tests.factories import UserFactory
from tests.municipalities.factories import ContactPersonFactory
from tests.privacy import erase, personal_data, rows_naming

pytestmark = pytest.mark.django_db


def test_a_contact_person_is_in_the_copy_and_gone_after_deletion():
    person = UserFactory(email="karin.bostrom@botkyrka.example.org")
    ContactPersonFactory(user=person, name="", email="", role=ContactRole.SETTLEMENT)
    ContactPersonFactory(name="Karin Boström", email=person.email, role=ContactRole.HOUSING,
                         address="Munkhättevägen 45")  # fmt: skip
    copy = personal_data(person)["municipal_contact_for"]
    assert {c["role"] for c in copy} == {"Bosättningskontakt", "Bostadskontakt"}
    assert any(c["address"] == "Munkhättevägen 45" for c in copy)
    erase(person)
    assert not ContactPerson.objects.exists()
    assert rows_naming("karin.bostrom", "municipalities") == []
