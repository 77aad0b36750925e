"""Registrations never confirmed by e-mail are deleted after a week: they hold no place."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from events import services
from events.models import Registration, RegistrationStatus
from tests.events.helpers import applicant, make_event, make_index, register


@pytest.fixture
def seminar(home):
    return make_event(make_index(home), registration_enabled=True, capacity=1)


def unconfirmed(event, n):
    return services.registration_create(event=event, applicant=applicant(n))


def age(registration, *, days):
    """Make a registration look as if it was made, and last changed, `days` ago."""
    then = timezone.now() - timedelta(days=days)
    Registration.objects.filter(pk=registration.pk).update(created_at=then, updated_at=then)


def test_unconfirmed_registrations_older_than_a_week_are_deleted_and_counted(seminar):
    for n in (1, 2):
        age(unconfirmed(seminar, n), days=8)
    assert services.registrations_purge_unconfirmed() == 2
    assert not Registration.objects.exists()


def test_unconfirmed_registrations_younger_than_a_week_are_kept(seminar):
    registration = unconfirmed(seminar, 1)
    age(registration, days=6)
    assert services.registrations_purge_unconfirmed() == 0
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_registrations_that_hold_or_held_a_place_are_kept(seminar):
    confirmed, waitlisted, cancelled = (register(seminar, n) for n in (1, 2, 3))
    services.registration_cancel(registration=cancelled)
    for registration in (confirmed, waitlisted, cancelled):
        age(registration, days=30)
    assert services.registrations_purge_unconfirmed() == 0
    assert sorted(Registration.objects.values_list("status", flat=True)) == sorted(
        [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED]
    )


def test_the_age_limit_can_be_given(seminar):
    age(unconfirmed(seminar, 1), days=2)
    assert services.registrations_purge_unconfirmed(older_than=timedelta(days=3)) == 0
    assert services.registrations_purge_unconfirmed(older_than=timedelta(days=1)) == 1


def test_registering_again_after_cancelling_gets_a_full_week_to_confirm(seminar):
    services.registration_cancel(registration=register(seminar, 1))
    age(Registration.objects.get(), days=30)
    again = unconfirmed(seminar, 1)
    assert again.status == RegistrationStatus.PENDING
    assert services.registrations_purge_unconfirmed() == 0
    assert Registration.objects.filter(pk=again.pk).exists()


def test_confirm_link_of_a_purged_registration_shows_the_not_found_page(seminar):
    registration = unconfirmed(seminar, 1)
    age(registration, days=8)
    services.registrations_purge_unconfirmed()
    url = reverse("events:registration_confirm", args=[registration.token])
    with translation.override("sv"):
        heading = translation.gettext("Page not found")
    for response in (Client().get(url), Client().post(url)):
        assert response.status_code == 404
        assert f"<h1>{heading}</h1>" in response.content.decode()
