"""The access matrix for events: every feed, page, export, search and e-mail, walked by every role.

Private things (a network's meeting, any dial-in detail, any logistics note) carry unique
strings; each test asserts where they may and may not appear.
"""

import pytest
from django.core import mail
from django.test import Client

from events import services
from events.models import FeedToken
from tests.access_matrix import EVERYONE, MANAGERS, MEMBERS, ROLES, assert_only
from tests.access_matrix import response_text as raw_text
from tests.events.factories import EventIndexPageFactory, EventPageFactory

JOIN = "DIALIN-5521-kod"
LOGISTICS = "FIKA-BOKAT-rum-B12"
PUBLIC_FEED = "/tjanster/kalender/kalender.ics"


@pytest.fixture
def meeting(world):
    return EventPageFactory(
        parent=world.space,
        title=f"Nätverksmöte {world.secret}",
        kind="network_meeting",
        description=f"<p>{world.secret}</p>",
        join_details=f"Ring in: {JOIN}",
        logistics_note=f"{LOGISTICS} (meeting)",
    )


@pytest.fixture
def seminar(world):
    return EventPageFactory(
        parent=EventIndexPageFactory(parent=world.network.get_parent().get_parent()),
        title="Öppet seminarium om bosättning",
        registration_enabled=True,
        join_details=f"Webbsändning: {JOIN}-public",
        logistics_note=f"{LOGISTICS} (seminar)",
    )


def response_text(response) -> str:
    """The body with iCalendar line folding undone, so a folded secret is still found."""
    return raw_text(response).replace("\r\n ", "")


def texts_by_role(world, url) -> dict[str, str]:
    return {role: response_text(world.client(role).get(url)) for role in ROLES}


def test_meeting_page_and_its_ics_are_for_members_only(world, meeting):
    assert_only(world.client, meeting.url, MEMBERS, secret_text=world.secret)
    assert_only(world.client, meeting.url + "ics/", MEMBERS, secret_text=JOIN)


def test_meeting_participant_list_and_export_are_for_managers(world, meeting):
    assert_only(world.client, meeting.url + "deltagare/", MANAGERS, secret_text=world.secret)
    assert_only(world.client, meeting.url + "deltagare/csv/", MANAGERS, secret_text="@example.org")
    assert_only(world.client, meeting.url + "deltagare/xlsx/", MANAGERS)


def test_network_feed_is_for_members(world, meeting):
    url = f"/tjanster/kalender/natverk/{world.network.pk}/kalender.ics"
    assert_only(world.client, url, MEMBERS, secret_text=JOIN)
    member_feed = response_text(world.client("member").get(url))
    assert world.secret in member_feed and JOIN in member_feed
    assert LOGISTICS not in member_feed


def test_network_feed_by_link_needs_a_current_members_key(world, meeting):
    url = f"/tjanster/kalender/natverk/{world.network.pk}/kalender.ics?nyckel="
    member_key = services.feed_token_rotate(user=world.users["member"]).token
    outsider_key = services.feed_token_rotate(user=world.users["other_member"]).token
    former_key = services.feed_token_rotate(user=world.users["former_member"]).token
    assert JOIN in response_text(Client().get(url + member_key))
    assert Client().get(url + outsider_key).status_code == 404
    assert Client().get(url + former_key).status_code == 404
    assert Client().get(url + "gissad-nyckel").status_code == 404


def test_public_feed_never_carries_private_meetings_join_details_or_logistics(
    world, meeting, seminar
):
    services.registration_create(
        event=seminar,
        applicant=services.Applicant(name="M", email=world.users["member"].email),
        user=world.users["member"],
    )
    for role, text in texts_by_role(world, PUBLIC_FEED).items():
        assert "Öppet seminarium" in text, role
        assert world.secret not in text, role
        assert JOIN not in text, role
        assert LOGISTICS not in text, role


def test_public_event_page_shows_join_details_only_to_participants_and_organisers(world, seminar):
    services.registration_create(
        event=seminar,
        applicant=services.Applicant(name="O", email=world.users["outsider"].email),
        user=world.users["outsider"],
    )
    texts = texts_by_role(world, seminar.url)
    may_join = {role for role, text in texts.items() if JOIN in text}
    may_plan = {role for role, text in texts.items() if LOGISTICS in text}
    assert may_join == {"outsider", "strategist", "superuser"}
    assert may_plan == {"strategist", "superuser"}
    ics = {role: response_text(world.client(role).get(seminar.url + "ics/")) for role in ROLES}
    assert {role for role, text in ics.items() if JOIN in text} == may_join
    assert not any(LOGISTICS in text for text in ics.values())


def test_waitlisted_participant_does_not_get_join_details(world, seminar):
    from tests.events.helpers import republish

    republish(seminar, capacity=1)
    for role in ("outsider", "member"):
        services.registration_create(
            event=seminar,
            applicant=services.Applicant(name=role, email=world.users[role].email),
            user=world.users[role],
        )
    texts = texts_by_role(world, seminar.url)
    assert JOIN in texts["outsider"]
    assert JOIN not in texts["member"]
    member_mail = [m for m in mail.outbox if m.to == [world.users["member"].email]]
    assert member_mail and all(JOIN not in m.body for m in member_mail)


def test_calendar_pages_list_private_meetings_only_for_members(world, meeting, seminar):
    index = seminar.get_parent()
    for path in ("", "manad/", "arkiv/"):
        url = index.url + path
        outcomes = assert_only(world.client, url, EVERYONE)
        assert set(outcomes) == set(ROLES)
    texts = texts_by_role(world, index.url)
    month = texts_by_role(world, index.url + f"manad/{meeting.start.year}/{meeting.start.month}/")
    for role in ROLES:
        expected = role in MEMBERS
        assert (world.secret in texts[role]) is expected, role
        assert (world.secret in month[role]) is expected, role
        assert "Öppet seminarium" in month[role]
        assert LOGISTICS not in texts[role] and JOIN not in texts[role]


def test_home_page_lists_only_public_events(world, meeting, seminar):
    for role, text in texts_by_role(world, "/").items():
        assert "Öppet seminarium" in text, role
        assert world.secret not in text, role


def test_search_never_finds_logistics_notes_or_others_meetings(world, meeting, seminar):
    for role in ROLES:
        client = world.client(role)
        assert "Öppet seminarium" not in response_text(client.get("/sok/", {"q": LOGISTICS}))
        assert "Öppet seminarium" not in response_text(client.get("/sok/", {"q": JOIN}))
        found = response_text(client.get("/sok/", {"q": world.secret}))
        if role not in MEMBERS:
            assert "Nätverksmöte" not in found, role


def test_invitations_go_to_active_members_only(world):
    mail.outbox.clear()
    EventPageFactory(parent=world.space, kind="network_meeting", join_details=JOIN)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["coordinator@example.org", "member@example.org"]


def test_personal_feed_holds_my_meetings_and_registrations(world, meeting, seminar):
    member = world.users["member"]
    services.registration_create(
        event=seminar, applicant=services.Applicant(name="M", email=member.email), user=member
    )
    token = services.feed_token_rotate(user=member).token
    text = response_text(Client().get(f"/tjanster/kalender/min/{token}/kalender.ics"))
    assert world.secret in text and "Öppet seminarium" in text
    assert JOIN in text and f"{JOIN}-public" in text
    assert LOGISTICS not in text
    outsider_token = services.feed_token_rotate(user=world.users["outsider"]).token
    outsider = response_text(Client().get(f"/tjanster/kalender/min/{outsider_token}/kalender.ics"))
    assert world.secret not in outsider and "Öppet seminarium" not in outsider


def test_former_members_personal_feed_drops_the_network_at_once(world, meeting):
    token = services.feed_token_rotate(user=world.users["former_member"]).token
    response = Client().get(f"/tjanster/kalender/min/{token}/kalender.ics")
    assert response.status_code == 200
    assert world.secret not in response_text(response)


def test_revoked_or_rotated_token_is_404_at_once(world, meeting):
    member = world.users["member"]
    old = services.feed_token_rotate(user=member).token
    url = f"/tjanster/kalender/min/{old}/kalender.ics"
    assert Client().get(url).status_code == 200
    new = services.feed_token_rotate(user=member).token
    assert Client().get(url).status_code == 404
    services.feed_token_revoke(user=member)
    assert Client().get(f"/tjanster/kalender/min/{new}/kalender.ics").status_code == 404
    assert FeedToken.objects.filter(user=member, revoked_at__isnull=True).count() == 0


def test_token_of_a_deactivated_account_is_404(world):
    member = world.users["member"]
    token = services.feed_token_rotate(user=member).token
    member.is_active = False
    member.save()
    assert Client().get(f"/tjanster/kalender/min/{token}/kalender.ics").status_code == 404


def test_my_pages_manage_the_calendar_link(world, meeting):
    client = world.client("member")
    assert "Nätverksmöte" in response_text(client.get("/mina-sidor/"))
    client.post("/tjanster/kalender/min-kalender/ny-lank/")
    token = FeedToken.objects.get(user=world.users["member"], revoked_at__isnull=True).token
    assert token in response_text(client.get("/mina-sidor/"))
    client.post("/tjanster/kalender/min-kalender/stang-av/")
    assert token not in response_text(client.get("/mina-sidor/"))
    assert Client().get(f"/tjanster/kalender/min/{token}/kalender.ics").status_code == 404
    assert (
        world.client("anonymous").post("/tjanster/kalender/min-kalender/ny-lank/").status_code
        == 302
    )


def test_member_space_offers_the_network_feed_keyed_with_the_members_link(world, meeting):
    member = world.users["member"]
    client = world.client("member")
    assert "/tjanster/kalender/natverk/" not in response_text(client.get(world.space.url))
    token = services.feed_token_rotate(user=member).token
    page = response_text(client.get(world.space.url))
    assert "webcal://" in page and f"nyckel={token}" in page
