"""Demo minutes from seed 003 (Etablering Södertörn's year 2017), made through the real workflow.

Runs after the networks and events demos. The 2017 meetings the minutes belong to are made here
when the events demo has not made them (past meetings invite nobody). Some minutes are approved
and published, one waits for medlem@example.org to approve it, and the action items are a mix
of open and done. Running it again changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from wagtail.documents import get_document_model

from events.models import AgendaItem, EventPage, Registration, Response
from networks.models import NetworkPage

from . import selectors, services
from .models import ActionItem, ActionItemStatus, MinutesAttachment
from .stepup import Authentication

STOCKHOLM = ZoneInfo("Europe/Stockholm")


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


def _p(*paragraphs):
    return "".join(f"<p>{text}</p>" for text in paragraphs)


def _ul(*items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


MINUTES = [
    DemoMinutes(
        network="bosattning",
        slug="kunskapstraff-goteborgs-stad-2017-03",
        title="Kunskapsträff med Göteborgs stad om boendekedjor",
        day=date(2017, 3, 15),
        venue="Tumba kommunhus",
        kind="network_meeting",
        agenda=[
            (
                time(13, 0),
                "Boendekedjor på kort och lång sikt",
                "Göteborgs stad",
                _p(
                    "Två nyckelpersoner från Göteborgs stad berättade om hur staden bygger "
                    "boendekedjor: från första boende via mellanboenden till ett mer permanent "
                    "och välfungerande boende.",
                    "Diskussionen gällde särskilt hur kommunerna kan motivera personer att "
                    "flytta till mellanboenden med lägre standard för att på lång sikt kunna "
                    "placeras i ett permanent boende.",
                ),
                _p("Nätverket sammanställer kommunernas erfarenheter av mellanboenden."),
            ),
            (
                time(14, 15),
                "Projekt för privatuthyrning",
                "",
                _p(
                    "Botkyrkaklustret, Nackaklustret och Täbyklustret berättade om sina projekt "
                    "med 37-medel från Länsstyrelsen. Att hitta privatbostäder till rimliga "
                    "hyror är arbetskrävande men ger lyckade matchningar."
                ),
                "",
            ),
            (
                time(15, 0),
                "Övriga frågor och nästa möte",
                "",
                _p("Nästa möte blir en kunskapsträff med Södertörns brandförsvarsförbund."),
                _p("Strategen bjuder in brandförsvaret tillsammans med Koordination Norrort."),
            ),
        ],
        present=[
            "strateg@example.org",
            "medlem@example.org",
            "anna.lindqvist@example.org",
            "fatima.ahmadi@example.org",
        ],
        apologies=["erik.sjoberg@example.org"],
        guests=[("Lena Ek", "Göteborgs stad"), ("Mats Olsson", "Göteborgs stad")],
        approvers=["anna.lindqvist@example.org"],
        actions=[
            (
                "Skicka Göteborgs stads presentation till nätverket",
                "strateg@example.org",
                date(2017, 3, 22),
                True,
            ),
            (
                "Sammanställ kommunernas erfarenheter av mellanboenden",
                "fatima.ahmadi@example.org",
                10,
                False,
            ),
            (
                "Ta kontakt med det kommunala bostadsbolaget om var fjärde lediga lägenhet",
                "medlem@example.org",
                3,
                False,
            ),
        ],
        attachment="Minnesanteckningar nätverk för bosättningsfrågor 15 mars 2017",
    ),
    DemoMinutes(
        network="bosattning",
        slug="kunskapstraff-brandforsvaret-2017-05",
        title="Kunskapsträff med Södertörns brandförsvarsförbund om modulbostäder",
        day=date(2017, 5, 10),
        venue="Tumba kommunhus",
        kind="network_meeting",
        agenda=[
            (
                time(13, 0),
                "Brandskydd i modulbostäder och andra snabba boendelösningar",
                "Södertörns brandförsvarsförbund",
                _p(
                    "Modulbostäder och andra snabba boendelösningar har tagits fram på kort tid, "
                    "och brandskyddet har varit en viktig fråga. Brandförsvaret gick igenom vad "
                    "som räknas som gemensamhetsboende och vilka brandregler som gäller där."
                ),
                _p("Brandförsvaret skickar sin checklista för gemensamhetsboenden till nätverket."),
            ),
            (
                time(14, 30),
                "Frågor från kommunerna",
                "",
                _p("Träffen gjordes i samverkan med Koordination Norrort."),
                "",
            ),
        ],
        present=[
            "strateg@example.org",
            "medlem@example.org",
            "fatima.ahmadi@example.org",
            "karin.holm@example.org",
        ],
        guests=[("Jonas Brand", "Södertörns brandförsvarsförbund")],
        approvers=["medlem@example.org"],
        actions=[
            (
                "Dela brandförsvarets checklista med bostadsenheterna",
                "karin.holm@example.org",
                14,
                False,
            ),
        ],
        publish=False,
    ),
    DemoMinutes(
        network="chefsnatverk-ekb",
        slug="dialogtraff-migrationsverket-2017-04",
        title="Dialogträff med Migrationsverket",
        day=date(2017, 4, 5),
        venue="Flemingsberg, enheten för ensamkommande barn och unga",
        kind="dialogue_meeting",
        agenda=[
            (
                time(13, 0),
                "Rutiner kring unga som har blivit åldersuppskrivna",
                "Migrationsverket",
                _p("Migrationsverkets regionala expert gick igenom rutinerna."),
                "",
            ),
            (
                time(13, 45),
                "Asylsökande 18-åringars flytt till Migrationsverkets boenden",
                "",
                _p(
                    "Socialsekreterarna har haft svårt att motivera ungdomarna och planera för "
                    "flytt eftersom framförhållning har saknats från Migrationsverkets sida."
                ),
                _p("Nätverket begär att få besked om flytt minst två veckor i förväg."),
            ),
            (
                time(14, 30),
                "Den statliga ersättningen för att behålla asylsökande 18-åringar",
                "",
                _p("Tolkningar av hur ersättningen kan och bör användas."),
                "",
            ),
        ],
        present=[
            "strateg@example.org",
            "erik.sjoberg@example.org",
            "per.nystrom@example.org",
            "karin.holm@example.org",
        ],
        guests=[("Regional expert", "Migrationsverket")],
        approvers=["per.nystrom@example.org"],
        actions=[
            (
                "Skicka nätverkets frågor om flyttrutiner till Migrationsverket",
                "strateg@example.org",
                date(2017, 4, 19),
                True,
            ),
        ],
    ),
    DemoMinutes(
        network="handlaggarnatverk-ekb",
        slug="dialogtraff-migrationsverket-2017-10",
        title="Dialogträff med Migrationsverket tillsammans med chefsnätverket",
        day=date(2017, 10, 11),
        venue="Tumba kommunhus",
        kind="dialogue_meeting",
        agenda=[
            (
                time(13, 0),
                "Det nya ersättningssystemet för ensamkommande barn och unga",
                "Migrationsverket",
                _p("Hur rutiner och rättspraxis utvecklas på området."),
                _p(
                    "Hädanefter anordnas för handläggarnätverket seminarier och dialogträffar "
                    "tillsammans med chefsnätverket EKB."
                ),
            ),
        ],
        present=[
            "strateg@example.org",
            "leila.haddad@example.org",
            "sofia.karlsson@example.org",
        ],
        guests=[("Regional expert", "Migrationsverket")],
        approvers=["leila.haddad@example.org", "sofia.karlsson@example.org"],
    ),
    DemoMinutes(
        network="ledningsgrupp",
        slug="ledningsgruppsmote-2017-11",
        title="Ledningsgruppsmöte",
        day=date(2017, 11, 28),
        venue="Tumba kommunhus",
        kind="steering_group_meeting",
        agenda=[
            (
                time(9, 0),
                "Uppföljning av verksamhetsplanen 2017",
                "Sara Strateg",
                _p("Strategen redovisade årets nätverk, seminarier och kunskapsträffar."),
                "",
            ),
            (
                time(9, 45),
                "Revidering av den gemensamma överenskommelsen",
                "",
                _ul(
                    "Ledningsgruppens sammansättning utifrån mandat.",
                    "Vilken kommun som har ordförandeskapet och vilken som är värdkommun.",
                ),
                _p("Den reviderade överenskommelsen antogs."),
            ),
        ],
        present=[
            "strateg@example.org",
            "anna.lindqvist@example.org",
            "erik.sjoberg@example.org",
            "karin.holm@example.org",
        ],
        apologies=["per.nystrom@example.org"],
        approvers=["karin.holm@example.org"],
        actions=[
            (
                "Ta fram förslag till verksamhetsplan 2018",
                "strateg@example.org",
                date(2017, 12, 15),
                True,
            ),
        ],
    ),
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
