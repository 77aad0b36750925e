"""Demo content: a subscriber list and five issues written from the seeds.

Two issues are recorded as sent (with delivery records, nothing is mailed), one is scheduled a
week ahead, one is a draft, and one for the members of Nätverk för bosättningsfrågor is ready
to be sent from the admin, so the sending and its progress bar can be tried.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from networks.models import NetworkPage

from . import sending
from .models import (
    Delivery,
    DeliveryStatus,
    Dispatch,
    DispatchStatus,
    NewsletterIndexPage,
    NewsletterIssuePage,
    Subscriber,
    SubscriberList,
    Subscription,
    SubscriptionStatus,
)

SUBSCRIBERS = [
    ("lena.lind@botkyrka.example", SubscriptionStatus.CONFIRMED),
    ("omar.hassan@haninge.example", SubscriptionStatus.CONFIRMED),
    ("eva.berg@huddinge.example", SubscriptionStatus.CONFIRMED),
    ("per.nilsson@tyreso.example", SubscriptionStatus.CONFIRMED),
    ("medlem@example.org", SubscriptionStatus.CONFIRMED),
    ("ny.prenumerant@nacka.example", SubscriptionStatus.PENDING),
]


def _p(*texts):
    return ("paragraph", "".join(f"<p>{text}</p>" for text in texts))


def _h(text):
    return ("heading", {"text": text, "level": "h2"})


ISSUES = [
    {
        "slug": "nyhetsbrev-1-2017",
        "title": "Nyhetsbrev 1/2017: Prioriterat arbete för 2017",
        "intro": "Under tre dagar i december 2016 träffades 19 skånska kommuner för att lämna "
        "nulägesbild och önskemål inför 2017. Här är de fyra områden de valde.",
        "state": "sent",
        "sent": datetime(2017, 3, 1, 9, 0),
        "body": [
            _h("Bostadsförsörjning"),
            _p(
                "Alla kommuner nämner bostadsförsörjningen som den största utmaningen under 2017: "
                "att skapa de fysiska bostäderna, men också prövningar från Räddningstjänst, "
                "Försäkringskassan och försäkringsbolag samt avtals- och kontraktsskrivning.",
                "<b>Gott exempel:</b> I Trelleborgs kommun överlåter det kommunala bostadsbolaget "
                "var fjärde uppsagd lägenhet till kommunen. Lägenheterna används till "
                "kommunanvisningar.",
            ),
            _h("Långsiktig strategi och organisation"),
            _p(
                "Majoriteten av kommunerna vittnar om att 2016 inneburit ett akut läge. Nu finns "
                "förhoppningar om att integrationsfrågorna går mot en mer ordinarie verksamhet."
            ),
            ("news", {"heading": "Senaste nytt från integrationsbloggen", "count": 3, "posts": []}),
            (
                "events",
                {"heading": "Kommande träffar", "count": 3},
            ),
        ],
    },
    {
        "slug": "nyhetsbrev-2-2017",
        "title": "Nyhetsbrev 2/2017: Seminarium om mottagande av kvotflyktingar",
        "intro": "Den 15 juni samlades Södertörnskommunerna till ett seminarium om mottagandet av "
        "kvotflyktingar tillsammans med Östersunds kommun.",
        "state": "sent",
        "sent": datetime(2017, 6, 20, 9, 0),
        "body": [
            _p(
                "Två personer från Östersunds kommun med lång erfarenhet av kvotmottagande "
                "presenterade sitt arbete, från förberedelserna före ankomsten till de första "
                "månaderna i kommunen. Seminariet gav också möjlighet att jämföra erfarenheter.",
                "Årets kick-off samlade runt 50 personer. RFSL berättade om sitt arbete med "
                "asylsökande och nyanlända hbtq-personer och vilket stöd de kan erbjuda.",
            ),
            ("practices", {"heading": "Goda exempel från kommunerna", "count": 3}),
        ],
    },
    {
        "slug": "nyhetsbrev-3-2017",
        "title": "Nyhetsbrev 3/2017: Nyckeltalskonferensen den 26 oktober",
        "intro": "Södertörnskommunernas nyckeltalsrapport om nyanländas etablering presenteras på "
        "nyckeltalskonferensen den 26 oktober.",
        "state": "scheduled",
        "body": [
            _p(
                "Botkyrka kommun fick 2017 uppdraget att ta fram en nyckeltalsrapport kring "
                "nyanländas etablering. Botkyrka, Haninge, Huddinge, Nynäshamn, Salem, Tyresö och "
                "Värmdö deltog. Rapporten jämför hur de anvisade har bosatts, i vilken typ av "
                "boenden, under bosättningslagens första år.",
            ),
            ("events", {"heading": "Anmäl dig till kommande träffar", "count": 5}),
        ],
    },
    {
        "slug": "nyhetsbrev-4-2017",
        "title": "Nyhetsbrev 4/2017: Verksamhetsberättelse och året som gått",
        "intro": "Fem nätverk, en ledningsgrupp, fyra kunskapsträffar med Transkulturellt centrum "
        "och ett överskott på 95 190 kronor: så blev 2017.",
        "state": "draft",
        "body": [
            _p(
                "Under 2017 fanns fem nätverk och en ledningsgrupp. Ledningsgruppen träffades vid "
                "sex tillfällen för att följa upp verksamhetsplanen tillsammans med strategen.",
                "I slutet av året kom samarbetsytan i gång på allvar: nätverksmedlemmarna kan nu "
                "logga in för att läsa minnesanteckningar och hämta annat matnyttigt material.",
            ),
        ],
    },
    {
        "slug": "till-natverket-for-bosattningsfragor",
        "title": "Till nätverket för bosättningsfrågor: nytt från våren",
        "intro": "Ett nyhetsbrev bara till medlemmarna i Nätverk för bosättningsfrågor.",
        "state": "ready",
        "network": "Nätverk för bosättningsfrågor",
        "body": [
            _p(
                "Bosättningsnätverket har haft kunskapsträffar om boendekedjor på kort och lång "
                "sikt med Göteborgs stad, och om brandskydd i modulbostäder med Södertörns "
                "brandförsvarsförbund.",
                "Tre projekt kring privatuthyrning har startat i länet med 37-medel från "
                "Länsstyrelsen. Projektledaren för Bättre bosättning besöker nätverket i vår.",
            ),
            ("minutes", {"heading": "Nya minnesanteckningar", "count": 5, "days": 3650}),
        ],
    },
]


def _subscribers(context):
    subscriber_list, _created = SubscriberList.objects.get_or_create(
        slug="etablering-sodertorn",
        defaults={
            "name": "Nyhetsbrev från Etablering Södertörn",
            "description": "Nyheter om bosättning och etablering på Södertörn, några gånger per "
            "termin.",
        },
    )
    for email, status in SUBSCRIBERS:
        subscriber, _created = Subscriber.objects.get_or_create(email=email)
        Subscription.objects.get_or_create(
            subscriber=subscriber,
            subscriber_list=subscriber_list,
            defaults={
                "status": status,
                "consent_source": "demo: prenumerationsformuläret",
                "consent_text": "Jag vill få de nyhetsbrev jag valt via e-post.",
                "confirmed_at": timezone.now() if status == SubscriptionStatus.CONFIRMED else None,
            },
        )
    return subscriber_list


def _archive(context):
    return context.child_page(
        context.home,
        NewsletterIndexPage,
        slug="nyhetsbrev",
        title="Nyhetsbrev",
        show_in_menus=True,
        intro="Nyhetsbreven från nätverken. Prenumerera för att få nästa nummer via e-post.",
    )


def _issue(archive, spec, subscriber_list):
    existing = archive.get_children().filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing.specific, False
    issue = NewsletterIssuePage(
        slug=spec["slug"], title=spec["title"], intro=spec["intro"], body=spec["body"]
    )
    if spec["state"] == "draft":
        issue.live = False
    archive.add_child(instance=issue)
    network = NetworkPage.objects.filter(title=spec.get("network", "")).first()
    if spec.get("network"):
        issue.audience_networks.set([network] if network else [])
    else:
        issue.audience_lists.set([subscriber_list])
    revision = issue.save_revision()
    if spec["state"] != "draft":
        revision.publish()
    return NewsletterIssuePage.objects.get(pk=issue.pk), True


def _record_as_sent(issue, sent):
    """Resolve the audience and snapshot as a real sending would, then mark every row sent."""
    dispatch = Dispatch.objects.create(issue=issue, status=DispatchStatus.SCHEDULED)
    sending.dispatch_start(dispatch_id=dispatch.pk)
    when = timezone.make_aware(sent)
    dispatch.deliveries.update(status=DeliveryStatus.SENT, sent_at=when, attempts=1)
    Dispatch.objects.filter(pk=dispatch.pk).update(
        status=DispatchStatus.FINISHED, send_at=when, started_at=when, finished_at=when
    )


def load(context):
    subscriber_list = _subscribers(context)
    archive = _archive(context)
    strategist = context.users.get("strateg@example.org")
    for spec in ISSUES:
        issue, created = _issue(archive, spec, subscriber_list)
        if not created or Dispatch.objects.filter(issue=issue).exists():
            continue
        if spec["state"] == "sent":
            _record_as_sent(issue, spec["sent"])
        elif spec["state"] == "scheduled":
            sending.dispatch_schedule(
                issue=issue, user=strategist, send_at=timezone.now() + timedelta(days=7)
            )
    context.log(
        f"newsletters: {NewsletterIssuePage.objects.count()} issues, "
        f"{Delivery.objects.count()} delivery records, "
        f"{subscriber_list.subscriptions.count()} subscriptions"
    )
