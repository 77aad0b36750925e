"""Matters raised with other organisations: written in the minutes, followed up, taken up again."""

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from networks.minutes import services
from networks.minutes.models import ActionItem, MatterStatus, MinutesPage
from portal.organisations import Organisation
from tests.minutes.factories import AnswerFactory, MeetingFactory

from .helpers import publish_correction, stepped_up, write_minutes

QUESTION = "Rutiner kring asylsökande 18-åringars flytt"
ANSWER = "Migrationsverket flyttar ingen förrän kommunen har fått besked."


@pytest.fixture
def raised(world):
    """Minutes of a Chefsnätverk EKB meeting raising the question with Migrationsverket."""
    ekb, strategist, approver = (
        world.other_network,
        world.users["strategist"],
        world.users["other_member"],
    )
    meeting = MeetingFactory(parent=ekb.member_space, title="Chefsnätverk EKB, mars")
    AnswerFactory(event=meeting, user=approver)
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=strategist)
    minutes = write_minutes(
        minutes,
        user=strategist,
        approvers=[approver],
        action_items=[
            {
                "what": QUESTION,
                "owner": strategist,
                "organisation": Organisation.objects.get(name="Migrationsverket"),
            }
        ],
    )
    services.minutes_submit(minutes=minutes, user=strategist)
    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
    return MinutesPage.objects.get(pk=minutes.pk)


def answer(world, item, **data):
    form = {
        "raised_on": "2026-03-20",
        "answer": ANSWER,
        "answered_on": "2026-04-02",
        "matter_status": "answered",
        **data,
    }
    return world.client("strategist").post(reverse("minutes:matter", args=[item.pk]), form)


def test_a_matter_is_raised_answered_and_taken_up_in_the_next_draft(world, raised):
    item = ActionItem.objects.get(minutes=raised)
    follow_up = f"{reverse('minutes:matters')}?natverk={world.other_network.pk}"
    reader = world.client("other_member")
    assert QUESTION in reader.get(follow_up).content.decode()

    assert answer(world, item).status_code == 302

    meeting_page = reader.get(raised.url).content.decode()
    assert "Migrationsverket" in meeting_page and ANSWER in meeting_page
    assert ANSWER in reader.get(follow_up).content.decode()  # answered is still open
    next_meeting = MeetingFactory(
        parent=world.other_network.member_space, title="Chefsnätverk EKB, maj"
    )
    draft = services.minutes_create_from_meeting(
        meeting=next_meeting, author=world.users["strategist"]
    )
    (answers,) = [b.value for b in draft.agenda if "Migrationsverket" in str(b.value["notes"])]
    assert QUESTION in str(answers["notes"]) and ANSWER in str(answers["notes"])
    assert answers["heading"] == _("Answers to matters raised with other organisations")


def test_closed_matters_leave_the_follow_up_page(world, raised):
    item = ActionItem.objects.get(minutes=raised)
    answer(world, item, matter_status="closed")
    page = world.client("strategist").get(reverse("minutes:matters")).content.decode()
    assert QUESTION not in page
    closed = world.client("strategist").get(reverse("minutes:matters"), {"status": "closed"})
    assert QUESTION in closed.content.decode()


def test_the_follow_up_page_shows_no_matter_of_a_network_the_reader_is_not_in(world, raised):
    for role in ("member", "coordinator", "outsider", "former_member"):
        page = world.client(role).get(reverse("minutes:matters")).content.decode()
        assert QUESTION not in page, role
    assert world.client("anonymous").get(reverse("minutes:matters")).status_code == 302


def test_only_the_owner_and_coordinators_record_the_answer(world, raised):
    item = ActionItem.objects.get(minutes=raised)
    url = reverse("minutes:matter", args=[item.pk])
    response = world.client("other_member").post(url, {"matter_status": "closed"})
    assert response.status_code == 403
    assert ActionItem.objects.get(pk=item.pk).matter_status == "raised"


def test_an_answered_matter_needs_its_answer_and_the_form_keeps_what_was_typed(world, raised):
    item = ActionItem.objects.get(minutes=raised)
    response = answer(world, item, answer="", raised_on="2026-03-21")
    html = response.content.decode()
    assert response.status_code == 400
    assert escape(_("Write the answer, or keep the matter as raised.")) in html
    assert "2026-03-21" in html
    assert ActionItem.objects.get(pk=item.pk).matter_status == "raised"


def test_a_correction_of_the_minutes_keeps_the_answer(world, raised):
    item = ActionItem.objects.get(minutes=raised)
    answer(world, item)
    publish_correction(raised, user=world.users["superuser"], note="rättat platsen", place="Tumba")
    item = ActionItem.objects.get(minutes=raised)
    assert (item.answer, item.matter_status) == (ANSWER, "answered")


@pytest.mark.parametrize(
    ("language", "status", "column"),
    [("sv", "Besvarad", "Besvarade"), ("nb", "Besvart", "Besvart"), ("en", "Answered", "Answered")],
)
def test_an_answered_matter_is_not_named_as_the_boards_answered_column(language, status, column):
    """A matter's status and the questionnaire board's column share the English word."""
    with translation.override(language):
        assert str(MatterStatus.ANSWERED.label) == status
        assert _("Answered") == column
