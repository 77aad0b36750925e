"""Calendar replies by e-mail, over a real LMTP and SMTP server on loopback (aiosmtpd).

The REPLY messages are built the way Outlook and Thunderbird build them: Outlook puts a
text/calendar; method=REPLY part in a multipart/alternative, Thunderbird adds an
application/ics attachment beside it.
"""

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import icalendar
import pytest
from django.core import mail

from events.models import FeedEntry, Registration
from events.replies import reply_address
from portal import inbound
from tests.events.factories import NetworkMeetingFactory


@pytest.fixture
def meeting(world):
    event = NetworkMeetingFactory(parent=world.space)
    mail.outbox.clear()
    return event


def invitation_for(world, meeting, role):
    return Registration.objects.get(event=meeting, user=world.users[role])


def stamp(minutes=0) -> str:
    when = datetime.now(UTC) + timedelta(minutes=minutes)
    return when.strftime("%Y%m%dT%H%M%SZ")


def outlook_reply(registration, *, partstat: str, dtstamp: str, to: str | None = None):
    uid = FeedEntry.objects.get(event=registration.event).uid
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nPRODID:Microsoft Exchange Server 2010\r\n"
        "VERSION:2.0\r\nBEGIN:VEVENT\r\n"
        f"ATTENDEE;PARTSTAT={partstat};CN={registration.name}:mailto:{registration.email}\r\n"
        "COMMENT;LANGUAGE=sv-SE:\\n\r\n"
        f"SUMMARY;LANGUAGE=sv-SE:Godkänd: {registration.event.title}\r\n"
        "DTSTART;TZID=W. Europe Standard Time:20270315T093000\r\n"
        "DTEND;TZID=W. Europe Standard Time:20270315T120000\r\n"
        f"UID:{uid}\r\nCLASS:PUBLIC\r\nPRIORITY:5\r\nDTSTAMP:{dtstamp}\r\n"
        "TRANSP:OPAQUE\r\nSTATUS:CONFIRMED\r\nSEQUENCE:0\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    message = EmailMessage()
    message["From"] = f"{registration.name} <{registration.email}>"
    message["To"] = f"Samverkansportalen <{to or reply_address(registration)}>"
    message["Subject"] = f"Godkänd: {registration.event.title}"
    message.set_content("Jag kommer.")
    message.add_alternative(
        ics.encode(), maintype="text", subtype="calendar", params={"method": "REPLY"}
    )
    return message


def thunderbird_reply(registration, *, partstat: str, dtstamp: str):
    uid = FeedEntry.objects.get(event=registration.event).uid
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REPLY")
    vevent = icalendar.Event()
    vevent.add("uid", uid)
    vevent.add("summary", registration.event.title)
    organizer = icalendar.vCalAddress(f"mailto:{reply_address(registration)}")
    vevent.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{registration.email}")
    attendee.params["PARTSTAT"] = partstat
    attendee.params["CN"] = registration.name
    attendee.params["ROLE"] = "REQ-PARTICIPANT"
    vevent.add("attendee", attendee)
    vevent.add("sequence", 0)
    vevent["DTSTAMP"] = dtstamp
    calendar.add_component(vevent)
    ics = calendar.to_ical()
    message = EmailMessage()
    message["From"] = registration.email
    message["To"] = reply_address(registration)
    message["Subject"] = f"Inbjudan avböjd: {registration.event.title}"
    message.set_content(f"{registration.name} har avböjt din inbjudan.")
    message.add_alternative(ics, maintype="text", subtype="calendar", params={"method": "REPLY"})
    message.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return message


def test_replies_from_outlook_and_thunderbird_record_yes_and_no(world, meeting, mail_receiver):
    member = invitation_for(world, meeting, "member")
    coordinator = invitation_for(world, meeting, "coordinator")
    mail_receiver.deliver(outlook_reply(member, partstat="ACCEPTED", dtstamp=stamp()))
    mail_receiver.deliver(thunderbird_reply(coordinator, partstat="DECLINED", dtstamp=stamp()))
    member.refresh_from_db()
    coordinator.refresh_from_db()
    assert (member.response, coordinator.response) == ("yes", "no")
    page = world.client("coordinator").get(meeting.url + "deltagare/").content.decode()
    assert "Ja, jag kommer" in page and "Nej, jag kan inte komma" in page


def test_tentative_becomes_maybe_over_smtp_too(world, meeting, mail_receiver):
    member = invitation_for(world, meeting, "member")
    smtp = mail_receiver.start_smtp()
    mail_receiver.deliver(outlook_reply(member, partstat="TENTATIVE", dtstamp=stamp()), via=smtp)
    member.refresh_from_db()
    assert member.response == "maybe"


def test_a_tampered_token_records_nothing(world, meeting, mail_receiver):
    member = invitation_for(world, meeting, "member")
    address = reply_address(member)
    local, _at, domain = address.partition("@")
    tampered = local[:-1] + ("0" if local[-1] != "0" else "1") + "@" + domain
    mail_receiver.deliver(outlook_reply(member, partstat="ACCEPTED", dtstamp=stamp(), to=tampered))
    # Another member's token cannot answer for this one either.
    coordinator = invitation_for(world, meeting, "coordinator")
    other = outlook_reply(
        member, partstat="DECLINED", dtstamp=stamp(), to=reply_address(coordinator)
    )
    assert inbound.message_handle(other.as_bytes()) == "reply: no answer found"
    member.refresh_from_db()
    coordinator.refresh_from_db()
    assert member.response == "" and coordinator.response == ""


def test_a_replayed_or_older_reply_changes_nothing(world, meeting, mail_receiver):
    member = invitation_for(world, meeting, "member")
    accepted = outlook_reply(member, partstat="ACCEPTED", dtstamp=stamp(-10))
    mail_receiver.deliver(accepted)
    mail_receiver.deliver(outlook_reply(member, partstat="DECLINED", dtstamp=stamp(-5)))
    member.refresh_from_db()
    assert member.response == "no"
    del accepted["Message-ID"]
    mail_receiver.deliver(accepted)
    member.refresh_from_db()
    assert member.response == "no"


def test_an_answer_on_the_web_is_not_overwritten_by_an_older_reply(world, meeting, mail_receiver):
    member = invitation_for(world, meeting, "member")
    world.client("member").post(meeting.url + "svar/", {"response": "yes"})
    mail_receiver.deliver(outlook_reply(member, partstat="DECLINED", dtstamp=stamp(-30)))
    member.refresh_from_db()
    assert member.response == "yes"


def test_a_member_who_left_cannot_answer_by_mail(world, meeting, mail_receiver):
    from networks.models import Membership
    from networks.services import membership_end

    member = invitation_for(world, meeting, "member")
    membership_end(membership=Membership.objects.get(user=world.users["member"]))
    mail_receiver.deliver(outlook_reply(member, partstat="ACCEPTED", dtstamp=stamp()))
    member.refresh_from_db()
    assert member.response == ""


def test_a_guest_answers_with_the_invitation_they_got(world, mail_receiver):
    from events.services import MeetingDetails, meeting_create

    start = datetime.now(UTC) + timedelta(days=10)
    event = meeting_create(
        space=world.space,
        user=world.users["coordinator"],
        details=MeetingDetails(
            title="Dialogmöte",
            kind="dialogue_meeting",
            start=start,
            end=start + timedelta(hours=2),
            venue="Flemingsberg",
        ),
        guests=[("anna.berg@migrationsverket.se", "Anna Berg")],
    )
    (message,) = [m for m in mail.outbox if m.to == ["anna.berg@migrationsverket.se"]]
    invitation = icalendar.Calendar.from_ical(message.attachments[0][1])
    organizer = str(invitation.walk("VEVENT")[0]["ORGANIZER"]).removeprefix("mailto:")
    guest = Registration.objects.get(event=event, email="anna.berg@migrationsverket.se")
    mail_receiver.deliver(outlook_reply(guest, partstat="ACCEPTED", dtstamp=stamp(), to=organizer))
    guest.refresh_from_db()
    assert guest.response == "yes"


def test_the_management_command_serves_lmtp(tmp_path):
    """`manage.py mail_receiver` as the mail server meets it: a process answering LMTP."""
    import os
    import signal
    import smtplib
    import subprocess
    import sys

    from tests.helpers import ROOT, free_port

    port = free_port()
    env = {**os.environ, "PORTAL_INBOUND_PROTOCOL": "lmtp", "PORTAL_INBOUND_PORT": str(port)}
    process = subprocess.Popen(
        [sys.executable, "manage.py", "mail_receiver"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().startswith(f"Receiving LMTP on 127.0.0.1:{port}")
        message = EmailMessage()
        message["From"] = "someone@example.org"
        message["To"] = "nobody@example.org"
        message["Subject"] = "Hej"
        message.set_content("Inget för portalen.")
        with smtplib.LMTP("127.0.0.1", port) as client:
            assert client.send_message(message) == {}
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
