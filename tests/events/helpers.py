"""What editors and participants do in the event tests: republish, delete, register; and
what a freed place leads to.
The objects themselves come from tests/events/factories.py."""

from django.core import mail
from wagtail.models import Page

from events import services
from events.models import EventPage, RegistrationStatus
from tests.events.factories import ApplicantFactory


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


def register(event, n):
    """Register someone not logged in and follow their e-mail link: a place or the queue."""
    registration = services.registration_create(event=event, applicant=ApplicantFactory(n=n))
    return services.registration_confirm(registration=registration)


def assert_promoted(promoted, still_waiting, email):
    """A freed place went to `promoted`, the first in the queue, who was told at `email` with
    the calendar file; `still_waiting` still queues. The mail to the promoted person."""
    promoted.refresh_from_db()
    still_waiting.refresh_from_db()
    assert promoted.status == RegistrationStatus.CONFIRMED
    assert still_waiting.status == RegistrationStatus.WAITLISTED
    told = [m for m in mail.outbox if m.to == [email]]
    assert len(told) == 1
    assert told[0].attachments  # the place comes with the calendar file
    return told[0]
