"""'Presented at': a practice and the meeting or minutes it was presented at, through the access
rule both ways (a member-only target is named only to those who may open it)."""

import pytest
from django.core.exceptions import ValidationError

from tests.access_matrix import EVERYONE, MEMBERS, assert_shown_only
from tests.goodpractice.factories import PracticeIndexPageFactory, PracticePageFactory
from tests.minutes.factories import MeetingFactory
from tests.minutes.helpers import approved_minutes


@pytest.fixture
def approver(world):
    from networks.services import membership_add
    from tests.factories import UserFactory

    person = UserFactory(email="justerare@example.org")
    membership_add(network=world.network, user=person)
    return person


@pytest.fixture
def catalogue_index(world):
    return PracticeIndexPageFactory(parent=world.index.get_parent(), show_in_menus=False)


def practice_presented_at(index, target):
    practice = PracticePageFactory(parent=index, title="Bostadsgruppen i Höör", revision=False)
    practice.presented_at = target
    practice.save()
    return practice


def test_a_practice_names_member_only_minutes_only_to_members(world, catalogue_index, approver):
    minutes = approved_minutes(world, approver=approver, meeting_title=f"Möte {world.secret}")
    assert world.secret in minutes.title
    practice = practice_presented_at(catalogue_index, minutes)
    assert_shown_only(world.client, practice.url, MEMBERS, world.secret)


def test_a_practice_names_a_public_seminar_to_everyone(world, catalogue_index):
    from events.models import EventPage

    seminar = MeetingFactory(parent=world.index.get_parent(), title=f"Seminarium {world.secret}")
    EventPage.objects.filter(pk=seminar.pk).update(kind="seminar")
    practice = practice_presented_at(catalogue_index, seminar)
    assert_shown_only(world.client, practice.url, EVERYONE, world.secret)


def test_minutes_list_the_practices_presented_there(world, catalogue_index, approver):
    minutes = approved_minutes(world, approver=approver)
    practice_presented_at(catalogue_index, minutes)
    assert "Bostadsgruppen i Höör" in world.client("member").get(minutes.url).content.decode()


def test_a_meeting_lists_the_practices_presented_there(world, catalogue_index):
    meeting = MeetingFactory(parent=world.space)
    practice_presented_at(catalogue_index, meeting)
    text = world.client("member").get(meeting.url).content.decode()
    assert "Bostadsgruppen i Höör" in text


def test_a_practice_cannot_be_presented_at_a_page_that_is_no_event_or_minutes(
    world, catalogue_index
):
    practice = PracticePageFactory(parent=catalogue_index, title="Språkvänner", revision=False)
    practice.presented_at = world.space
    with pytest.raises(ValidationError) as error:
        practice.full_clean()
    assert "presented_at" in error.value.message_dict
