"""Minutes test data: network meetings (held two days ago, with two agenda items) and the
members' answers to them. Minutes themselves are made by the service from a meeting."""

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from events.models import AgendaItem, Response
from networks.minutes.models import ActionItem
from tests.events.factories import STOCKHOLM, EventPageFactory, RegistrationFactory

MEETING_TITLE = "Nätverksträff om boendekedjor"
AGENDA = (
    (time(9, 30), "Boendekedjor på kort och lång sikt", "Göteborgs stad"),
    (time(11, 0), "Brandskydd i modulbostäder", "Södertörns brandförsvarsförbund"),
)


class MeetingFactory(EventPageFactory):
    """A network meeting in a member space (`parent`), on `day` at half past nine."""

    title = MEETING_TITLE
    slug = factory.LazyAttributeSequence(lambda meeting, n: f"mote-{meeting.day:%Y-%m-%d}-{n}")
    kind = "network_meeting"
    start = factory.LazyAttribute(
        lambda meeting: datetime.combine(meeting.day, time(9, 30), tzinfo=STOCKHOLM)
    )
    venue = "Botkyrka kommunhus, Tumba"
    agenda_items = factory.LazyAttribute(
        lambda meeting: [
            AgendaItem(sort_order=number, time=at, item=item, speaker=speaker)
            for number, (at, item, speaker) in enumerate(meeting.agenda)
        ]
    )

    class Params:
        day = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))
        agenda = AGENDA


class AnswerFactory(RegistrationFactory):
    """A member's yes (or no) to a meeting; `guest=True` is an expert from an agency who
    said yes without an account."""

    organisation = ""
    response = Response.YES

    class Params:
        guest = factory.Trait(
            name="Eva Expert", email="eva@migrationsverket.se", organisation="Migrationsverket"
        )


class ActionItemFactory(factory.django.DjangoModelFactory):
    """An action item of published minutes (`minutes`), due in a month."""

    class Meta:
        model = ActionItem

    sort_order = factory.Sequence(int)
    what = factory.Sequence(lambda n: f"Kontakta Migrationsverket om anvisningar ({n + 1})")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
