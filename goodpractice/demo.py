"""Demo catalogue: the "Best Practice!" cases of seed 001, the examples of seed 003 and the
Østfold housing contacts of seed 002, with themes, target groups and municipalities."""

from datetime import date

from portal.models import Organisation
from portal.sites import site_index

from . import services
from .models import PracticeIndexPage, PracticePage, TargetGroup, Theme

PRACTICES = [
    {
        "slug": "hoor-lokalforsorjningsgrupp",
        "title": "Höörs kommun arbetar med en lokalförsörjningsgrupp",
        "organisations": ["Höörs kommun"],
        "themes": ["Bostadsförsörjning", "Långsiktig strategi och organisation"],
        "target_groups": ["Nyanlända vuxna", "Familjer"],
        "period_start": date(2016, 9, 1),
        "still_running": True,
        "summary": "En grupp från hela kommunen träffas kontinuerligt och går igenom kommunens "
        "behov av lokaler i stort, bland annat bostäder för de anvisade till kommunen.",
        "description": "Höörs kommun har satt ihop en grupp från hela kommunen som träffas "
        "kontinuerligt och går igenom kommunens behov av lokaler i stort. Där ingår bostäder "
        "för de anvisade till kommunen men även exempelvis skollokaler.",
        "what_was_done": "Gruppen representeras av flera förvaltningar och roller och har "
        "därmed en bred kompetens.",
        "results": "Ansvaret för bostadsförsörjningen fördelas på så sätt över hela kommunen.",
        "lessons_learned": "Bostadsfrågan för nyanlända blir hela kommunens fråga när den "
        "hanteras tillsammans med övrig lokalförsörjning.",
    },
    {
        "slug": "trelleborg-avtal-med-bostadsbolaget",
        "title": "Trelleborgs kommun avtalar med det kommunala bostadsbolaget",
        "organisations": ["Trelleborgs kommun"],
        "themes": ["Bostadsförsörjning", "Boende"],
        "target_groups": ["Nyanlända vuxna", "Familjer"],
        "period_start": date(2016, 6, 1),
        "still_running": True,
        "summary": "Det kommunala bostadsbolaget överlåter var fjärde uppsagd lägenhet till "
        "kommunen. Lägenheterna används till kommunanvisningar.",
        "description": "I Trelleborgs kommun överlåter det kommunala bostadsbolaget var fjärde "
        "uppsagd lägenhet till kommunen. Dessa används till kommunanvisningar.",
        "lessons_learned": "Avtal av detta slag kan exempelvis regleras i bolagets ägardirektiv.",
    },
    {
        "slug": "skurup-kommunicerar",
        "title": "Skurups kommun kommunicerar",
        "organisations": ["Skurups kommun"],
        "themes": ["Nya arbetssätt kring etableringsuppdraget"],
        "target_groups": ["Nyanlända vuxna"],
        "period_start": date(2017, 2, 1),
        "still_running": True,
        "summary": "Integrationsteamet påbörjade en kommunikationsinsats internt för att "
        "minimera risken att information försvinner.",
        "description": "Informationsflödet fungerade inte så bra i kommunen och "
        "integrationsteamet påbörjade en kommunikationsinsats internt.",
        "what_was_done": "En punktlista skickas ut kontinuerligt till organisationen och teamet "
        "planerar även att delta på alla APT-möten i kommunen.",
    },
    {
        "slug": "eslov-omorganiserar",
        "title": "Eslövs kommun omorganiserar",
        "organisations": ["Eslövs kommun"],
        "themes": ["Långsiktig strategi och organisation", "Arbete och sysselsättning"],
        "target_groups": ["Nyanlända vuxna"],
        "period_start": date(2017, 1, 1),
        "still_running": True,
        "summary": "Kommunstyrelsen har antagit ett integrationsprogram och integrationsfrågorna "
        "drivs centralt i tätare samarbete med Tillväxtavdelningen.",
        "description": "Kommunstyrelsen i Eslöv har antagit ett integrationsprogram. Utifrån "
        "programmet ska integrationsfrågorna verka centralt i kommunen tillsammans med andra "
        "förvaltningar vilket innebär en övergripande omställning.",
        "what_was_done": "Frågorna drivs i ett tätare samarbete med Tillväxtavdelningen för att "
        "sätta ett särskilt fokus på arbetsmarknadsfrågor.",
    },
    {
        "slug": "trelleborg-tillsammans",
        "title": "Trelleborg tillsammans",
        "organisations": ["Trelleborgs kommun"],
        "themes": ["Samhällsliv"],
        "target_groups": ["Nyanlända vuxna", "Familjer"],
        "period_start": date(2016, 1, 1),
        "still_running": True,
        "summary": "En lokal överenskommelse om samverkan mellan kommunen, föreningar och andra "
        "organisationer inom idéburen sektor.",
        "description": "Trelleborg Tillsammans är en lokal överenskommelse om samverkan mellan "
        "Trelleborgs kommun, föreningar och andra organisationer inom idéburen sektor i "
        "Trelleborg.",
        "what_was_done": "En grupp träffas kontinuerligt för att synliggöra föreningslivets och "
        "de idéburna organisationernas roll i kommunen. Den formulerar en vision och principer "
        "för det framtida samspelet mellan parterna.",
    },
    {
        "slug": "skurup-svedala-insatser-i-glappet",
        "title": "Samverkan för insatser i glappet",
        "organisations": ["Skurups kommun", "Svedala kommun"],
        "themes": ["Arbete och sysselsättning", "Nya arbetssätt kring etableringsuppdraget"],
        "target_groups": ["Nyanlända vuxna"],
        "period_start": date(2017, 3, 1),
        "still_running": False,
        "summary": "Två gemensamma tjänster arbetar över kommungränsen med dem som hamnat i "
        "glappet mellan Arbetsförmedlingens etableringsprogram och kommunen.",
        "description": "Skurup och Svedala kommun har lämnat en projektansökan för två tjänster "
        "med syfte att arbeta över kommungränser med insatser mot de individer som är i glappet "
        "mellan Arbetsförmedlingens etableringsprogram och kommunen.",
    },
    {
        "slug": "stromsund-begripligt-nu",
        "title": "Strömsunds kommun: begripligt.nu",
        "organisations": ["Strömsunds kommun"],
        "themes": ["Ensamkommande barn och unga", "Barn och unga"],
        "target_groups": ["Ensamkommande barn och unga"],
        "period_start": date(2014, 1, 1),
        "still_running": False,
        "summary": "Tre utvecklingsprojekt för en bättre start för unga nyanlända, med "
        "metoder som kan fungera såväl i Strömsund som i övriga landet.",
        "description": "Strömsunds kommun arbetar sedan flera år tillbaka med olika aktörer för "
        "att ge unga nyanlända en ännu bättre start. Arbetet är i slutfasen av tre "
        "utvecklingsprojekt som alla syftar till att förbättra för barn och ungdomar med "
        "uppehållstillstånd eller ensamkommande som söker asyl eller har fått avslag.",
        "results": "Målet är att arbeta för en gemensam grundsyn och hitta metoder som kan "
        "fungera såväl i Strömsund som i övriga delar av landet.",
        "links": ["http://www.begripligt.nu/"],
    },
    {
        "slug": "hoor-rutiner-ensamkommande-som-avvisas",
        "title": "Höörs kommun har säkerställt rutiner",
        "organisations": ["Höörs kommun"],
        "themes": ["Ensamkommande barn och unga"],
        "target_groups": ["Ensamkommande barn och unga"],
        "period_start": date(2017, 1, 1),
        "still_running": True,
        "summary": "Ett principiellt beslut säkerställer rutinerna kring ensamkommande som "
        "avvisas: individen stannar i kommunen tills beslutet vunnit laga kraft.",
        "description": "Kommunen har tagit ett principiellt beslut för att säkerställa rutiner "
        "kring de ensamkommande som avvisas. Trots att kommunen får lägre ersättning är de "
        "eniga om att behålla individen i kommunen tillsammans med överförmyndaren till dess "
        "att beslutet har vunnit laga kraft vid överklagan.",
        "lessons_learned": "Oavsett vilka rutinerna är, är det viktigt att kommunen har "
        "fastställt rutiner för processer som dessa.",
    },
    {
        "slug": "introduktionsstodjare-salem-upplands-vasby",
        "title": "Introduktionsstödjare i Salem och Upplands Väsby",
        "organisations": ["Salems kommun", "Upplands Väsby kommun", "Arbetsförmedlingen"],
        "themes": ["Nya arbetssätt kring etableringsuppdraget", "Arbete och sysselsättning"],
        "target_groups": ["Nyanlända vuxna"],
        "period_start": date(2017, 1, 1),
        "still_running": True,
        "summary": "Introduktionsstödjare ger introducerande stöd till nyanlända. Tjänsterna "
        "samfinansieras av kommunerna och Arbetsförmedlingen.",
        "description": "Introduktionsstödjarna arbetar med introducerande stöd till nyanlända i "
        "Salems och Upplands Väsby kommun.",
        "what_was_done": "Etablering Södertörn bjöd in introduktionsstödjarna till en träff "
        "tillsammans med annan intresserad personal hos kommunerna och hos Arbetsförmedlingen.",
        "results": "Ett gott exempel på hur kommuner och Arbetsförmedling kan samverka.",
        "cost_funding": "Tjänsterna samfinansieras av kommunerna och Arbetsförmedlingen.",
    },
    {
        "slug": "ostersund-mottagande-av-kvotflyktingar",
        "title": "Östersunds mottagande av kvotflyktingar",
        "organisations": ["Östersunds kommun"],
        "themes": ["Boende", "Nya arbetssätt kring etableringsuppdraget"],
        "target_groups": ["Kvotflyktingar", "Familjer"],
        "period_start": date(2015, 1, 1),
        "still_running": True,
        "summary": "Lång erfarenhet av kvotmottagande och en utarbetad metod, presenterad vid "
        "Etablering Södertörns seminarium den 15 juni.",
        "description": "Två personer från Östersunds kommun med lång erfarenhet av "
        "kvotmottagande och utarbetad metod presenterade sitt arbete.",
        "results": "Seminariet gav möjlighet att jämföra kunskaper och erfarenheter av "
        "kvotmottagande.",
    },
    {
        "slug": "privatuthyrning-nacka-taby-botkyrka",
        "title": "Projekt för privatuthyrning av bostäder",
        "organisations": ["Nacka kommun", "Täby kommun", "Botkyrka kommun"],
        "themes": ["Bostadsförsörjning", "Boende"],
        "target_groups": ["Nyanlända vuxna", "Familjer"],
        "period_start": date(2017, 3, 1),
        "still_running": True,
        "summary": "Tre projekt i länet letar privatbostäder till rimliga hyror för nyanlända, "
        "med hjälp av 37-medel från Länsstyrelsen i Stockholms län.",
        "description": "Tre projekt kring privatuthyrningar har i länet med hjälp av 37-medel "
        "från Länsstyrelsen i Stockholms län startat upp. Nackaklustrets och Täbyklustrets "
        "projekt pågår, medan Botkyrkaklustrets projektarbete är avslutat.",
        "results": "Arbetet med att hitta privatbostäder till rimliga hyror är arbetskrävande "
        "och ger inte alltid den utdelning i volym som kommunerna skulle önska.",
        "lessons_learned": "Konceptet förtjänar att följas upp eftersom det med jämna mellanrum "
        "resulterar i lyckade matchningar med goda bieffekter som leder till en snabbare "
        "etablering för nyanlända.",
        "cost_funding": "37-medel från Länsstyrelsen i Stockholms län.",
    },
    {
        "slug": "battre-bosattning",
        "title": "Bättre bosättning",
        "organisations": ["Huddinge kommun", "Stockholms stad"],
        "themes": ["Bostadsförsörjning", "Långsiktig strategi och organisation"],
        "target_groups": ["Nyanlända vuxna", "Familjer"],
        "period_start": date(2017, 1, 1),
        "still_running": True,
        "summary": "Ett gemensamt projekt av Huddinge kommun och Stockholms stad som "
        "kunskapsutvecklar personalen som arbetar med anvisade enligt bosättningslagen.",
        "description": "Projektet Bättre bosättning drivs av Huddinge kommun och Stockholms stad "
        "gemensamt. Projektledaren besökte bosättningsnätverket i början av projektet för att "
        "informera om vad projektet avser att utveckla.",
        "what_was_done": "Fokus har varit att kunskapsutveckla den personal som arbetar med "
        "målgruppen anvisade enligt bosättningslagen.",
    },
    {
        "slug": "ostfold-boligkontakter",
        "title": "Kontaktpersoner og boligkontakter i Østfold",
        "organisations": ["Fylkesmannen i Østfold", "Fredrikstad kommune", "Sarpsborg kommune"],
        "themes": ["Bostadsförsörjning", "Boende"],
        "target_groups": ["Nyanlända vuxna", "Familjer"],
        "period_start": date(2015, 4, 1),
        "still_running": False,
        "summary": "Prosjekt Bosetting av flyktninger i Østfold samler kontaktpersoner og "
        "boligkontakter fra kommunene for å skaffe egnede boliger til flyktninger.",
        "description": "Fylkesmannens bidrag til kommunenes bosettingsarbeid: et nettverk på "
        "systemnivå med én kontaktperson per kommune, og samlinger om boliger til flyktninger "
        "i Østfold og hva som finnes av muligheter.",
        "what_was_done": "Kontaktpersoner og boligkontakter samles, med Husbankens tilbud og "
        "boligsosialt arbeid på programmet.",
    },
]


# Which site's catalogue holds a practice: seed 001's "Best Practice!" cases are Skåne's, the
# Østfold contacts Østfold's, the rest Södertörn's. Some are shared in the national search.
SITE_OF = {
    "hoor-lokalforsorjningsgrupp": "skane",
    "trelleborg-avtal-med-bostadsbolaget": "skane",
    "skurup-kommunicerar": "skane",
    "eslov-omorganiserar": "skane",
    "trelleborg-tillsammans": "skane",
    "skurup-svedala-insatser-i-glappet": "skane",
    "stromsund-begripligt-nu": "skane",
    "hoor-rutiner-ensamkommande-som-avvisas": "skane",
    "ostfold-boligkontakter": "ostfold",
}
NATIONAL = {
    "trelleborg-avtal-med-bostadsbolaget",
    "stromsund-begripligt-nu",
    "privatuthyrning-nacka-taby-botkyrka",
    "ostfold-boligkontakter",
}


def _catalogue(context):
    """The Södertörn (default) site's catalogue; the other sites were made with theirs."""
    index = PracticeIndexPage.objects.child_of(context.home).first()
    if index is None:
        index = context.child_page(
            context.home,
            PracticeIndexPage,
            slug="goda-exempel",
            title="Goda exempel",
            show_in_menus=True,
            intro="Kommuner delar med sig av arbetssätt som fungerat i mottagandet och "
            "etableringen av nyanlända. Sök, filtrera och skicka in ert eget exempel.",
        )
    return index


def load(context):
    catalogues = {"sodertorn": _catalogue(context)}
    for key in ("skane", "ostfold"):
        catalogues[key] = site_index(PracticeIndexPage, context.site(key))
    services.moderation_workflow()
    themes = {t.name: t for t in Theme.objects.all()}
    groups = {g.name: g for g in TargetGroup.objects.all()}
    created = 0
    for spec in PRACTICES:
        index = catalogues[SITE_OF.get(spec["slug"], "sodertorn")]
        if index.get_children().filter(slug=spec["slug"]).exists():
            continue
        spec = dict(spec, national=spec["slug"] in NATIONAL)
        organisations = list(Organisation.objects.filter(name__in=spec.pop("organisations")))
        theme_names, group_names = spec.pop("themes"), spec.pop("target_groups")
        links = spec.pop("links", [])
        page = PracticePage(**spec)
        page.organisations.set(organisations)
        page.themes.set([themes[n] for n in theme_names])
        page.target_groups.set([groups[n] for n in group_names])
        page.county = next((o.county for o in organisations if o.county_id), None)
        for url in links:
            page.links.add(page.links.model(url=url))
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    context.log(f"good practices: {created} created, {len(PRACTICES) - created} already there")
