"""Corrections of published minutes: members are told once per change note, by a link only."""

from datetime import date

import pytest
from django.core import mail

from networks.minutes import services
from networks.minutes.models import MinutesCorrection, MinutesPage
from networks.models import Membership
from networks.services import membership_end
from portal.links import absolute_url
from tests.helpers import at_the_same_moment
from tests.minutes.helpers import (
    approved_minutes,
    change_note_line,
    correction_subject,
    publication_subject,
    publish_correction,
)

MARCH_2 = date(2017, 3, 2)


@pytest.fixture
def minutes(world, approver):
    return approved_minutes(world, approver=approver)


@pytest.fixture
def coordinator(world):
    return world.users["coordinator"]


def correction_mails(minutes, language="sv"):
    return [m for m in mail.outbox if m.subject == correction_subject(minutes, language)]


def recipients(messages):
    return sorted(address for message in messages for address in message.to)


def test_a_correction_mails_every_member_once_with_the_change_note_and_the_link(
    world, minutes, coordinator, approver
):
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, note="rättat deltagarlistan", on=MARCH_2)

    messages = correction_mails(minutes)
    assert len(messages) == len(mail.outbox)  # and nothing else, e.g. no “new minutes” again
    assert recipients(messages) == sorted(
        [approver.email, world.users["member"].email, coordinator.email]
    )
    for message in messages:
        assert change_note_line("rättat deltagarlistan", MARCH_2) in message.body
        assert absolute_url(minutes.url) in message.body


def test_members_read_the_correction_email_in_their_own_language(world, minutes, coordinator):
    member = world.users["member"]
    member.preferred_language = "nb"
    member.save(update_fields=["preferred_language"])
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, note="rettet dato", on=MARCH_2)

    [message] = [m for m in mail.outbox if m.to == [member.email]]
    assert message.subject == correction_subject(minutes, language="nb")
    assert change_note_line("rettet dato", MARCH_2, language="nb") in message.body


def test_people_outside_the_network_and_former_members_get_no_correction_email(
    world, minutes, coordinator
):
    # The member leaves after the publication e-mail and before the correction.
    member = world.users["member"]
    membership_end(membership=Membership.objects.get(user=member, network=world.network))
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, note="rättat datum")

    told = recipients(correction_mails(minutes))
    assert coordinator.email in told
    for role in ("member", "former_member", "other_member", "outsider", "strategist"):
        assert world.users[role].email not in told


def test_publishing_the_same_correction_again_sends_nothing_more(minutes, coordinator):
    revision = publish_correction(minutes, user=coordinator, note="rättat datum")
    assert correction_mails(minutes)
    mail.outbox.clear()

    revision.publish(user=coordinator)

    assert mail.outbox == []


def test_a_later_publication_without_a_new_change_note_sends_nothing(minutes, coordinator):
    publish_correction(minutes, user=coordinator, note="rättat datum")
    assert correction_mails(minutes)
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, place="Flemingsberg")

    assert mail.outbox == []


def test_a_retried_distribution_sends_the_correction_once(minutes, coordinator):
    publish_correction(minutes, user=coordinator, note="rättat datum")
    assert correction_mails(minutes)
    mail.outbox.clear()

    assert services.minutes_distribute(minutes=MinutesPage.objects.get(pk=minutes.pk)) == 0
    assert mail.outbox == []


def test_a_second_correction_quotes_only_its_own_change_note(minutes, coordinator):
    publish_correction(minutes, user=coordinator, note="rättat datum", on=MARCH_2)
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, note="lagt till bilaga", on=MARCH_2)

    messages = correction_mails(minutes)
    assert messages
    for message in messages:
        assert change_note_line("lagt till bilaga", MARCH_2) in message.body
        assert "rättat datum" not in message.body


def test_the_correction_email_shows_the_title_and_the_note_as_written(world, approver, coordinator):
    minutes = approved_minutes(world, approver=approver, meeting_title="EKB & Tyresö's boende")
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, note="rättat “Tyresö's” siffror", on=MARCH_2)

    messages = correction_mails(minutes)
    assert messages
    for message in messages:
        assert minutes.title in message.body
        assert change_note_line("rättat “Tyresö's” siffror", MARCH_2) in message.body


def test_the_correction_email_carries_nothing_of_the_minutes_but_title_and_change_note(
    world, approver, coordinator
):
    minutes = approved_minutes(
        world,
        approver=approver,
        notes="<p>Bra diskussion om boendekedjor.</p>",
        action_items=[{"what": "Boka lokal i Flemingsberg", "owner": approver}],
    )
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, note="rättat deltagarlistan")

    messages = correction_mails(minutes)
    assert messages
    for message in messages:
        assert minutes.title in message.subject
        for content in (
            "Bra diskussion",
            "Boka lokal",
            "Boendekedjor på kort och lång sikt",  # an agenda heading
            approver.get_full_name(),  # those present
            "Botkyrka kommunhus",  # the place
        ):
            assert content not in message.body


def test_a_change_note_with_markup_reaches_members_as_plain_text_only(
    minutes, coordinator, smtp_server
):
    # Every portal e-mail is text/plain, so the note is never rendered as HTML anywhere; in
    # plain text it is shown as written, not as HTML entities.
    smtp_server.messages.clear()
    note = "<script>alert(1)</script> & <b>fet</b>"

    publish_correction(minutes, user=coordinator, note=note, on=MARCH_2)

    subject = correction_subject(minutes)
    received = [m for _rcpts, m in smtp_server.messages if m["Subject"].strip() == subject]
    assert received
    for message in received:
        assert message.get_body(preferencelist=("html",)) is None
        body = smtp_server.body(message)
        assert change_note_line(note, MARCH_2) in body
        assert "&lt;" not in body
        assert "<script>" not in message["Subject"]


def test_the_first_publication_sends_the_publication_email_even_with_a_change_note(world, approver):
    mail.outbox.clear()

    minutes = approved_minutes(
        world, approver=approver, corrections=[(MARCH_2, "rättat efter justerarens kommentar")]
    )

    assert correction_mails(minutes) == []
    assert [m for m in mail.outbox if m.subject == publication_subject(minutes)]


def test_a_note_from_before_the_first_publication_is_never_announced_as_a_correction(
    world, approver, coordinator
):
    minutes = approved_minutes(
        world, approver=approver, corrections=[(MARCH_2, "rättat efter justerarens kommentar")]
    )
    mail.outbox.clear()

    publish_correction(minutes, user=coordinator, note="rättat datum")

    messages = correction_mails(minutes)
    assert messages
    assert all("justerarens kommentar" not in m.body for m in messages)


@pytest.mark.postgres_only
# Serialized rollback: the flush after this test must give back what migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_processes_distributing_the_same_correction_send_once(world, minutes):
    # The correction is live and nobody has been told yet; two workers pick it up at once.
    MinutesCorrection.objects.create(page=minutes, date=MARCH_2, note="rättat datum")
    mail.outbox.clear()

    def work():
        services.minutes_distribute(minutes=MinutesPage.objects.get(pk=minutes.pk))

    errors = at_the_same_moment(work, work)
    assert errors == []
    told = recipients(correction_mails(minutes))
    assert len(told) == len(set(told)) == 3
