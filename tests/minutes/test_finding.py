"""Finding minutes in the member space: by year, by words, by meeting; and the overview."""

from datetime import date

import pytest
from django.urls import reverse

from tests.helpers import path_of
from tests.minutes.factories import MeetingFactory
from tests.minutes.helpers import approved_minutes


@pytest.fixture
def archive(world, approver):
    housing = approved_minutes(
        world, approver=approver, notes="<p>Mellanboenden med lägre standard</p>"
    )
    fire = approved_minutes(
        world, approver=approver, notes="<p>Gemensamhetsboenden och brandregler</p>"
    )
    type(fire).objects.filter(pk=fire.pk).update(meeting_date=date(2017, 5, 10))
    return {"housing": housing, "fire": fire}


def test_minutes_are_listed_by_year(world, archive):
    response = world.client("member").get(world.space.screen_url("minutes"))
    html = response.content.decode()
    assert 'id="year-2017"' in html
    assert f'id="year-{archive["housing"].meeting_date.year}"' in html


def test_minutes_are_found_by_words(world, archive):
    url = world.space.screen_url("minutes")
    html = world.client("member").get(url, {"q": "gemensamhetsboenden"}).content.decode()
    assert path_of(archive["fire"].url) in html
    assert path_of(archive["housing"].url) not in html


def test_minutes_are_filtered_by_meeting_and_year(world, archive):
    url = world.space.screen_url("minutes")
    client = world.client("member")
    html = client.get(url, {"mote": archive["housing"].meeting_id}).content.decode()
    assert path_of(archive["housing"].url) in html and path_of(archive["fire"].url) not in html
    html = client.get(url, {"ar": "2017"}).content.decode()
    assert path_of(archive["fire"].url) in html and path_of(archive["housing"].url) not in html


def test_the_member_space_shows_the_latest_minutes(world, archive):
    html = world.client("member").get(world.space.url).content.decode()
    assert path_of(archive["housing"].url) in html
    assert world.space.screen_url("action_items") in html


def test_a_coordinator_can_start_minutes_for_a_held_meeting(world):
    meeting = MeetingFactory(parent=world.space, title="Möte utan anteckningar")
    url = world.space.screen_url("minutes")
    assert "Möte utan anteckningar" in world.client("coordinator").get(url).content.decode()
    assert "Möte utan anteckningar" not in world.client("member").get(url).content.decode()
    create = reverse("minutes:create_from_meeting", args=[meeting.pk])
    assert world.client("member").post(create).status_code == 403
    assert world.client("other_member").post(create).status_code == 403
    response = world.client("coordinator").post(create)
    assert response.status_code == 302 and "/admin/pages/" in response["Location"]


def test_quotes_and_operators_in_the_minutes_search_are_words(world, archive):
    url = world.space.screen_url("minutes")
    response = world.client("member").get(url, {"q": 'gemensamhetsboenden & "<'})
    assert response.status_code == 200
    assert archive["fire"].url in response.content.decode()


def test_a_year_no_date_can_have_filters_nothing(world, archive):
    url = world.space.screen_url("minutes")
    response = world.client("member").get(url, {"ar": str(2**63 - 1)})
    assert response.status_code == 200
    assert archive["fire"].url in response.content.decode()


def test_a_next_that_is_no_path_goes_to_the_default(world, approver):
    minutes = approved_minutes(
        world,
        approver=approver,
        action_items=[{"what": "Kontakta Migrationsverket", "owner": world.users["member"]}],
    )
    url = reverse("minutes:action_item_mark", args=[minutes.action_items.get().pk])
    response = world.client("member").post(url, {"done": "1", "next": "-1"})
    assert (response.status_code, response["Location"]) == (302, reverse("portal:my_action_items"))
