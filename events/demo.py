"""Demo calendar from the seeds' dates (Etablering Södertörn 2017, Kommunförbundet Skåne 2017,
Østfold 2015), moved to 2026–2027 so that some lie ahead of "today" and some in the archive.

Runs after the networks demo and finds its networks by slug; without them only the public
calendar is made. Publishing meetings invites the networks' members, as it would for real.
"""

import tomllib
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import timezone

from networks.models import NetworkPage
from portal.models import Organisation
from portal.sites import site_index

from . import services
from .models import (
    AgendaItem,
    EventIndexPage,
    EventPage,
    EventSeries,
    FeedToken,
    Registration,
    RegistrationStatus,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
TELEPHONE_DATES = [
    date(2027, 3, 15),
    date(2027, 4, 19),
    date(2027, 5, 17),
    date(2027, 6, 14),
    date(2027, 8, 30),
]


def _at(day: date, hour: int, minute: int = 0, zone=STOCKHOLM) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _org(name):
    return Organisation.objects.filter(name=name).first()


def _event(context, parent, *, slug, title, day, hours, agenda=(), zone=STOCKHOLM, **fields):
    existing = parent.get_children().filter(slug=slug).first()
    if existing is not None:
        return existing.specific
    start_hour, end_hour = hours
    event = EventPage(
        slug=slug,
        title=title,
        start=_at(day, *start_hour, zone=zone),
        end=_at(day, *end_hour, zone=zone),
        tz_name=str(zone.key),
        **fields,
    )
    for at, item, speaker in agenda:
        event.agenda_items.add(AgendaItem(time=at, item=item, speaker=speaker))
    parent.add_child(instance=event)
    event.save_revision().publish()
    return event


def _events(context, calendars, specs) -> dict:
    """Each event of a table (below) in its calendar, or in the member space of its network
    when that network exists: the events by slug."""
    made = {}
    for spec in specs:
        fields = dict(spec)
        network = fields.pop("network", None)
        calendar = fields.pop("calendar", None)
        parent = _network_space(network) if network else calendars[calendar]
        if parent is None:
            continue
        fields["organiser"] = _org(fields["organiser"])
        if "co_organisers" in fields:
            fields["co_organisers"] = [o for o in map(_org, fields["co_organisers"]) if o]
        made[fields["slug"]] = _event(context, parent, **fields)
    return made


def _public(context, index, skane_calendar):
    lansstyrelsen = _org("Länsstyrelsen i Stockholms län")

    series = EventSeries.objects.filter(title="Samverkanskonferens via telefon").first()
    if series is None:
        series = EventSeries.objects.create(
            title="Samverkanskonferens via telefon",
            rule=EventSeries.Rule.IRREGULAR,
            description="Om bosättning och anvisningar, fem gånger under året.",
        )
        services.series_schedule(
            series=series,
            parent=index,
            dates=TELEPHONE_DATES,
            starts_at=time(9, 0),
            duration=timedelta(hours=1),
            title="Samverkanskonferens via telefon om bosättning och anvisningar",
            kind="telephone_conference",
            organiser=lansstyrelsen,
            audience="Kommunernas bosättningssamordnare i länet",
            registration_enabled=True,
            description=(
                "<p>Samverkanskonferens via telefon om bosättning och anvisningar. "
                "Anmäl dig för att få telefonnummer och kod.</p>"
            ),
            join_details="Ring 08-123 456 00 och ange konferenskod 5521#.",
        )
        cancelled = EventPage.objects.get(series=series, start=_at(date(2027, 5, 17), 9))
        cancelled.status = "cancelled"
        cancelled.status_reason = "Krockar med Strategiskt forum den 18 maj."
        cancelled.save_revision().publish()

    made = _events(context, {"index": index, "skane": skane_calendar}, PUBLIC_EVENTS)
    forum = made["strategiskt-forum-langsiktig-strategi-2026"]
    if _org("Sveriges Kommuner och Regioner (SKR)") and not forum.co_organisers.exists():
        forum.co_organisers.add(_org("Sveriges Kommuner och Regioner (SKR)"))
        forum.save_revision().publish()


def _niski(context):
    """NISKI meets twice a year; its meetings are in the national calendar of every site."""
    _events(context, {"niski": site_index(EventIndexPage, context.site("niski"))}, NISKI_MEETINGS)


def _full_seminar_registrations(context):
    seminar = EventPage.objects.filter(slug="seminarium-kvotflyktingar-2027").first()
    if seminar is None or seminar.registrations.exists():
        return
    people = [
        ("Anna Lindqvist", "anna.lindqvist@example.org", "Botkyrka kommun", ""),
        ("Fatima Ahmadi", "fatima.ahmadi@example.org", "Huddinge kommun", "Vegetarisk kost"),
        ("Erik Sjöberg", "erik.sjoberg@example.org", "Nacka kommun", ""),
        ("Maja Medlem", "medlem@example.org", "Huddinge kommun", "Glutenfri kost"),
        ("Karl Kommunsson", "kommun@example.org", "Höörs kommun", ""),
    ]
    now = timezone.now()
    from portal.models import User

    for n, (name, email, organisation, needs) in enumerate(people):
        # Straight into the table: a demo should not e-mail anyone.
        Registration.objects.create(
            event=seminar,
            user=User.objects.filter(email=email).first(),
            name=name,
            email=email,
            organisation=organisation,
            needs=needs,
            status=RegistrationStatus.CONFIRMED if n < 3 else RegistrationStatus.WAITLISTED,
            queued_at=None if n < 3 else now + timedelta(seconds=n),
        )


def _network_space(slug):
    network = NetworkPage.objects.filter(slug=slug).first()
    return network.member_space if network else None


def _meetings(context):
    """The networks' own meetings, in their member spaces: how many regular ones were made."""
    made = _events(context, {}, REGULAR_MEETINGS)
    _events(context, {}, OTHER_MEETINGS)
    return len(made)


def _answers_and_links(context):
    from portal.models import User

    medlem = User.objects.filter(email="medlem@example.org").first()
    if medlem is None:
        return
    Registration.objects.filter(
        user=medlem, event__slug="natverksmote-2026-12-flemingsberg", response=""
    ).update(response="yes")
    if not FeedToken.objects.filter(user=medlem).exists():
        FeedToken.objects.create(user=medlem)


def load(context):
    home = context.home
    index = context.child_page(
        home,
        EventIndexPage,
        slug="kalender",
        title="Kalender",
        show_in_menus=True,
        intro=(
            "<p>Seminarier, kunskapsträffar, strategiska forum och telefonkonferenser. "
            "Prenumerera på kalendern så hamnar de i din egen kalender.</p>"
        ),
    )
    _public(context, index, site_index(EventIndexPage, context.site("skane")))
    _niski(context)
    _full_seminar_registrations(context)
    meetings = _meetings(context)
    _answers_and_links(context)
    context.log(
        f"events: {EventPage.objects.count()} ({meetings} network meetings), "
        f"{Registration.objects.count()} registrations"
    )


# --- the tables (demo_events.toml) ----------------------------------------------------------------


def _table(name) -> list[dict]:
    """The events of one table of demo_events.toml as `_events` takes them: a template's fields
    under the event's own, the zone by name, a documentation block a (type, value) pair."""
    events = []
    for row in DATA[name]:
        row = dict(row)
        like = row.pop("like", None)
        fields = {**DATA["template"][like], **row} if like else row
        if "zone" in fields:
            fields["zone"] = ZoneInfo(fields["zone"])
        if "documentation" in fields:
            fields["documentation"] = [tuple(block) for block in fields["documentation"]]
        events.append(fields)
    return events


DATA = tomllib.loads(Path(__file__).with_name("demo_events.toml").read_text(encoding="utf-8"))
PUBLIC_EVENTS = _table("public")
NISKI_MEETINGS = _table("niski")
REGULAR_MEETINGS = _table("regular")
OTHER_MEETINGS = _table("other")
