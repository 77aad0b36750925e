"""Builders for event tests: a calendar index and events, published like an editor would."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.models import Page

from events import services
from events.models import EventIndexPage, EventPage

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def make_index(home) -> EventIndexPage:
    index = EventIndexPage.objects.child_of(home).first()
    if index is None:
        index = EventIndexPage(title="Kalender", slug="kalender")
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


def future(days=30, hour=9) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


def make_event(parent, *, title="Seminarium om kvotflyktingar", slug=None, agenda=(), **fields):
    start = fields.pop("start", None) or future()
    fields.setdefault("kind", "seminar")
    fields.setdefault("end", start + timedelta(hours=3))
    slug = slug or f"e-{EventPage.objects.count() + 1}"
    event = EventPage(title=title, slug=slug, start=start, **fields)
    for time, item, speaker in agenda:
        event.agenda_items.add(_agenda(time, item, speaker))
    parent.add_child(instance=event)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def _agenda(time, item, speaker):
    from events.models import AgendaItem

    return AgendaItem(time=time, item=item, speaker=speaker)


def republish(event, **changes) -> EventPage:
    """Change fields and publish a new revision, as an editor in the admin does."""
    event = EventPage.objects.get(pk=event.pk)
    for key, value in changes.items():
        setattr(event, key, value)
    event.save_revision().publish()
    event.refresh_from_db()
    return event


def delete_in_admin(client, page):
    """Delete a page as an editor does, from its delete view in the admin."""
    response = client.post(f"/admin/pages/{page.pk}/delete/")
    assert response.status_code == 302
    assert not Page.objects.filter(pk=page.pk).exists()


def applicant(n) -> services.Applicant:
    return services.Applicant(
        name=f"Deltagare {n}", email=f"d{n}@example.org", organisation="Nacka kommun"
    )


def register(event, n):
    """Register someone not logged in and follow their e-mail link: a place or the queue."""
    registration = services.registration_create(event=event, applicant=applicant(n))
    return services.registration_confirm(registration=registration)
