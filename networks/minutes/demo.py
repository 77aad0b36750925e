"""Demo minutes from seed 003 (Etablering Södertörn's year 2017), made through the real workflow.

Runs after the networks and events demos. The 2017 meetings the minutes belong to are made here
when the events demo has not made them (past meetings invite nobody). Some minutes are approved
and published, one waits for medlem@example.org to approve it, and the action items are a mix
of open and done. Running it again changes nothing.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.documents import get_document_model

from events.models import AgendaItem, EventPage, Registration, Response
from networks.models import NetworkPage

from . import selectors, services
from .models import ActionItem, ActionItemStatus, MinutesAttachment
from .stepup import Authentication

STOCKHOLM = ZoneInfo("Europe/Stockholm")
DATA = Path(__file__).with_name("demo_minutes.toml")


def demo_decision():
    """Demo approvals are made by the loader, not by a person who re-authenticated."""
    return Authentication(method="demo", at=timezone.now())


@dataclass
class DemoMinutes:
    network: str
    slug: str
    title: str
    day: date
    venue: str
    kind: str
    # (time, agenda item, speaker, notes, decisions)
    agenda: list
    present: list
    approvers: list
    apologies: list = field(default_factory=list)
    guests: list = field(default_factory=list)  # (name, organisation)
    # (what, owner e-mail, due date or days from today, done)
    actions: list = field(default_factory=list)
    attachment: str = ""
    publish: bool = True


# The sets of minutes, one [[minutes]] each in demo_minutes.toml.
MINUTES = [
    DemoMinutes(**fields) for fields in tomllib.loads(DATA.read_text(encoding="utf-8"))["minutes"]
]


def _user(email):
    from portal.models import User

    return User.objects.filter(email=email).first()


def _meeting(space, spec: DemoMinutes) -> EventPage:
    existing = space.get_children().filter(slug=spec.slug).first()
    if existing is not None:
        return existing.specific
    start = datetime.combine(spec.day, spec.agenda[0][0], tzinfo=STOCKHOLM)
    meeting = EventPage(
        slug=spec.slug,
        title=spec.title,
        kind=spec.kind,
        start=start,
        end=start + timedelta(hours=2, minutes=30),
        venue=spec.venue,
    )
    for at, item, speaker, _notes, _decisions in spec.agenda:
        meeting.agenda_items.add(AgendaItem(time=at, item=item, speaker=speaker))
    space.add_child(instance=meeting)
    meeting.save_revision().publish()
    return meeting


def _answers(meeting, spec: DemoMinutes) -> None:
    """Who said they would come: the minutes' list of those present starts from this."""
    for emails, response in ((spec.present, Response.YES), (spec.apologies, Response.NO)):
        for email in emails:
            user = _user(email)
            if user is not None:
                Registration.objects.get_or_create(
                    event=meeting,
                    email=email,
                    defaults={
                        "user": user,
                        "name": user.get_full_name(),
                        "organisation": str(user.organisation or ""),
                        "status": "confirmed",
                        "response": response,
                    },
                )
    for number, (name, organisation) in enumerate(spec.guests, start=1):
        Registration.objects.get_or_create(
            event=meeting,
            email=f"gast{number}.{spec.slug}@example.org",
            defaults={
                "name": name,
                "organisation": organisation,
                "status": "confirmed",
                "response": Response.YES,
            },
        )


def _write(minutes, spec: DemoMinutes, author) -> None:
    """What the strategist writes in the editor before submitting."""
    today = timezone.localdate()
    draft = minutes.get_latest_revision_as_object()
    draft.title = draft.draft_title = f"Minnesanteckningar: {spec.title}"
    texts = {item: (notes, decisions) for _t, item, _s, notes, decisions in spec.agenda}
    draft.agenda = [
        (
            "section",
            {
                **block.value,
                "notes": texts.get(block.value["heading"], ("", ""))[0],
                "decisions": texts.get(block.value["heading"], ("", ""))[1],
            },
        )
        for block in draft.agenda
    ]
    draft.approvers = [user for email in spec.approvers if (user := _user(email))]
    draft.action_items = [
        ActionItem(
            what=what,
            owner=_user(owner),
            due_date=due if isinstance(due, date) else today + timedelta(days=due),
        )
        for what, owner, due, _done in spec.actions
    ]
    document = (
        get_document_model().objects.filter(title=spec.attachment).first()
        if spec.attachment
        else None
    )
    if document is not None:
        draft.attachments = [MinutesAttachment(document=document)]
    draft.save_revision(user=author)
    draft.save()


def _mark_done(minutes, spec: DemoMinutes) -> None:
    for what, owner, _due, done in spec.actions:
        if done:
            ActionItem.objects.filter(minutes=minutes, what=what).update(
                status=ActionItemStatus.DONE,
                done_at=timezone.now(),
                done_by=_user(owner),
            )


def _load_one(context, spec: DemoMinutes, author) -> str | None:
    network = NetworkPage.objects.filter(slug=spec.network).first()
    space = network.member_space if network else None
    if space is None:
        return None
    meeting = _meeting(space, spec)
    _answers(meeting, spec)
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    if minutes.live or selectors.workflow_state(minutes) is not None:
        return minutes.title
    _write(minutes, spec, author)
    minutes.refresh_from_db()
    services.minutes_submit(minutes=minutes, user=author)
    if spec.publish:
        for email in spec.approvers:
            services.minutes_approve(
                minutes=minutes, user=_user(email), authentication=demo_decision()
            )
        _mark_done(minutes, spec)
    return minutes.title


def load(context):
    author = _user("strateg@example.org")
    if author is None:
        context.log("minutes: no strategist account, skipped")
        return
    made = [title for spec in MINUTES if (title := _load_one(context, spec, author))]
    context.log(f"minutes: {len(made)} sets ({', '.join(made)})")
