"""Mina sidor: invitations still waiting for an answer apart from meetings already answered."""

import re

import pytest
from django.core import mail

from events.models import Registration
from tests.events.factories import EventPageFactory, NetworkMeetingFactory
from tests.helpers import assert_accessible, browser_login, follow


@pytest.fixture
def meeting(world):
    event = NetworkMeetingFactory(parent=world.space, title="Nätverksmöte i Flemingsberg")
    mail.outbox.clear()
    return event


def _section(html: str, heading: str) -> str:
    """The part of the page from a heading to the next heading of the same level."""
    match = re.search(rf"<h3[^>]*>{heading}</h3>(.*?)(?=<h3|</section>)", html, re.S)
    assert match, f"no section {heading!r}"
    return match.group(1)


def test_an_unanswered_invitation_waits_for_an_answer(world, meeting):
    html = world.client("member").get("/mina-sidor/").content.decode()
    waiting = _section(html, "Väntar på ditt svar")
    assert "Nätverksmöte i Flemingsberg" in waiting
    assert "Anmäld" not in html
    for value in ("yes", "no", "maybe"):
        assert f'name="response" value="{value}"' in waiting


def test_answering_from_my_pages_moves_the_meeting_to_answered(world, meeting):
    client = world.client("member")
    response = client.post(
        meeting.url + "svar/", {"response": "maybe", "next": "/mina-sidor/"}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"] == "/mina-sidor/"
    registration = Registration.objects.get(event=meeting, user=world.users["member"])
    assert registration.response == "maybe"
    html = client.get("/mina-sidor/").content.decode()
    assert "Nätverksmöte i Flemingsberg" not in _section(html, "Väntar på ditt svar")
    answered = _section(html, "Möten du har svarat på")
    assert "Nätverksmöte i Flemingsberg" in answered
    assert "Ditt svar: Kanske" in answered
    assert "Anmäld (Kanske)" not in html


def test_the_answer_buttons_need_the_csrf_token(world, meeting):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["member"])
    response = client.post(meeting.url + "svar/", {"response": "yes"})
    assert response.status_code == 403
    assert not Registration.objects.filter(event=meeting, response="yes").exists()


def test_a_member_who_joined_after_the_invitations_also_waits(world, meeting):
    from networks.services import membership_add

    membership_add(network=world.network, user=world.users["outsider"])
    html = world.client("outsider").get("/mina-sidor/").content.decode()
    assert "Nätverksmöte i Flemingsberg" in _section(html, "Väntar på ditt svar")


def test_a_foreign_next_address_is_not_followed(world, meeting):
    response = world.client("member").post(
        meeting.url + "svar/", {"response": "yes", "next": "https://evil.example/"}
    )
    assert response["Location"] == meeting.url


def test_a_cancelled_meeting_does_not_wait_for_an_answer(world, meeting):
    from tests.events.helpers import republish

    republish(meeting, status="cancelled")
    html = world.client("member").get("/mina-sidor/").content.decode()
    assert "Nätverksmöte i Flemingsberg" not in _section(html, "Väntar på ditt svar")


@pytest.mark.browser
def test_a_member_answers_from_my_pages_in_the_browser(page, world, meeting):
    browser_login(page, world.users["member"])
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/mina-sidor/")
        assert_accessible(page)
    follow(
        page,
        page.get_by_role("group", name="Ditt svar på Nätverksmöte i Flemingsberg").get_by_role(
            "button", name="Kanske"
        ),
    )
    assert page.url.endswith("/mina-sidor/")
    assert "Ditt svar: Kanske" in page.content()
    assert Registration.objects.get(event=meeting, user=world.users["member"]).response == "maybe"
    assert_accessible(page)


def test_a_meeting_on_another_site_is_answered_on_the_site_showing_my_pages(two_site_world):
    """Mina sidor lists every site's meetings; the buttons post to the site they are shown on
    (a form may not post to another host: CSP form-action 'self')."""
    from networks.services import membership_add, network_create
    from tests.networks.factories import NetworkIndexPageFactory

    world = two_site_world
    index = NetworkIndexPageFactory(parent=world.other_site.root_page)
    network = network_create(index=index, title="Skånes bosättningsnätverk", slug="skane")
    membership_add(network=network, user=world.users["member"])
    meeting = EventPageFactory(
        parent=network.member_space, title="Nätverksmöte i Lund", kind="network_meeting"
    )
    client = world.client("member")
    waiting = _section(client.get("/mina-sidor/").content.decode(), "Väntar på ditt svar")
    actions = re.findall(r'<form method="post" action="([^"]*)" class="answer-form"', waiting)
    assert len(actions) == 1 and actions[0].startswith("/") and not actions[0].startswith("//")
    response = client.post(actions[0], {"response": "yes", "next": "/mina-sidor/"})
    assert response.status_code == 302 and response["Location"] == "/mina-sidor/"
    assert Registration.objects.get(event=meeting, user=world.users["member"]).response == "yes"
    outsider = world.client("other_member").post(actions[0], {"response": "yes"})
    assert outsider.status_code == 403
