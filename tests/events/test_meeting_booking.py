""" "Nytt möte": a coordinator books, changes and cancels a meeting from the member space."""

from datetime import timedelta

import icalendar
import pytest
from django.core import mail
from django.core.validators import validate_email
from django.utils import timezone

from events.models import EventPage, FeedEntry, Registration
from tests.access_matrix import MANAGERS, assert_only
from tests.helpers import Mailbox, assert_accessible, browser_login, follow

GUEST = "Anna Berg <anna.berg@migrationsverket.se>"
DIAL_IN = "Teams: https://teams.example/m/4711"


def form_data(**changes):
    day = timezone.localdate() + timedelta(days=21)
    data = {
        "title": "Nätverksmöte om bosättning",
        "kind": "network_meeting",
        "day": day.isoformat(),
        "starts_at": "09:30",
        "ends_at": "12:00",
        "tz_name": "Europe/Stockholm",
        "venue": "Tumba kommunhus, rum Tornet",
        "join_details": DIAL_IN,
        "agenda": "09:30 Välkommen\nFöregående minnesanteckningar\n10:15 Migrationsverket informerar",
        "guests": GUEST,
    }
    data.update(changes)
    return data


def new_url(world):
    return world.space.screen_url("meeting_new")


def invitation_of(address):
    (message,) = [m for m in mail.outbox if m.to == [address]]
    _name, content, mimetype = message.attachments[0]
    return message, icalendar.Calendar.from_ical(content), mimetype


@pytest.fixture
def booked(world):
    mail.outbox.clear()
    response = world.client("coordinator").post(new_url(world), form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    return EventPage.objects.get(title="Nätverksmöte om bosättning")


def test_the_form_is_for_those_who_run_the_network(world):
    assert_only(world.client, new_url(world), MANAGERS)


def test_booking_makes_a_published_meeting_page_with_a_revision(world, booked):
    assert booked.live
    assert booked.get_parent().pk == world.space.pk
    revision = booked.latest_revision
    assert revision is not None and revision.user == world.users["coordinator"]
    assert [(str(i.time)[:5] if i.time else "", i.item) for i in booked.agenda_items.all()] == [
        ("09:30", "Välkommen"),
        ("", "Föregående minnesanteckningar"),
        ("10:15", "Migrationsverket informerar"),
    ]
    assert booked.start.astimezone(timezone.get_default_timezone()).hour == 9


def test_booking_invites_every_member_and_the_guest(world, booked):
    invited = sorted(m.to[0] for m in mail.outbox)
    assert invited == [
        "anna.berg@migrationsverket.se",
        "coordinator@example.org",
        "member@example.org",
    ]
    guest = Registration.objects.get(event=booked, email="anna.berg@migrationsverket.se")
    assert guest.is_guest and guest.user is None and guest.name == "Anna Berg"


def test_the_guest_gets_the_join_details_but_no_link_into_the_space(world, booked):
    message, calendar, mimetype = invitation_of("anna.berg@migrationsverket.se")
    assert "method=REQUEST" in mimetype
    vevent = calendar.walk("VEVENT")[0]
    assert DIAL_IN in str(vevent["DESCRIPTION"])
    assert DIAL_IN in message.body
    assert "URL" not in vevent
    assert world.space.url_path.strip("/").split("/")[-1] not in message.body
    assert booked.url not in message.body


def test_the_invitation_names_a_reply_address_and_asks_for_an_answer(world, booked, settings):
    _message, calendar, _mimetype = invitation_of("anna.berg@migrationsverket.se")
    vevent = calendar.walk("VEVENT")[0]
    organizer = str(vevent["ORGANIZER"])
    assert organizer.startswith("mailto:svar+")
    assert organizer.endswith("@" + settings.PORTAL_REPLY_ADDRESS.split("@")[1])
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:anna.berg@migrationsverket.se"
    assert attendee.params["RSVP"] == "TRUE"


def test_a_guest_with_an_account_still_cannot_open_the_space(world):
    response = world.client("coordinator").post(
        new_url(world), form_data(guests="outsider@example.org")
    )
    event = EventPage.objects.get(pk=EventPage.objects.latest("pk").pk)
    assert response.status_code == 302
    assert [m for m in mail.outbox if m.to == ["outsider@example.org"]]
    outsider = world.client("outsider")
    assert outsider.get(event.url).status_code == 403
    assert outsider.get(world.space.url).status_code == 403


def test_bad_input_is_explained_and_what_was_typed_is_kept(world):
    response = world.client("coordinator").post(
        new_url(world),
        form_data(ends_at="08:00", guests="anna.berg@migrationsverket.se\ninte en adress"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mötet måste sluta efter att det börjar." in html
    assert "Det här är inte e-postadresser: inte en adress" in html
    assert "Tumba kommunhus, rum Tornet" in html
    assert not EventPage.objects.filter(title="Nätverksmöte om bosättning").exists()


def test_a_meeting_in_the_past_cannot_be_booked(world):
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    response = world.client("coordinator").post(new_url(world), form_data(day=day))
    assert response.status_code == 400
    assert "Mötet måste ligga framåt i tiden." in response.content.decode()


def test_changing_the_time_sends_everyone_an_update_with_a_new_sequence(world, booked):
    mail.outbox.clear()
    day = (timezone.localdate() + timedelta(days=28)).isoformat()
    response = world.client("coordinator").post(
        f"/tjanster/kalender/mote/{booked.pk}/andra/",
        form_data(day=day, guests="kim@arbetsformedlingen.se"),
    )
    assert response.status_code == 302
    assert FeedEntry.objects.get(event=booked).sequence == 1
    told = sorted(m.to[0] for m in mail.outbox)
    assert told == [
        "anna.berg@migrationsverket.se",
        "coordinator@example.org",
        "kim@arbetsformedlingen.se",
        "member@example.org",
    ]
    _message, calendar, _mimetype = invitation_of("anna.berg@migrationsverket.se")
    assert calendar.walk("VEVENT")[0]["SEQUENCE"] == 1
    assert EventPage.objects.get(pk=booked.pk).revisions.count() == 2


def test_the_change_form_shows_the_meeting_as_it_is(world, booked):
    html = world.client("coordinator").get(f"/tjanster/kalender/mote/{booked.pk}/andra/")
    text = html.content.decode()
    assert 'value="09:30"' in text
    assert "10:15 Migrationsverket informerar" in text
    assert "anna.berg@migrationsverket.se" in text


def test_cancelling_sends_method_cancel_to_members_and_guests(world, booked):
    mail.outbox.clear()
    response = world.client("coordinator").post(
        f"/tjanster/kalender/mote/{booked.pk}/stall-in/", {"reason": "För få kan komma."}
    )
    assert response.status_code == 302
    assert EventPage.objects.get(pk=booked.pk).status == "cancelled"
    assert len(mail.outbox) == 3
    _message, calendar, mimetype = invitation_of("anna.berg@migrationsverket.se")
    assert "method=CANCEL" in mimetype
    assert str(calendar["METHOD"]) == "CANCEL"


@pytest.mark.parametrize("action", ["andra", "stall-in"])
def test_only_those_who_run_the_network_change_or_cancel(world, booked, action):
    assert_only(world.client, f"/tjanster/kalender/mote/{booked.pk}/{action}/", MANAGERS)


def test_manage_page_and_member_space_offer_a_new_meeting(world, booked):
    manage = world.client("coordinator").get(world.space.screen_url("manage"))
    text = manage.content.decode()
    assert new_url(world) in text
    assert f"/tjanster/kalender/mote/{booked.pk}/andra/" in text
    assert new_url(world) in world.client("coordinator").get(world.space.url).content.decode()
    assert new_url(world) not in world.client("member").get(world.space.url).content.decode()


@pytest.mark.browser
def test_a_coordinator_books_a_meeting_in_one_form_in_the_browser(page, world, smtp_server):
    browser_login(page, world.users["coordinator"])
    page.goto(world.space.url)
    follow(page, page.get_by_role("link", name="Nytt möte"))
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
    data = form_data()
    page.get_by_label("Titel").fill(data["title"])
    page.get_by_label("Datum").fill(data["day"])
    page.get_by_label("Börjar").fill(data["starts_at"])
    page.get_by_label("Slutar").fill(data["ends_at"])
    page.get_by_label("Plats", exact=True).fill(data["venue"])
    page.get_by_label("Länk till mötet eller uppringningsuppgifter").fill(data["join_details"])
    page.get_by_label("Dagordning").fill(data["agenda"])
    page.get_by_label("Gäster").fill(GUEST)
    follow(page, page.get_by_role("button", name="Boka mötet och skicka inbjudningarna"))
    assert "Mötet är bokat" in page.content()
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)

    smtp_server.wait_for(3)
    (message,) = smtp_server.to("anna.berg@migrationsverket.se")
    ics = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
    vevent = calendar.walk("VEVENT")[0]
    organizer = str(vevent["ORGANIZER"])
    assert organizer.lower().startswith("mailto:")
    validate_email(organizer[len("mailto:") :])
    assert vevent["ATTENDEE"].params["RSVP"] == "TRUE"
    assert DIAL_IN in Mailbox.body(message)
    assert sorted(rcpt for rcpts, _m in smtp_server.messages for rcpt in rcpts) == [
        "anna.berg@migrationsverket.se",
        "coordinator@example.org",
        "member@example.org",
    ]

    page.goto(world.space.screen_url("manage"))
    assert_accessible(page)
    follow(page, page.get_by_role("link", name=f"Ställ in mötet {data['title']}"))
    assert_accessible(page)
