"""Every link in the portal's e-mails leads to a 200 or a deliberate redirect (to the login).

Each e-mail is sent through the service that sends it in production, to the SMTP server on
loopback, and every link in its text, HTML and headers is followed. The newsletter's own mails
are in tests/newsletters/test_links.py.
"""

import pytest

from events import services as events
from networks import services as networks
from networks.models import JoinRequest, Role
from tests.events.helpers import applicant, make_event, make_index
from tests.factories import UserFactory
from tests.mail_links import assert_every_link_works
from tests.newsletters.helpers import make_network

pytestmark = pytest.mark.django_db


def subjects_and_links(smtp_server):
    assert smtp_server.messages
    for _rcpts, message in smtp_server.messages:
        assert_every_link_works(message)
    return len(smtp_server.messages)


def test_event_registration_mails(home, smtp_server):
    seminar = make_event(make_index(home), registration_enabled=True, capacity=1)
    first = events.registration_create(event=seminar, applicant=applicant(1))  # verify
    first = events.registration_confirm(registration=first)  # confirmed
    second = events.registration_confirm(
        registration=events.registration_create(event=seminar, applicant=applicant(2))
    )  # verify, waitlisted
    events.registration_cancel(registration=first)  # cancelled, and the second is promoted
    assert second.pk
    assert subjects_and_links(smtp_server) == 6


def test_network_invitation_and_join_mails(home, smtp_server, django_capture_on_commit_callbacks):
    network = networks.network_setup(network=make_network(home, "Bosättning"))
    coordinator = UserFactory(email="samordnare@kommun.example")
    networks.membership_add(network=network, user=coordinator, role=Role.COORDINATOR)
    with django_capture_on_commit_callbacks(execute=True):
        networks.invitation_create(
            network=network, email="ny@kommun.example", invited_by=coordinator
        )
    asking = UserFactory(email="vill-in@kommun.example")
    networks.join_request_create(network=network, user=asking, message="Hej!")
    networks.join_request_decide(
        join_request=JoinRequest.objects.get(), approve=True, decided_by=coordinator
    )
    assert subjects_and_links(smtp_server) == 3
