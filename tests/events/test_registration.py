"""Registration: one click, e-mail confirmation, capacity, waitlist, export, attendance."""

import csv
import io
import threading
from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from events import services
from events.models import Registration, RegistrationStatus
from tests.events.factories import ApplicantFactory, EventIndexPageFactory, EventPageFactory
from tests.events.helpers import assert_promoted, register
from tests.factories import UserFactory


@pytest.fixture
def seminar(index):
    return EventPageFactory(
        parent=index,
        title="Seminarium: mottagande av kvotflyktingar",
        registration_enabled=True,
        capacity=2,
        join_details="Teams-länk: https://example.org/mote/kvot",
        logistics_note="Lokal Tumba bibliotek, fika beställt till 50.",
    )


def test_logged_in_user_registers_with_one_click(seminar, user):
    client = Client()
    client.force_login(user)
    response = client.post(seminar.url + "anmalan/", {"needs": "Vegetarisk kost"})
    assert response.status_code == 302
    registration = Registration.objects.get(event=seminar, user=user)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.needs == "Vegetarisk kost"
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_anonymous_registration_waits_for_email_confirmation(seminar):
    response = Client().post(
        seminar.url + "anmalan/",
        {"name": "Anna Andersson", "email": "anna@example.org", "organisation": "Tyresö kommun"},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="anna@example.org")
    assert registration.status == RegistrationStatus.PENDING
    assert len(mail.outbox) == 1
    confirm_path = f"/tjanster/kalender/anmalan/{registration.token}/bekrafta/"
    assert confirm_path in mail.outbox[0].body
    assert "Teams-länk" not in mail.outbox[0].body  # unconfirmed addresses get no join details

    assert Client().post(confirm_path).status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert "Teams-länk" in mail.outbox[1].body


def test_anonymous_form_errors_are_shown_on_the_event_page(seminar):
    response = Client().post(seminar.url + "anmalan/", {"name": "", "email": "inte-en-adress"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not Registration.objects.exists()


def test_confirmation_email_has_ics_attachment_and_cancel_link(seminar):
    registration = register(seminar, 1)
    message = mail.outbox[-1]
    assert f"/tjanster/kalender/anmalan/{registration.token}/avboka/" in message.body
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert str(calendar["METHOD"]) == "REQUEST"
    vevent = calendar.walk("VEVENT")[0]
    assert str(vevent["SUMMARY"]) == seminar.title
    assert str(vevent["ATTENDEE"]) == "mailto:d1@example.org"
    assert "Lokal Tumba" not in content  # the logistics note never leaves the organisers


def test_full_event_puts_newcomers_on_the_waitlist(seminar):
    register(seminar, 1)
    register(seminar, 2)
    third = register(seminar, 3)
    assert third.status == RegistrationStatus.WAITLISTED
    assert "waiting list" in mail.outbox[-1].subject or "väntelista" in mail.outbox[-1].subject
    assert "Teams-länk" not in mail.outbox[-1].body


def test_cancellation_promotes_the_first_on_the_waitlist_and_tells_them(seminar):
    first = register(seminar, 1)
    register(seminar, 2)
    third = register(seminar, 3)
    fourth = register(seminar, 4)
    mail.outbox.clear()

    services.registration_cancel(registration=first)

    told = assert_promoted(third, fourth, "d3@example.org")
    assert "Teams-länk" in told.body


def test_cancelling_twice_promotes_only_one_person(seminar):
    first = register(seminar, 1)
    register(seminar, 2)
    register(seminar, 3)
    register(seminar, 4)
    services.registration_cancel(registration=first)
    services.registration_cancel(registration=Registration.objects.get(pk=first.pk))
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["d3@example.org"] == RegistrationStatus.CONFIRMED
    assert statuses["d4@example.org"] == RegistrationStatus.WAITLISTED
    assert seminar.registrations.confirmed().count() == 2


@pytest.mark.postgres_only  # SQLite serialises writers itself; the row lock matters on PostgreSQL
@pytest.mark.django_db(transaction=True)
def test_simultaneous_cancellations_never_overfill_the_event(home):
    """Two cancellations in two threads: each frees one place, so exactly two are promoted."""
    seminar = EventPageFactory(
        parent=EventIndexPageFactory(parent=home), registration_enabled=True, capacity=2
    )
    first, second = register(seminar, 1), register(seminar, 2)
    for n in (3, 4, 5):
        register(seminar, n)
    barrier = threading.Barrier(2)

    def cancel(registration):
        barrier.wait()
        services.registration_cancel(registration=registration)
        connection.close()

    threads = [threading.Thread(target=cancel, args=(r,)) for r in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses["d3@example.org"] == statuses["d4@example.org"] == RegistrationStatus.CONFIRMED
    assert statuses["d5@example.org"] == RegistrationStatus.WAITLISTED


def test_raising_capacity_promotes_from_the_waitlist(seminar):
    from tests.events.helpers import republish

    register(seminar, 1)
    register(seminar, 2)
    third = register(seminar, 3)
    republish(seminar, capacity=3)
    third.refresh_from_db()
    assert third.status == RegistrationStatus.CONFIRMED


def test_registering_again_with_the_same_address_changes_nothing(seminar):
    first = register(seminar, 1)
    again = services.registration_create(event=seminar, applicant=ApplicantFactory(n=1))
    assert again.pk == first.pk
    assert Registration.objects.count() == 1


def test_registration_outside_the_window_is_refused(index):
    event = EventPageFactory(
        parent=index,
        registration_enabled=True,
        registration_closes=timezone.now() - timedelta(hours=1),
    )
    with pytest.raises(services.RegistrationClosed):
        services.registration_create(event=event, applicant=ApplicantFactory(n=1))
    response = Client().post(event.url + "anmalan/", {"name": "A", "email": "a@example.org"})
    assert response.status_code == 302
    assert not Registration.objects.exists()


def test_cancel_link_asks_before_cancelling(seminar):
    registration = register(seminar, 1)
    url = f"/tjanster/kalender/anmalan/{registration.token}/avboka/"
    assert Client().get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    Client().post(url)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert Client().get("/tjanster/kalender/anmalan/fel-nyckel/avboka/").status_code == 404


def test_organiser_exports_csv_and_sees_counts_per_organisation_and_needs(seminar, superuser):
    services.registration_create(
        event=seminar,
        applicant=services.Applicant(
            name="=HYPERLINK(1)",
            email="x@example.org",
            organisation="Salems kommun",
            needs="Glutenfri",
        ),
        user=UserFactory(email="x@example.org"),
    )
    register(seminar, 2)
    client = Client()
    client.force_login(superuser)
    page = client.get(seminar.url + "deltagare/").content.decode()
    assert "Salems kommun: 1" in page and "Nacka kommun: 1" in page
    assert "Glutenfri" in page
    response = client.get(seminar.url + "deltagare/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3
    assert rows[1][0] == "'=HYPERLINK(1)"  # formulas are defused


def test_organiser_marks_attendance(seminar, superuser):
    first, second = register(seminar, 1), register(seminar, 2)
    client = Client()
    client.force_login(superuser)
    client.post(seminar.url + "deltagare/", {"attended": [first.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attended is True and second.attended is False


def test_participant_list_is_refused_to_participants(seminar, user):
    services.registration_create(event=seminar, applicant=ApplicantFactory(n=1), user=user)
    client = Client()
    client.force_login(user)
    assert client.get(seminar.url + "deltagare/").status_code == 403
    assert client.get(seminar.url + "deltagare/csv/").status_code == 403
