"""Registrations never confirmed by e-mail are deleted after a week: they hold no place."""

import io
import threading
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from events import services
from events.models import Registration, RegistrationStatus
from tests.events.factories import ApplicantFactory, EventIndexPageFactory, EventPageFactory
from tests.events.helpers import register


@pytest.fixture
def seminar(home):
    return EventPageFactory(
        parent=EventIndexPageFactory(parent=home), registration_enabled=True, capacity=1
    )


def unconfirmed(event, n):
    return services.registration_create(event=event, applicant=ApplicantFactory(n=n))


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


def assert_not_found_page(response):
    """The site's usual "not found" page, as for a token that never existed."""
    with translation.override("sv"):
        heading = translation.gettext("Page not found")
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in response.content.decode()


def test_confirm_link_of_a_purged_registration_shows_the_not_found_page(seminar):
    registration = unconfirmed(seminar, 1)
    age(registration, days=8)
    services.registrations_purge_unconfirmed()
    url = reverse("events:registration_confirm", args=[registration.token])
    for response in (Client().get(url), Client().post(url)):
        assert_not_found_page(response)


def test_confirming_a_registration_purged_after_it_was_loaded_finds_nothing(seminar):
    registration = Registration.objects.get(pk=unconfirmed(seminar, 1).pk)
    Registration.objects.filter(pk=registration.pk).delete()
    with pytest.raises(Registration.DoesNotExist):
        services.registration_confirm(registration=registration)
    assert not Registration.objects.exists()


@contextmanager
def purged_once_loaded(registration):
    """Housekeeping deletes the registration just after a request has loaded it by its token,
    before the request's next database statement."""
    state = {"loaded": False, "purged": False}

    def purge_after_loading(execute, sql, params, many, context):
        if state["loaded"] and not state["purged"]:
            state["purged"] = True
            Registration.objects.filter(pk=registration.pk).delete()
        elif '"events_registration"' in sql and registration.token in (params or ()):
            state["loaded"] = True
        return execute(sql, params, many, context)

    with connection.execute_wrapper(purge_after_loading):
        yield
    assert state["purged"]


@pytest.mark.parametrize("link", ["events:registration_confirm", "events:registration_cancel"])
def test_a_link_followed_as_its_registration_is_purged_shows_the_not_found_page(seminar, link):
    registration = unconfirmed(seminar, 1)
    url = reverse(link, args=[registration.token])
    with purged_once_loaded(registration):
        response = Client().post(url)
    assert_not_found_page(response)
    assert not Registration.objects.exists()


@pytest.mark.postgres_only  # SQLite has no row locks; on PostgreSQL the confirmation holds one
@pytest.mark.django_db(transaction=True)
def test_a_registration_being_confirmed_as_the_purge_runs_is_left_to_the_confirmation(home):
    registration = unconfirmed(
        EventPageFactory(parent=EventIndexPageFactory(parent=home), registration_enabled=True), 1
    )
    age(registration, days=8)
    locked, finish = threading.Event(), threading.Event()

    def confirmation_under_way():
        with transaction.atomic():
            Registration.objects.select_for_update().get(pk=registration.pk)
            locked.set()
            finish.wait(timeout=10)
        connection.close()

    thread = threading.Thread(target=confirmation_under_way)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        assert services.registrations_purge_unconfirmed() == 0
    finally:
        finish.set()
        thread.join()
    assert Registration.objects.filter(pk=registration.pk).exists()


def test_the_daily_housekeeping_deletes_unconfirmed_registrations_and_says_how_many(seminar):
    age(unconfirmed(seminar, 1), days=8)
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert not Registration.objects.exists()
    assert (
        "events.wagtail_hooks.purge_unconfirmed_registrations: 1 unconfirmed registrations deleted"
        in out.getvalue().splitlines()
    )
