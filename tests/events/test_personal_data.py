"""The events app's part of "download my data" and "delete my account"."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events import services
from events.models import FeedToken, Registration, RegistrationStatus
from tests.events.factories import EventPageFactory, RegistrationFactory, future
from tests.events.helpers import assert_promoted, register
from tests.factories import UserFactory
from tests.privacy import erase, personal_data


@pytest.fixture
def workshop(index):
    return EventPageFactory(
        parent=index, title="Workshop om boendekedjor", registration_enabled=True
    )


@pytest.fixture
def past_event(index):
    start = timezone.now() - timedelta(days=20)
    return EventPageFactory(
        parent=index,
        title="Förra årets konferens",
        start=start,
        registration_enabled=True,
        capacity=1,
    )


@pytest.fixture
def person(db):
    return UserFactory(email="karin.berg@example.org", first_name="Karin", last_name="Berg")


def register_logged_in(event, person, **fields):
    applicant = services.Applicant(name="Karin Berg", email=person.email, **fields)
    return services.registration_create(event=event, applicant=applicant, user=person)


def register_without_logging_in(event, email="Karin.Berg@Example.org"):
    """Registered before having an account, under the same address written differently."""
    applicant = services.Applicant(name="Karin B.", email=email, organisation="Huddinge kommun")
    return services.registration_create(event=event, applicant=applicant)


# --- download my data -----------------------------------------------------------------------------


def test_export_contains_the_persons_registrations_including_one_made_without_logging_in(
    seminar, workshop, person
):
    register_logged_in(seminar, person, needs="Vegetarisk kost")
    register_without_logging_in(workshop)

    registrations = personal_data(person)["event_registrations"]

    assert registrations == [
        {
            "event": "Seminarium om bosättning",
            "event_start": seminar.start.isoformat(),
            "status": "confirmed",
            "name": "Karin Berg",
            "email": "karin.berg@example.org",
            "organisation": "",
            "needs": "Vegetarisk kost",
            "response": "",
            "attended": None,
            "created": registrations[0]["created"],
        },
        {
            "event": "Workshop om boendekedjor",
            "event_start": workshop.start.isoformat(),
            "status": "pending",
            "name": "Karin B.",
            "email": "karin.berg@example.org",
            "organisation": "Huddinge kommun",
            "needs": "",
            "response": "",
            "attended": None,
            "created": registrations[1]["created"],
        },
    ]


def test_export_finds_an_address_stored_in_another_case(past_event, person):
    RegistrationFactory(event=past_event, name="Karin Berg", email="KARIN.Berg@example.org")

    assert [r["email"] for r in personal_data(person)["event_registrations"]] == [
        "KARIN.Berg@example.org"
    ]


def test_export_leaves_out_other_peoples_registrations(seminar, person):
    register_logged_in(seminar, person)
    register(seminar, 2)

    exported = json.dumps(personal_data(person))

    assert "d2@example.org" not in exported
    assert "Deltagare 2" not in exported


def test_export_lists_calendar_links_without_their_secret(person):
    old = services.feed_token_rotate(user=person)
    current = services.feed_token_rotate(user=person)

    tokens = personal_data(person)["calendar_feed_tokens"]

    assert [(t["revoked"] is None, t["secret_withheld"]) for t in tokens] == [
        (False, True),
        (True, True),
    ]
    exported = json.dumps(tokens)
    assert old.token not in exported
    assert current.token not in exported


def test_export_takes_as_many_queries_for_many_registrations_as_for_one(index, person):
    events = [
        EventPageFactory(parent=index, title=f"Seminarium {n}", registration_enabled=True)
        for n in range(3)
    ]
    register_logged_in(events[0], person)
    with CaptureQueriesContext(connection) as one:
        personal_data(person)
    for event in events[1:]:
        register_logged_in(event, person)
    with CaptureQueriesContext(connection) as three:
        personal_data(person)

    assert len(three) == len(one)


# --- delete my account ----------------------------------------------------------------------------


def test_erasure_leaves_no_registration_with_the_persons_name_or_address(
    seminar, workshop, past_event, person
):
    register_logged_in(seminar, person)
    register_without_logging_in(workshop)
    RegistrationFactory(
        event=past_event, name="Karin Berg", email="KARIN.Berg@example.org", user=person
    )

    erase(person)

    left = Registration.objects.filter(
        Q(email__iexact="karin.berg@example.org") | Q(name__startswith="Karin")
    )
    assert not left.exists()


def test_erasure_keeps_other_peoples_registrations(seminar, person):
    register_logged_in(seminar, person)
    other = register(seminar, 2)

    erase(person)

    assert Registration.objects.filter(pk=other.pk).exists()


def test_erasure_gives_the_freed_place_to_the_first_in_the_queue_and_tells_them(seminar, person):
    register_logged_in(seminar, person)
    first = register(seminar, 2)
    second = register(seminar, 3)
    mail.outbox.clear()

    erase(person)

    assert_promoted(first, second, "d2@example.org")


def test_the_erased_person_gets_no_cancellation_email(seminar, person):
    register_logged_in(seminar, person)
    register(seminar, 2)
    mail.outbox.clear()

    erase(person)

    assert [m for m in mail.outbox if person.email in m.to] == []


def test_a_place_at_a_past_event_is_not_given_away(past_event, person):
    RegistrationFactory(event=past_event, name="Karin Berg", email=person.email, user=person)
    queued = RegistrationFactory(
        event=past_event,
        name="Per Kö",
        email="per@example.org",
        status=RegistrationStatus.WAITLISTED,
    )
    mail.outbox.clear()

    erase(person)

    queued.refresh_from_db()
    assert queued.status == RegistrationStatus.WAITLISTED
    assert mail.outbox == []


def test_a_place_at_a_cancelled_event_is_not_given_away(index, person):
    event = EventPageFactory(
        parent=index, title="Inställt seminarium", start=future(10), capacity=1
    )
    RegistrationFactory(event=event, name="Karin Berg", email=person.email, user=person)
    queued = RegistrationFactory(
        event=event, name="Per Kö", email="per@example.org", status=RegistrationStatus.WAITLISTED
    )
    event.status = "cancelled"
    event.save_revision().publish()
    mail.outbox.clear()

    erase(person)

    queued.refresh_from_db()
    assert queued.status == RegistrationStatus.WAITLISTED
    assert [m for m in mail.outbox if m.to == ["per@example.org"]] == []


def test_calendar_links_go_with_the_account(person):
    token = services.feed_token_rotate(user=person)

    erase(person)

    assert not FeedToken.objects.filter(pk=token.pk).exists()
