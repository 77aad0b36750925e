"""'Nytt i mina nätverk': the personal digest, built per person through the access rule and sent
over the SMTP server on loopback, with a one-click unsubscribe that turns off the digest only."""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from networks import digest, services
from networks.minutes import services as minutes_services
from networks.models import Digest, DigestFrequency, Membership, Role
from networks.services import document_upload, membership_add, membership_end
from tests.events.helpers import republish
from tests.factories import UserFactory
from tests.helpers import Mailbox, assert_accessible, browser_login, follow
from tests.minutes.factories import ActionItemFactory, MeetingFactory
from tests.networks.factories import NetworkFactory

pytestmark = pytest.mark.django_db

SUBJECT = "Nytt i mina nätverk"


@pytest.fixture
def person():
    return UserFactory(email="strateg@botkyrka.example", first_name="Sara")


@pytest.fixture
def coordinator():
    return UserFactory(email="samordnare@example.org")


def _network(name, *, coordinator, members=()):
    network = NetworkFactory(title=f"Nätverk {name}")
    membership_add(network=network, user=coordinator, role=Role.COORDINATOR)
    for member in members:
        membership_add(network=network, user=member)
    return network


def _document(network, name, coordinator):
    document_upload(
        network=network,
        title=f"Lägesbild {name}",
        file=ContentFile(b"text", name="lagesbild.txt"),
        uploaded_by=coordinator,
        notify=False,
    )


def _news(network, name, *, coordinator, owner):
    """Something of each kind in the network: published minutes with an action item for
    `owner`, documentation after the meeting, a document, and a coming meeting."""
    space = network.member_space
    meeting = MeetingFactory(parent=space, title=f"Träff {name}")
    minutes = minutes_services.minutes_create_from_meeting(meeting=meeting, author=coordinator)
    minutes.save_revision(user=coordinator).publish()
    ActionItemFactory(minutes=minutes, owner=owner, what=f"Uppgift {name}")
    republish(meeting, documentation=[("notes", f"<p>Bildspel {name}.</p>")])
    _document(network, name, coordinator)
    MeetingFactory(
        parent=space, title=f"Kommande möte {name}", day=timezone.localdate() + timedelta(days=7)
    )


def _digests(smtp_server, address):
    return [m for m in smtp_server.to(address) if m["Subject"].startswith(SUBJECT)]


def test_a_member_of_two_networks_gets_only_their_items_and_nothing_of_one_left(
    person, coordinator, smtp_server
):
    networks = {
        name: _network(name, coordinator=coordinator, members=members)
        for name, members in (("Alfa", [person]), ("Beta", [person]), ("Gamma", []))
    }
    for name, network in networks.items():
        _news(network, name, coordinator=coordinator, owner=person)
    digest.digest_frequency_set(user=person, frequency=DigestFrequency.DAILY)

    assert digest.digests_send() >= 1
    [message] = _digests(smtp_server, person.email)
    body = Mailbox.body(message)
    for name in ("Alfa", "Beta"):
        for title in (
            f"Nätverk {name}",
            f"Minnesanteckningar: Träff {name}",
            f"Lägesbild {name}",
            f"Träff {name}",
            f"Kommande möte {name}",
            f"Uppgift {name}",
        ):
            assert title in body, title
    assert "Gamma" not in body
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    membership_end(membership=Membership.objects.get(network=networks["Alfa"], user=person))
    for name in ("Alfa", "Beta"):
        _document(networks[name], f"{name} 2", coordinator)
    smtp_server.messages.clear()
    assert digest.digests_send(now=timezone.now() + timedelta(days=1)) == 1
    [message] = _digests(smtp_server, person.email)
    body = Mailbox.body(message)
    assert "Lägesbild Beta 2" in body and "Kommande möte Beta" in body
    assert "Alfa" not in body


def test_a_digest_goes_once_per_period_and_not_when_nothing_is_new(person, coordinator):
    network = _network("Alfa", coordinator=coordinator, members=[person])
    digest.digest_frequency_set(user=person, frequency=DigestFrequency.WEEKLY)
    assert digest.digests_send() == 0  # nothing new: no message
    _document(network, "Alfa", coordinator)
    later = timezone.now() + timedelta(days=1)
    assert digest.digests_send(now=later) == 0  # a weekly digest waits for its week
    assert digest.digests_send(now=later + timedelta(days=6)) == 1
    assert digest.digests_send(now=later + timedelta(days=6)) == 0  # the run was claimed


def test_one_click_unsubscribe_turns_off_the_digest_only(person, coordinator):
    network = _network("Alfa", coordinator=coordinator, members=[person])
    digest.digest_frequency_set(user=person, frequency=DigestFrequency.DAILY)
    url = digest.digest_unsubscribe_url(person.pk).split("://", 1)[1].split("/", 1)[1]
    anonymous = Client(enforce_csrf_checks=True)

    forged = f"/{url}".replace(digest.digest_token(person.pk), "0" * 32)
    assert anonymous.post(forged, {"List-Unsubscribe": "One-Click"}).status_code == 404
    asked = anonymous.get(f"/{url}")
    assert asked.status_code == 200 and "Sluta skicka" in asked.content.decode()
    assert Digest.objects.get(user=person).frequency == DigestFrequency.DAILY

    done = anonymous.post(f"/{url}", {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert Digest.objects.get(user=person).frequency == DigestFrequency.NEVER
    assert Membership.objects.get(network=network, user=person).document_notices


def test_mina_sidor_chooses_how_often_and_refuses_another_choice(person, coordinator):
    _network("Alfa", coordinator=coordinator, members=[person])
    client = Client()
    client.force_login(person)
    page = client.get("/mina-sidor/").content.decode()
    assert SUBJECT in page and re.search(r'value="never"[^>]*checked', page)
    response = client.post("/tjanster/natverk/sammanfattning/", {"frequency": "weekly"})
    assert response.status_code == 302
    assert Digest.objects.get(user=person).frequency == DigestFrequency.WEEKLY
    assert services.personal_data_export(user=person)["digest"] == DigestFrequency.WEEKLY
    refused = client.post("/tjanster/natverk/sammanfattning/", {"frequency": "hourly"}, follow=True)
    assert "Välj aldrig, dagligen eller varje vecka." in refused.content.decode()
    assert Digest.objects.get(user=person).frequency == DigestFrequency.WEEKLY


def test_mina_sidor_offers_no_digest_to_someone_in_no_network(person):
    client = Client()
    client.force_login(person)
    assert SUBJECT not in client.get("/mina-sidor/").content.decode()


@pytest.mark.browser
def test_choosing_the_digest_and_stopping_it_in_the_browser(page, person, coordinator):
    _network("Alfa", coordinator=coordinator, members=[person])
    browser_login(page, person)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/mina-sidor/")
        assert_accessible(page)
    page.get_by_role("group", name="Hur ofta").get_by_label("Varje vecka").check()
    follow(page, page.locator("#digest-heading ~ form").get_by_role("button", name="Spara"))
    assert Digest.objects.get(user=person).frequency == DigestFrequency.WEEKLY
    unsubscribe = digest.digest_unsubscribe_url(person.pk)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/" + unsubscribe.split("://", 1)[1].split("/", 1)[1])
        assert_accessible(page)
    follow(page, page.get_by_role("button", name="Sluta skicka sammanfattningen"))
    assert "Du får inte längre" in page.content()
    assert_accessible(page)
    assert Digest.objects.get(user=person).frequency == DigestFrequency.NEVER


def test_building_a_digest_costs_the_same_queries_at_one_and_at_many_items(person, coordinator):
    network = _network("Alfa", coordinator=coordinator, members=[person])
    since = timezone.now() - timedelta(days=1)

    def count():
        fresh = type(person).objects.get(pk=person.pk)  # no access cache carried over
        with CaptureQueriesContext(connection) as captured:
            digest.digest_content(user=fresh, since=since, until=timezone.now())
        return len(captured)

    _news(network, "1", coordinator=coordinator, owner=person)
    one = count()
    for n in range(2, 6):
        _news(network, str(n), coordinator=coordinator, owner=person)
    assert count() == one
