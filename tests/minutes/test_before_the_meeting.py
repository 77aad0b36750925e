"""Minutes before and after: a draft prepared from the agenda before the meeting, attendance
from the answers given since, and a link back to the previous meeting's minutes."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from events.models import Registration, Response
from networks.minutes import services
from networks.minutes.models import MinutesPage
from networks.services import membership_add
from tests.factories import UserFactory
from tests.minutes.factories import MeetingFactory
from tests.minutes.helpers import approved_minutes, write_minutes


def _coming_meeting(world, title="Nästa nätverksträff"):
    return MeetingFactory(
        parent=world.space, title=title, day=timezone.localdate() + timedelta(days=7)
    )


def test_a_coordinator_prepares_minutes_from_the_agenda_before_the_meeting(world):
    meeting = _coming_meeting(world)
    url = world.space.screen_url("minutes")
    page = world.client("coordinator").get(url).content.decode()
    assert "Förbered minnesanteckningar" in page and "Nästa nätverksträff" in page
    response = world.client("coordinator").post(
        reverse("minutes:create_from_meeting", args=[meeting.pk])
    )
    assert response.status_code == 302
    draft = MinutesPage.objects.get(meeting=meeting)
    headings = [block.value["heading"] for block in draft.agenda]
    assert headings == ["Boendekedjor på kort och lång sikt", "Brandskydd i modulbostäder"]
    assert not draft.live
    assert list(world.client("coordinator").get(url).context["meetings_to_prepare"]) == []


def test_a_cancelled_coming_meeting_is_not_offered_for_preparing(world):
    meeting = _coming_meeting(world, title="Inställt möte")
    meeting.status = "cancelled"
    meeting.save_revision().publish()
    page = world.client("coordinator").get(world.space.screen_url("minutes")).content.decode()
    assert "Inställt möte" not in page


def test_a_prepared_draft_takes_in_the_answers_given_since_and_keeps_the_ticks(world):
    author = world.users["coordinator"]
    yes, no, ticked = (UserFactory(email=f"{n}@example.org") for n in ("ja", "nej", "bockad"))
    for person in (yes, no, ticked):
        membership_add(network=world.network, user=person)
    meeting = _coming_meeting(world)
    draft = services.minutes_create_from_meeting(meeting=meeting, author=author)
    assert list(draft.present_members.all()) == []
    write_minutes(draft, user=author, present=[ticked])
    for person, answer in ((yes, Response.YES), (no, Response.NO)):
        Registration.objects.filter(event=meeting, user=person).update(response=answer)
    again = services.minutes_create_from_meeting(meeting=meeting, author=author)
    assert again.pk == draft.pk
    latest = again.get_latest_revision_as_object()
    assert {u.email for u in latest.present_members.all()} == {"ja@example.org", ticked.email}
    assert [u.email for u in latest.apologies.all()] == ["nej@example.org"]


def test_a_held_meeting_with_a_prepared_draft_is_offered_for_writing_again(world):
    meeting = MeetingFactory(parent=world.space, title="Möte med förberett utkast")
    services.minutes_create_from_meeting(meeting=meeting, author=world.users["coordinator"])
    page = world.client("coordinator").get(world.space.screen_url("minutes")).content.decode()
    assert "Möte med förberett utkast" in page


def test_minutes_link_back_to_the_previous_meetings_minutes(world, approver):
    earlier = approved_minutes(world, approver=approver, meeting_title="Träff i mars")
    MinutesPage.objects.filter(pk=earlier.pk).update(
        meeting_date=earlier.meeting_date - timedelta(days=60)
    )
    later = approved_minutes(world, approver=approver, meeting_title="Träff i maj")
    page = world.client("member").get(later.url).content.decode()
    assert "Föregående minnesanteckningar" in page
    assert earlier.url in page
    first = world.client("member").get(earlier.url).content.decode()
    assert "Föregående minnesanteckningar" not in first
