"""Documentation after an event: one e-mail with the link to its participants and invitees,
sent through the portal's mail task over a real SMTP server, and only to those who may see it."""

from events.models import DocumentationNotice
from networks.models import Membership
from networks.services import membership_end
from tests.events.factories import EventPageFactory, RegistrationFactory


def _add_documentation(event, visibility="public"):
    event.documentation = [("notes", "<p>Bildspel och anteckningar från dagen.</p>")]
    event.documentation_visibility = visibility
    event.save_revision().publish()


def _recipients(smtp_server):
    return sorted(
        rcpt
        for rcpts, message in smtp_server.messages
        for rcpt in rcpts
        if "Dokumentation" in message["Subject"]
    )


def test_participants_get_one_e_mail_when_documentation_is_added(world, smtp_server):
    event = EventPageFactory(title="Kunskapsträff om hälsa")
    for email in ("anna@example.org", "bo@example.org"):
        RegistrationFactory(event=event, name=email, email=email)
    RegistrationFactory(event=event, name="Avanmäld", email="c@example.org", status="cancelled")
    _add_documentation(event)
    assert _recipients(smtp_server) == ["anna@example.org", "bo@example.org"]
    message = next(m for _r, m in smtp_server.messages if "Dokumentation" in m["Subject"])
    assert event.url + "#dokumentation" in message.get_body().get_content()
    event.save_revision().publish()  # publishing again tells nobody again
    assert len(_recipients(smtp_server)) == 2
    assert DocumentationNotice.objects.get(event=event).recipients == 2


def test_members_only_documentation_of_a_public_event_is_not_announced_to_anonymous_registrants(
    world, smtp_server
):
    event = EventPageFactory(title="Seminarium om kvotflyktingar")
    RegistrationFactory(event=event, name="Ingen", email="anon@example.org")
    RegistrationFactory(event=event, user=world.users["member"])
    _add_documentation(event, visibility="members")
    assert _recipients(smtp_server) == [world.users["member"].email]


def test_a_private_meetings_documentation_reaches_current_members_only(world, smtp_server):
    meeting = EventPageFactory(parent=world.space, kind="network_meeting", title="Nätverksträff")
    smtp_server.messages.clear()
    membership_end(membership=Membership.objects.active().get(user=world.users["member"]))
    RegistrationFactory(event=meeting, name="Gäst", email="gast@migrationsverket.se", is_guest=True)
    _add_documentation(meeting)
    assert _recipients(smtp_server) == [world.users["coordinator"].email]
