"""The demo's annual report: Etablering Södertörn's 2017 (seed 003), drafted from the demo's
2017 data by strateg@example.org, with seed 003's economy and analysis, justerad by two members
of the steering group and published. Runs after the other demos; running it again changes
nothing."""

from datetime import date

from wagtail.models import Site
from wagtail.rich_text import RichText

from networks.minutes import services as minutes_services
from networks.minutes.demo import demo_decision
from networks.minutes.selectors import network_members_ids
from networks.models import NetworkPage
from portal.sites import site_pages_q

from . import services
from .models import AnnualReportPage, ExternalMeeting

YEAR = 2017
EXTERNAL = [
    (date(YEAR, 2, 9), "NISKI i Göteborg", "NISKI", "national"),
    (date(YEAR, 9, 21), "NISKI i Stockholm", "NISKI och Stockholms stad", "national"),
    (date(YEAR, 4, 25), "SKL:s referensgrupp om anvisningar och bosättning", "SKL", "national"),
    (date(YEAR, 3, 8), "Regionalt expertnätverk EKB", "Länsstyrelsen i Stockholms län", "regional"),
    (date(YEAR, 5, 17), "Beredningsgruppen för samhällsorientering", "Länsstyrelsen", "regional"),
]
# Seed 003's chapter 9: a surplus of 95 190 kr, the meeting rooms and the kick-off's speaker
# cost less than budgeted. Four columns: on a phone the table is one block per row.
ECONOMY = [
    ["Post", "Budget (kr)", "Utfall (kr)", "Avvikelse (kr)"],
    ["Avgifter från de tio kommunerna", "850 000", "850 000", "0"],
    ["Strategtjänst (lön och sociala avgifter)", "−690 000", "−688 310", "1 690"],
    ["Möteslokaler utanför kommunhuset i Tumba", "−60 000", "−12 500", "47 500"],
    ["Föreläsare, kick-off och seminarier", "−70 000", "−24 000", "46 000"],
    ["Fika och material", "−30 000", "−30 000", "0"],
    ["Resultat 2017 (överskott)", "0", "95 190", "95 190"],
]
ANALYSIS = (
    "<p>Under året har det i kommunerna funnits ett stort behov av kommunikation med "
    "Migrationsverket. Kommunernas representanter har fått en möjlighet till kunskapsutveckling "
    "och erfarenhetsutbyten inom en rad olika områden.</p>"
)


def _external_meetings(site, strategist):
    for day, title, organiser, kind in EXTERNAL:
        meeting, created = ExternalMeeting.objects.get_or_create(
            site=site, date=day, title=title, defaults={"organiser": organiser, "kind": kind}
        )
        if created and strategist is not None:
            meeting.attendees.add(strategist)


def _edited(report, author, approvers):
    """What the strategist writes: the economy, the analysis, and the two approvers."""
    draft = report.get_latest_revision_as_object()
    draft.title = f"Verksamhetsberättelse {YEAR}"
    draft.show_in_menus = True  # in the site's menu, where the crawl finds it
    draft.economy = [("table", {"data": ECONOMY, "first_row_is_table_header": True})]
    draft.chapters = [
        (
            "chapter",
            {**block.value, "body": RichText(ANALYSIS)}
            if block.value["number"] == "11"
            else block.value,
        )
        for block in draft.chapters
    ]
    draft.approvers = approvers
    draft.save_revision(user=author)
    draft.save()
    return AnnualReportPage.objects.get(pk=report.pk)


def load(context):
    from portal.models import User

    site = Site.objects.get(is_default_site=True)
    strategist = User.objects.filter(email="strateg@example.org").first()
    if strategist is None:
        return
    _external_meetings(site, strategist)
    if AnnualReportPage.objects.filter(site_pages_q(site), year=YEAR).exists():
        return
    networks = list(NetworkPage.objects.live().filter(site_pages_q(site)).order_by("title"))
    steering = next((n for n in networks if n.slug == "ledningsgrupp"), None)
    board = User.objects.filter(pk__in=network_members_ids(steering.pk) if steering else [])
    approvers = list(board.exclude(pk=strategist.pk).order_by("email")[:2])
    report = services.report_generate(
        site=site, year=YEAR, networks=networks, steering_group=steering, user=strategist
    )
    report = _edited(report, strategist, approvers)
    minutes_services.minutes_submit(minutes=report, user=strategist)
    for approver in approvers:
        minutes_services.minutes_approve(
            minutes=report, user=approver, authentication=demo_decision()
        )
    context.log(f"reports: the annual report {YEAR}, justerad by {len(approvers)}")
