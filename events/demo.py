"""Demo calendar from the seeds' dates (Etablering Södertörn 2017, Kommunförbundet Skåne 2017,
Østfold 2015), moved to 2026–2027 so that some lie ahead of "today" and some in the archive.

Runs after the networks demo and finds its networks by slug; without them only the public
calendar is made. Publishing meetings invites the networks' members, as it would for real.
"""

from datetime import date, datetime, time, timedelta
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
OSLO = ZoneInfo("Europe/Oslo")
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


# --- the tables ----------------------------------------------------------------------------------
# Each event as `_event` takes it, with its organisers by name and where it goes: `calendar` (a
# site's calendar) or `network` (that network's member space, when the network exists).

KNOWLEDGE_MEETING = {
    "calendar": "index",
    "hours": ((13, 0), (16, 0)),
    "kind": "knowledge_meeting",
    "organiser": "Transkulturellt centrum",
    "co_organisers": ["Botkyrka kommun"],
    "venue": "Transkulturellt centrum",
    "address": "Stockholm",
    "audience": "Personal som möter nyanlända och ensamkommande",
    "registration_enabled": True,
    "capacity": 35,
}

PUBLIC_EVENTS = [
    {
        "calendar": "index",
        "slug": "seminarium-kvotflyktingar-2027",
        "title": "Seminarium om mottagande av kvotflyktingar",
        "day": date(2027, 6, 15),
        "hours": ((9, 0), (12, 0)),
        "kind": "seminar",
        "organiser": "Botkyrka kommun",
        "venue": "Tumba kommunhus, sal Tumba",
        "address": "Munkhättevägen 45, Tumba",
        "audience": "Handläggare och chefer som arbetar med bosättning",
        "registration_enabled": True,
        "capacity": 3,
        "description": (
            "<p>Två personer från Östersunds kommun med lång erfarenhet av kvotmottagande och "
            "en utarbetad metod presenterar sitt arbete, från förberedelser före ankomsten till "
            "de första månaderna i kommunen. Seminariet ger också möjlighet att jämföra "
            "kunskaper och erfarenheter av kvotmottagande.</p>"
        ),
        "logistics_note": "Sal Tumba bokad 08.30–12.30. Kaffe och smörgås till 40 beställt.",
        "agenda": [
            (time(9, 0), "Välkommen och inledning", "Sara Strateg"),
            (time(9, 15), "Kvotmottagande i Östersund", "Östersunds kommun"),
            (time(11, 0), "Samtal: hur gör vi på Södertörn?", ""),
        ],
    },
    {
        "calendar": "skane",
        "slug": "strategiskt-forum-nya-arbetssatt-2027",
        "title": "Strategiskt forum: Nya arbetssätt i etableringen",
        "day": date(2027, 3, 21),
        "hours": ((9, 30), (15, 30)),
        "kind": "conference",
        "organiser": "Kommunförbundet Skåne",
        "venue": "Kommunförbundet Skåne",
        "address": "Gasverksgatan 3A, Lund",
        "audience": "Skånes kommuner",
        "registration_enabled": True,
        "capacity": 80,
        "description": (
            "<p>Strategiskt forum för nyanländas etablering och integration. "
            "Arbetsförmedlingen medverkar.</p>"
        ),
    },
    {
        "calendar": "skane",
        "slug": "strategiskt-forum-langsiktig-strategi-2026",
        "title": "Strategiskt forum: Långsiktig strategi och organisation",
        "day": date(2026, 5, 18),
        "hours": ((9, 30), (15, 30)),
        "kind": "conference",
        "organiser": "Kommunförbundet Skåne",
        "venue": "Kommunförbundet Skåne",
        "address": "Gasverksgatan 3A, Lund",
        "description": "<p>SKR med flera medverkade med intressanta perspektiv på temat.</p>",
        "documentation": [
            (
                "link",
                {
                    "title": "Dokumentation på integrationsbloggen",
                    "url": "https://example.org/integrationsbloggen/strategiskt-forum",
                },
            )
        ],
    },
    *(
        {**KNOWLEDGE_MEETING, "slug": slug, "title": title, "day": day}
        for slug, title, day in (
            (
                "kunskapstraff-migration-och-halsa",
                "Kunskapsträff: Migration och hälsa",
                date(2026, 9, 10),
            ),
            (
                "kunskapstraff-psykisk-ohalsa",
                "Kunskapsträff: Att identifiera psykisk ohälsa",
                date(2026, 10, 15),
            ),
            (
                "kunskapstraff-aterhamtning",
                "Kunskapsträff: Psykisk återhämtning",
                date(2027, 2, 11),
            ),
            (
                "kunskapstraff-fordjupning",
                "Kunskapsträff: Migration och hälsa, fördjupning",
                date(2027, 4, 8),
            ),
        )
    ),
    {
        "calendar": "index",
        "slug": "kick-off-2027",
        "title": "Kick-off för Etablering Södertörn",
        "day": date(2027, 1, 20),
        "hours": ((9, 0), (16, 0)),
        "kind": "kick_off",
        "organiser": "Botkyrka kommun",
        "venue": "Tumba kommunhus",
        "address": "Munkhättevägen 45, Tumba",
        "audience": "Nätverkens medlemmar, runt 50 personer",
        "registration_enabled": True,
        "capacity": 60,
        "description": (
            "<p>En tillbakablick på det som gjorts och en planering för året. Därefter berättar "
            "RFSL om sitt arbete med asylsökande och nyanlända hbtq-personer.</p>"
        ),
        "logistics_note": "Lunch för 55 beställd. Hörslinga i stora salen.",
        "agenda": [
            (time(9, 0), "Tillbakablick på året", "Sara Strateg"),
            (time(10, 30), "Planering för året", ""),
            (time(13, 0), "Stöd till asylsökande och nyanlända hbtq-personer", "RFSL"),
        ],
    },
    {
        "calendar": "index",
        "slug": "nyckeltalskonferens-2026",
        "title": "Södertörnskommunernas nyckeltalskonferens",
        "day": date(2026, 10, 26),
        "hours": ((9, 0), (12, 0)),
        "kind": "conference",
        "national": True,
        "organiser": "Botkyrka kommun",
        "venue": "Tumba kommunhus",
        "description": (
            "<p>Nyckeltalsrapporten om nyanländas etablering presenteras: var de nyanlända "
            "bosatt sig och i vilken typ av boenden, under bosättningslagens första år.</p>"
        ),
        "documentation": [
            (
                "notes",
                "<p>Rapporten visar hur kommunerna inledningsvis organiserade arbetet med "
                "bosättningen.</p>",
            )
        ],
    },
]

NISKI_MEETINGS = [
    {
        "calendar": "niski",
        "slug": slug,
        "title": title,
        "day": day,
        "hours": ((10, 0), (16, 0)),
        "kind": "conference",
        "organiser": "Sveriges Kommuner och Regioner (SKR)",
        "venue": city,
        "audience": "Regionala strateger från 134 kommuner",
        "national": True,
        "description": (
            "<p>Erfarenhetsutbyte mellan regionerna om bosättning och etablering, och "
            "nyckeltalen för året.</p>"
        ),
    }
    for slug, title, day, city in (
        ("niski-varmote-2027", "NISKI:s vårmöte", date(2027, 4, 22), "Stockholm"),
        ("niski-hostmote-2027", "NISKI:s höstmöte", date(2027, 10, 14), "Malmö"),
    )
]

TUMBA = "Tumba kommunhus"
FLEMINGSBERG = "Flemingsberg, enheten för ensamkommande barn"
REGULAR_MEETINGS = [
    {
        "network": network,
        "slug": slug,
        "title": title,
        "day": day,
        "hours": ((13, 0), (15, 30)),
        "kind": "dialogue_meeting" if "dialog" in slug else "network_meeting",
        "organiser": "Botkyrka kommun",
        "venue": venue,
        "join_details": (
            "Delta på distans: Teams-möte, länken skickas i kallelsen. "
            "Telefon 08-123 456 01, kod 7731#."
        ),
        "logistics_note": "Rum bokat via kommunhusets reception. Fika för 15 beställt.",
        "agenda": [
            (time(13, 0), "Nulägesbild från kommunerna", ""),
            (time(13, 45), "Anvisningar och bostadsförsörjning", ""),
            (time(15, 0), "Övriga frågor och nästa möte", ""),
        ],
    }
    for network, slug, title, day, venue in (
        (
            "bosattning",
            "natverksmote-2026-09-tumba",
            "Nätverksmöte i Tumba",
            date(2026, 9, 15),
            TUMBA,
        ),
        (
            "bosattning",
            "natverksmote-2026-12-flemingsberg",
            "Nätverksmöte i Flemingsberg",
            date(2026, 12, 8),
            FLEMINGSBERG,
        ),
        (
            "bosattning",
            "natverksmote-2027-02-tumba",
            "Nätverksmöte i Tumba",
            date(2027, 2, 9),
            TUMBA,
        ),
        (
            "vuxen-etablering",
            "natverksmote-2027-01-tumba",
            "Möte i vuxen-etableringsgruppen",
            date(2027, 1, 26),
            TUMBA,
        ),
        (
            "chefsnatverk-ekb",
            "dialogtraff-migrationsverket-2027",
            "Dialogträff med Migrationsverket",
            date(2027, 3, 3),
            FLEMINGSBERG,
        ),
    )
]

OSTFOLD_VISIT = {
    "network": "kontaktpersoner-ostfold",
    "title": "Kommunebesøk: bosetting og integrering",
    "hours": ((9, 0), (12, 0)),
    "zone": OSLO,
    "kind": "study_visit",
    "organiser": "Fylkesmannen i Østfold",
    "description": (
        "<p>Vi setter pris på om dere i forkant av besøket, innen 6. april, kort "
        "besvarer spørsmålene: Hvordan er bosettings- og integreringsarbeidet "
        "organisert? Hvordan er boligplanlegging og boliganskaffelse for flyktninger "
        "organisert?</p>"
    ),
}

OTHER_MEETINGS = [
    {
        "network": "ledningsgrupp",
        "slug": "ledningsgruppsmote-2026-12",
        "title": "Ledningsgruppsmöte",
        "day": date(2026, 12, 15),
        "hours": ((9, 0), (11, 0)),
        "kind": "steering_group_meeting",
        "organiser": "Botkyrka kommun",
        "venue": TUMBA,
    },
    {
        "network": "strategiska-forum",
        "slug": "forumplanering-2027-02",
        "title": "Planering av vårens strategiska forum",
        "day": date(2027, 2, 2),
        "hours": ((10, 0), (11, 30)),
        "kind": "network_meeting",
        "organiser": "Kommunförbundet Skåne",
        "venue": "Kommunförbundet Skåne, Lund",
    },
    {
        "network": "kontaktpersoner-ostfold",
        "slug": "nettverksmote-2027-03",
        "title": "Nettverksmøte for kontaktpersonene",
        "day": date(2027, 3, 10),
        "hours": ((10, 0), (14, 0)),
        "zone": OSLO,
        "kind": "network_meeting",
        "organiser": "Fylkesmannen i Østfold",
        "venue": "Fylkesmannen i Østfold, Moss",
        "join_details": "Skype-møte: lenke sendes ut i forkant.",
    },
    *(
        {**OSTFOLD_VISIT, "slug": f"kommunebesok-{day.isoformat()}", "day": day}
        for day in (date(2027, 4, 16), date(2027, 4, 17), date(2027, 4, 21))
    ),
]
