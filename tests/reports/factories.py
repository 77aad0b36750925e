"""Annual-report test data: external meetings, and the seed 003 year (Etablering Södertörn's
2017) replayed with the other apps' factories, for a report to be generated from."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

import factory
from wagtail.models import Site
from wagtail.rich_text import RichText

from networks.access import strategists_group
from networks.minutes import services as minutes_services
from networks.minutes.models import MinutesPage
from networks.services import membership_add, network_create
from portal.sites import site_setup
from reports.models import ExternalMeeting
from tests.events.factories import (
    STOCKHOLM,
    EventIndexPageFactory,
    EventPageFactory,
    RegistrationFactory,
)
from tests.factories import OrganisationFactory, UserFactory, make_home_page
from tests.minutes.factories import AnswerFactory, MeetingFactory
from tests.minutes.helpers import stepped_up
from tests.networks.factories import NetworkIndexPageFactory
from tests.newsletters.factories import DispatchFactory, NewsletterIssuePageFactory

YEAR = 2017
MEMBER_ONLY_TITLE = "Återsöksnätverket: genomgång av domslut om schablonersättning"
KICK_OFF_TITLE = "Årets kick-off med RFSL"
DECISION = "Nätverket beslutar att sammanställa Migrationsverkets beslut om återsökning."


class ExternalMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalMeeting
        skip_postgeneration_save = True

    site = factory.LazyFunction(lambda: Site.objects.get(is_default_site=True))
    date = date(YEAR, 2, 9)
    title = "NISKI i Göteborg"
    organiser = "NISKI"
    kind = "national"

    @factory.post_generation
    def attendees(self, create, extracted, **kwargs):
        if create and extracted:
            self.attendees.set(extracted)


def _on(month, day, hour=9) -> datetime:
    return datetime.combine(date(YEAR, month, day), time(hour), tzinfo=STOCKHOLM)


@dataclass
class SeedYear:
    site: Site
    strategist: object
    steering_group: object
    networks: list
    approvers: list
    members: dict = field(default_factory=dict)


def _members(network, names, organisation) -> list:
    people = []
    for first, last in names:
        person = UserFactory(
            email=f"{first.lower()}.{last.lower()}@example.org",
            first_name=first,
            last_name=last,
            organisation=organisation,
        )
        membership_add(network=network, user=person)
        people.append(person)
    return people


def _meeting(network, people, *, day, title, kind="network_meeting"):
    meeting = MeetingFactory(parent=network.member_space, title=title, day=day, kind=kind)
    for person in people:
        AnswerFactory(event=meeting, user=person)
    return meeting


def _published_minutes(meeting, *, author, approver, decision):
    """Minutes of `meeting` with one decision, justerade by `approver` through the workflow."""
    minutes = minutes_services.minutes_create_from_meeting(meeting=meeting, author=author)
    draft = minutes.get_latest_revision_as_object()
    first, *rest = list(draft.agenda)
    draft.agenda = [
        ("section", {**first.value, "decisions": RichText(f"<p>{decision}</p>")}),
        *[(block.block_type, block.value) for block in rest],
    ]
    draft.approvers = [approver]
    draft.save_revision(user=author)
    draft.save()
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    minutes_services.minutes_submit(minutes=minutes, user=author)
    minutes_services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())


def build_seed_year() -> SeedYear:
    """Seed 003's year: the steering group met six times, the återsök network four times (one
    meeting's title is member-only), the EKB case officers' network ever fewer; a kick-off with
    50 participants, four knowledge meetings with Transkulturellt centrum, a seminar, five
    newsletters, two NISKI meetings and a regional expert network."""
    home = make_home_page()
    site = Site.objects.get(is_default_site=True)
    botkyrka = OrganisationFactory(name="Botkyrka kommun")
    huddinge = OrganisationFactory(name="Huddinge kommun")
    strategist = UserFactory(
        email="strateg@example.org", first_name="Sara", last_name="Strateg", organisation=botkyrka
    )
    site_setup(site=site)  # the site's groups and their rights in the admin
    strategist.groups.add(strategists_group())
    index = NetworkIndexPageFactory(parent=home)
    steering = network_create(index=index, title="Ledningsgrupp", slug="ledningsgrupp")
    board = _members(
        steering,
        [("Anna", "Ordförande"), ("Bertil", "Justerare"), ("Cecilia", "Justerare")],
        huddinge,
    )
    for number, (month, day) in enumerate([(1, 20), (3, 10), (5, 5), (8, 25), (10, 6), (12, 1)]):
        _meeting(
            steering,
            board,
            day=date(YEAR, month, day),
            title=f"Ledningsgruppens möte {number + 1}",
            kind="steering_group_meeting",
        )
    aters = network_create(index=index, title="Återsöksnätverket", slug="atersok")
    aters_people = _members(aters, [("Dan", "Ekonom"), ("Eva", "Handläggare")], botkyrka)
    titles = [
        "Återsöksnätverkets vårmöte",
        MEMBER_ONLY_TITLE,
        "Återsöksnätverkets höstmöte",
        "Återsöksnätverket: nya ersättningssystemet",
    ]
    meetings = [
        _meeting(aters, aters_people, day=date(YEAR, month, 14), title=title)
        for month, title in zip((2, 4, 9, 11), titles, strict=True)
    ]
    _published_minutes(meetings[0], author=strategist, approver=aters_people[0], decision=DECISION)
    ekb = network_create(index=index, title="Handläggarnätverk EKB", slug="handlaggare-ekb")
    ekb_people = _members(ekb, [(f"Person{n}", "Socialsekreterare") for n in range(6)], huddinge)
    for month, present in ((3, 6), (6, 4), (10, 2)):
        _meeting(ekb, ekb_people[:present], day=date(YEAR, month, 7), title=f"EKB-träff {month}")
    calendar = EventIndexPageFactory(parent=home)
    norrort = OrganisationFactory(name="Koordination Norrort")
    kick_off = EventPageFactory(
        parent=calendar,
        title=KICK_OFF_TITLE,
        kind="kick_off",
        start=_on(8, 31),
        end=_on(8, 31, 16),
    )
    for n in range(50):
        RegistrationFactory(
            event=kick_off, name=f"Deltagare {n}", email=f"d{n}@example.org", organisation="Nacka"
        )
    EventPageFactory(
        parent=calendar,
        title="Seminarium om mottagande av kvotflyktingar",
        kind="seminar",
        start=_on(6, 15),
        end=_on(6, 15, 12),
        co_organisers=[norrort],
    )
    transkulturellt = OrganisationFactory(name="Transkulturellt centrum")
    for month in (2, 4, 9, 11):
        EventPageFactory(
            parent=calendar,
            title=f"Kunskapsträff om migration och hälsa ({month})",
            kind="knowledge_meeting",
            start=_on(month, 21),
            end=_on(month, 21, 12),
            co_organisers=[transkulturellt],
        )
    for number, month in enumerate((2, 4, 6, 9, 12)):
        issue = NewsletterIssuePageFactory(title=f"Nyhetsbrev {number + 1} 2017")
        DispatchFactory(issue=issue, send_at=_on(month, 3), recipients=3)
    ExternalMeetingFactory(date=date(YEAR, 2, 9), title="NISKI i Göteborg", attendees=[strategist])
    ExternalMeetingFactory(
        date=date(YEAR, 9, 20), title="NISKI i Stockholm", attendees=[strategist]
    )
    ExternalMeetingFactory(
        date=date(YEAR, 3, 1),
        title="Regionalt expertnätverk EKB",
        organiser="Länsstyrelsen i Stockholms län",
        kind="regional",
    )
    return SeedYear(
        site=site,
        strategist=strategist,
        steering_group=steering,
        networks=[steering, aters, ekb],
        approvers=board[1:],
        members={"atersok": aters_people[1], "board": board[0]},
    )
