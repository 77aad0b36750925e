"""Event test data: the calendar, events published as an editor publishes them, agenda items,
registrations as the database keeps them, and the details someone registers with."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from events import services
from events.models import AgendaItem, EventIndexPage, EventPage, Registration, RegistrationStatus
from tests.factories import IndexPageFactory, PageFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def future(days=30, hour=9) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


class EventIndexPageFactory(IndexPageFactory):
    class Meta:
        model = EventIndexPage

    title = "Kalender"
    slug = "kalender"


class EventPageFactory(PageFactory):
    """A seminar a month from now, three hours long."""

    class Meta:
        model = EventPage

    parent = factory.SubFactory(EventIndexPageFactory)
    title = "Seminarium om kvotflyktingar"
    slug = factory.Sequence(lambda n: f"e-{n + 1}")
    kind = "seminar"
    start = factory.LazyFunction(future)
    end = factory.LazyAttribute(lambda event: event.start + timedelta(hours=3))
    agenda_items = factory.LazyAttribute(
        lambda event: [
            AgendaItem(time=at, item=item, speaker=who) for at, item, who in event.agenda
        ]
    )

    class Params:
        agenda = ()  # (time, item, speaker) triples, saved with the first revision


class NetworkMeetingFactory(EventPageFactory):
    """A network's meeting: in its member space (`parent`), publishing it invites the members."""

    title = "Nätverksmöte i Tumba"
    kind = "network_meeting"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    page = factory.SubFactory(EventPageFactory)
    sort_order = factory.Sequence(int)
    item = factory.Sequence(lambda n: f"Punkt {n + 1}")
    speaker = ""


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A place as the database keeps it: confirmed, or waitlisted since now."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventPageFactory)
    user = None
    name = factory.LazyAttribute(
        lambda r: r.user.get_full_name() if r.user else "Deltagare Deltagarsson"
    )
    email = factory.LazyAttribute(lambda r: r.user.email if r.user else "deltagare@example.org")
    status = RegistrationStatus.CONFIRMED
    queued_at = factory.LazyAttribute(
        lambda r: timezone.now() if r.status == RegistrationStatus.WAITLISTED else None
    )


class ApplicantFactory(factory.Factory):
    """What someone not logged in writes in the registration form."""

    class Meta:
        model = services.Applicant

    name = factory.LazyAttribute(lambda applicant: f"Deltagare {applicant.n}")
    email = factory.LazyAttribute(lambda applicant: f"d{applicant.n}@example.org")
    organisation = "Nacka kommun"

    class Params:
        n = factory.Sequence(lambda n: n + 1)
