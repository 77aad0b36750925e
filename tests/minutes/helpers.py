"""Meetings and minutes for the minutes tests, built through the real services."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from events.models import AgendaItem, EventPage, Registration, Response
from networks.minutes import services
from networks.minutes.models import ActionItem, MinutesPage

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def make_meeting(space, *, title="Nätverksträff om boendekedjor", day=None, agenda=None):
    day = day or (timezone.localdate() - timedelta(days=2))
    start = datetime.combine(day, time(9, 30), tzinfo=STOCKHOLM)
    meeting = EventPage(
        title=title,
        slug=f"mote-{day:%Y-%m-%d}-{EventPage.objects.count()}",
        kind="network_meeting",
        start=start,
        end=start + timedelta(hours=3),
        venue="Botkyrka kommunhus, Tumba",
    )
    space.add_child(instance=meeting)
    meeting.save_revision().publish()
    for number, (at, item, speaker) in enumerate(
        agenda
        or [
            (time(9, 30), "Boendekedjor på kort och lång sikt", "Göteborgs stad"),
            (time(11, 0), "Brandskydd i modulbostäder", "Södertörns brandförsvarsförbund"),
        ]
    ):
        AgendaItem.objects.create(
            page=meeting, sort_order=number, time=at, item=item, speaker=speaker
        )
    return meeting


def register(meeting, *, user=None, name="", email="", organisation="", response=Response.YES):
    return Registration.objects.create(
        event=meeting,
        user=user,
        name=name or user.get_full_name(),
        email=email or user.email,
        organisation=organisation,
        status="confirmed",
        response=response,
    )


def write_minutes(
    minutes: MinutesPage, *, user, approvers=(), notes="", action_items=(), present=None
):
    """What an author does in the editor: fill in notes, name approvers, add action items."""
    draft = minutes.get_latest_revision_as_object()
    if present is not None:
        draft.present_members = list(present)
    draft.approvers = list(approvers)
    if notes:
        blocks = [
            ("section", {**block.value, "notes": notes})
            if index == 0
            else (block.block_type, block.value)
            for index, block in enumerate(draft.agenda)
        ]
        draft.agenda = blocks
    if action_items:
        draft.action_items = [ActionItem(**fields) for fields in action_items]
    draft.save_revision(user=user)
    # A page that was never published keeps its draft in its row too, as the admin does.
    if not minutes.live:
        draft.save()
    return MinutesPage.objects.get(pk=minutes.pk)


def approved_minutes(world, *, approver, notes="Anteckningar", action_items=()):
    """Minutes written, submitted and approved: published through the real workflow."""
    meeting = make_meeting(world.space)
    register(meeting, user=approver)
    author = world.users["coordinator"]
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    minutes = write_minutes(
        minutes, user=author, approvers=[approver], notes=notes, action_items=action_items
    )
    services.minutes_submit(minutes=minutes, user=author)
    services.minutes_approve(minutes=minutes, user=approver)
    return MinutesPage.objects.get(pk=minutes.pk)


def publication_subject(minutes, language="sv") -> str:
    """The subject members get, rendered as the portal renders it (whatever the translation)."""
    from portal.mail import mail_render

    context = {"title": minutes.title, "meeting_date": minutes.meeting_date, "url": ""}
    return mail_render(template="minutes_published", context=context, language=language)["subject"]
