"""Demo networks from the seeds: Etablering Södertörn's networks (seed 003) and the Østfold
contact-person network (seed 002, in Norwegian).

The people are invented (the seeds name real officials); their municipalities and positions come
from the seeds. Running this again changes nothing.
"""

import io
import tomllib
from pathlib import Path

from wagtail.documents import get_document_model

from portal.sites import site_index

from .models import Membership, NetworkIndexPage, Role
from .services import document_from_bytes, membership_add, network_create, network_setup

SODERTORN = [
    "Botkyrka kommun",
    "Haninge kommun",
    "Huddinge kommun",
    "Nacka kommun",
    "Nykvarns kommun",
    "Nynäshamns kommun",
    "Salems kommun",
    "Södertälje kommun",
    "Tyresö kommun",
    "Värmdö kommun",
]

# (slug, title, purpose, audience, meeting rhythm)
SODERTORN_NETWORKS = [
    (
        "bosattning",
        "Nätverk för bosättningsfrågor",
        "Nätverket hanterar frågor kring nyanlända vuxnas och familjers bosättning: "
        "anvisningsförfarandet, bostadsförsörjning och mottagandet i kommunen. Under året har två "
        "seminarier hållits för handläggare som arbetar med bosättningsfrågor.",
        "Enhetschefer och motsvarande i Södertörnskommunerna.",
        "Två till tre gånger per termin",
    ),
    (
        "vuxen-etablering",
        "Vuxen-etableringsgruppen",
        "Gruppen arbetar med nyanlända vuxnas och familjers etablering. Till mötena bjuds gäster "
        "in, till exempel Länsstyrelsen i Stockholms län som berättat om VIDA-projektet.",
        "Enhetschefer, flyktingsamordnare, handläggare m.fl.",
        "Två till tre gånger per termin",
    ),
    (
        "chefsnatverk-ekb",
        "Chefsnätverk EKB",
        "Ett chefsnätverk på enhets- och sektionschefsnivå för arbetet med ensamkommande barn och "
        "unga, både asylsökande och med uppehållstillstånd. Vid två tillfällen har dialogträffar "
        "hållits med Migrationsverket.",
        "Enhets- och sektionschefer inom arbetet med ensamkommande barn och unga.",
        "Två till tre gånger per termin, hos enheten för ensamkommande barn i Flemingsberg",
    ),
    (
        "handlaggarnatverk-ekb",
        "Handläggarnätverk EKB",
        "Ett handläggarnätverk huvudsakligen bestående av socialsekreterare. Hädanefter anordnas "
        "för gruppen främst seminarier och dialogträffar med externa aktörer, tillsammans med "
        "chefsnätverket EKB.",
        "Socialsekreterare som arbetar med ensamkommande barn och unga.",
        "Seminarier och dialogträffar, i Tumba",
    ),
    (
        "atersok",
        "Återsöksnätverket",
        "Nätverket delar kunskaper och erfarenheter kring återsökning av statlig ersättning, "
        "bland annat genom att gå igenom beslut från Migrationsverket och domslut.",
        "Handläggare som arbetar med återsökning (EKB, försörjningsstöd, äldre och sjuka).",
        "Fyra gånger per år, i Tumba",
    ),
    (
        "ledningsgrupp",
        "Ledningsgrupp",
        "Ledningsgruppen för Etablering Södertörn tar emot verksamhetsberättelsen och styr "
        "verksamhetens inriktning.",
        "Representanter för de tio finansierande kommunerna.",
        "Sex gånger per år",
    ),
]

# Invented people: (first name, last name, municipality index, title).
SODERTORN_PEOPLE = [
    ("Anna", "Lindqvist", 0, "Enhetschef, etablering"),
    ("Johan", "Berg", 1, "Flyktingsamordnare"),
    ("Fatima", "Ahmadi", 3, "Handläggare, bosättning"),
    ("Erik", "Sjöberg", 4, "Enhetschef"),
    ("Leila", "Haddad", 5, "Socialsekreterare"),
    ("Per", "Nyström", 6, "Sektionschef"),
    ("Sofia", "Karlsson", 7, "Handläggare, återsök"),
    ("Omar", "Yusuf", 8, "Integrationsstrateg"),
    ("Karin", "Holm", 9, "Socialchef"),
]
# Which people are in which network (indexes into SODERTORN_PEOPLE).
SODERTORN_MEMBERS = {
    "bosattning": [0, 2, 3, 8],
    "vuxen-etablering": [0, 1, 5, 7],
    "chefsnatverk-ekb": [3, 5, 8],
    "handlaggarnatverk-ekb": [4, 6],
    "atersok": [4, 6],
    "ledningsgrupp": [0, 3, 5, 8],
}

# Positions from seed 002 (2018; Hobøl and Spydeberg have been part of Indre Østfold since
# 2020); the names are invented.
OSTFOLD_PEOPLE = [
    ("Aremark kommune", "NAV-leder", "Kari", "Nordmann"),
    ("Fredrikstad kommune", "Spesialkonsulent", "Ola", "Hansen"),
    ("Indre Østfold kommune", "Skolefaglig rådgiver", "Ingrid", "Berge"),
    ("Hvaler kommune", "Kommunalsjef helse og velferd", "Lars", "Dahl"),
    ("Moss kommune", "Nestleder kommunalavdeling helse og sosial", "Silje", "Strand"),
    ("Rakkestad kommune", "NAV-leder", "Rune", "Lie"),
    ("Sarpsborg kommune", "Rådgiver, mangfold, inkludering og likeverd", "Nora", "Haugen"),
    ("Indre Østfold kommune", "Leder, familierelaterte tjenester", "Hilde", "Bakken"),
]

DATA = tomllib.loads(Path(__file__).with_name("demo_networks.toml").read_text("utf-8"))
# The documents of the networks' libraries, and the networks of the other sites by site.
DOCUMENTS = DATA.pop("document")
SITE_NETWORKS = DATA


def _index(context):
    """The Södertörn (default) site's network list; the other sites were made with theirs."""
    index = NetworkIndexPage.objects.child_of(context.home).first()
    if index is not None:
        return index
    return context.child_page(
        context.home,
        NetworkIndexPage,
        slug="natverk",
        title="Nätverk",
        show_in_menus=True,
        intro=(
            "<p>Nätverken samlar kommunernas chefer och handläggare kring bosättning och "
            "etablering "
            "av nyanlända. Varje nätverk har en sida för medlemmar med minnesanteckningar, "
            "kontaktlista och dokument. Vill du vara med? Kontakta nätverkets samordnare.</p>"
        ),
    )


def _network(context, index, *, slug, title, **fields):
    space_title = "For medlemmer" if fields.get("language") == "nb" else "För medlemmar"
    existing = index.get_children().filter(slug=slug).first()
    if existing is not None:
        return network_setup(network=existing.specific, space_title=space_title)
    return network_create(index=index, title=title, slug=slug, space_title=space_title, **fields)


def _site_network(context, key, members=()):
    """The network of another site (SITE_NETWORKS): its coordinator and those of `members`
    (e-mail addresses) whose accounts the demo has made are in it."""
    fields = SITE_NETWORKS[key]
    coordinator = fields.get("coordinator")
    contact = context.account(coordinator) if coordinator else None
    network = _network(
        context,
        site_index(NetworkIndexPage, context.site(key)),
        slug=fields["slug"],
        title=fields["title"],
        purpose=f"<p>{fields['purpose']}</p>",
        audience=fields["audience"],
        meeting_rhythm=fields["meeting_rhythm"],
        host_organisation=context.organisation(fields["host"]),
        language=fields["language"],
        **(
            {"contact_name": contact.get_full_name(), "contact_email": contact.email}
            if contact
            else {}
        ),
    )
    if contact is not None:
        _ensure_member(network, contact, Role.COORDINATOR)
    for email in members:
        if email in context.users:
            _ensure_member(network, context.users[email])
    return network


def _ensure_member(network, user, role=Role.MEMBER):
    if not Membership.objects.active().filter(network=network, user=user).exists():
        membership_add(network=network, user=user, role=role)


def _pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle(title)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, 780, title)
    pdf.setFont("Helvetica", 11)
    for n, line in enumerate(lines):
        pdf.drawString(72, 750 - 16 * n, line)
    pdf.save()
    return buffer.getvalue()


def _documents(context, networks):
    """The DOCUMENTS of these networks (by slug), each uploaded once."""
    for document in DOCUMENTS:
        network = networks.get(document["network"])
        if network is None:
            continue
        if "pdf_lines" in document:
            data = _pdf(document["pdf_title"], document["pdf_lines"])
        else:
            data = document["text"].encode()
        _document(
            network,
            title=document["title"],
            name=document["name"],
            data=data,
            uploaded_by=context.account(document["uploaded_by"]),
        )


def _document(network, *, title, name, data, uploaded_by):
    Document = get_document_model()
    if Document.objects.filter(collection_id=network.collection_id, title=title).exists():
        return
    document_from_bytes(network=network, title=title, name=name, data=data, uploaded_by=uploaded_by)


def _sodertorn(context, index):
    strateg = context.account("strateg@example.org")
    medlem = context.account("medlem@example.org")
    people = [
        context.person(first, last, SODERTORN[municipality], title)
        for first, last, municipality, title in SODERTORN_PEOPLE
    ]
    botkyrka = context.organisation("Botkyrka kommun")
    networks = {}
    for slug, title, purpose, audience, rhythm in SODERTORN_NETWORKS:
        network = _network(
            context,
            index,
            slug=slug,
            title=title,
            purpose=f"<p>{purpose}</p>",
            audience=audience,
            meeting_rhythm=rhythm,
            host_organisation=botkyrka,
            contact_name=strateg.get_full_name(),
            contact_email=strateg.email,
            language="sv",
        )
        if not network.participating_organisations.exists():
            network.participating_organisations.set(
                [context.organisation(name) for name in SODERTORN]
            )
        _ensure_member(network, strateg, Role.COORDINATOR)
        for person in SODERTORN_MEMBERS[slug]:
            _ensure_member(network, people[person])
        networks[slug] = network
    for slug in ("bosattning", "vuxen-etablering"):
        _ensure_member(networks[slug], medlem)
    _documents(context, networks)
    return networks


def _ostfold(context):
    network = _site_network(context, "ostfold")
    for municipality, position, first, last in OSTFOLD_PEOPLE:
        _ensure_member(
            network, context.person(first, last, municipality, position, preferred_language="nb")
        )
    _documents(context, {network.slug: network})
    return network


def load(context):
    index = _index(context)
    networks = _sodertorn(context, index)
    ostfold = _ostfold(context)
    # Seed 001: the strategic forums of Kommunförbundet Skåne. Maja (Huddinge) takes part as
    # well, so one demo account belongs to networks on two sites.
    skane = _site_network(context, "skane", members=("kommun@example.org", "medlem@example.org"))
    # The national network: regional strategists of 134 municipalities, twice a year. Sara
    # (Södertörn) and Lena (Skåne) sit in it beside their regional networks.
    niski = _site_network(context, "niski", members=("strateg@example.org", "skane@example.org"))
    context.log(
        f"networks: {len(networks) + 3} ({', '.join(sorted(networks))}, {ostfold.slug} "
        f"on the Østfold site, {skane.slug} on the Skåne site, {niski.slug} on the NISKI site)"
    )
