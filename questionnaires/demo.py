"""The demo's questionnaire: Fylkesmannen i Østfold's six questions to the kommuner before the
municipal visits (seed 002, "svar frist 6. april"), open now on the Østfold site, organised by
its contact-person network. Aremark and Fredrikstad have sent their answers (Fredrikstad's by a
colleague the link was passed on to), Hvaler has saved a draft, the others have not answered.
Runs after the networks' demo; running it again changes nothing."""

from datetime import timedelta

from django.utils import timezone

from networks.models import NetworkPage
from portal.models import County

from . import services
from .models import AnswerVisibility, QuestionnaireField, QuestionnairePage, Recipients

SLUG = "kommunebesok-sporsmal"
QUESTIONS = [
    "Hvordan er bosettings- og integreringsarbeidet organisert?",
    "Hvilke utfordringer opplever dere i bosettingsarbeidet?",
    "Hvordan samarbeider dere med frivillige organisasjoner?",
    "Hvordan følger dere opp introduksjonsprogrammet?",
    "Hva ønsker dere å ta opp under besøket?",
    "Hvilke forventninger har dere til dette prosjektet?",
]
# (kommune, sent?, who answered, their address, the answers in the questions' order)
ANSWERS = [
    (
        "Aremark kommune",
        True,
        "Kari Nordmann",
        "kari.nordmann@example.org",
        [
            "Flyktningtjenesten ligger under NAV, med én koordinator i full stilling.",
            "Det er få utleieboliger i kommunen, og lange avstander til arbeid og skole.",
            "Røde Kors driver leksehjelp og en møteplass én kveld i uken.",
            "Hver deltaker har en fast kontaktperson og en plan som følges opp hver måned.",
            "Boligsituasjonen og samarbeidet med nabokommunene om norskopplæring.",
            "At prosjektet gir oss et nettverk med kommuner i samme situasjon.",
        ],
    ),
    (
        "Fredrikstad kommune",
        True,
        "Per Olsen",
        "per.olsen@example.org",
        [
            "Et eget introduksjonssenter med bosetting, voksenopplæring og oppfølging samlet.",
            "Å finne store nok boliger til familier, og ventetid på tolk.",
            "Frivilligsentralen og flere menigheter har faste aktiviteter for nyankomne.",
            "Tverrfaglige team følger opp deltakerne, med ukentlige møter med NAV.",
            "Hvordan Husbankens virkemidler kan brukes bedre i bosettingen.",
            "Erfaringsutveksling og felles kompetanseheving i fylket.",
        ],
    ),
    ("Hvaler kommune", False, "Lars Dahl", "lars.dahl@example.org", ["Under arbeid."]),
]


def _questionnaire(home, network, county) -> QuestionnairePage:
    existing = home.get_children().filter(slug=SLUG).first()
    if existing is not None:
        return existing.specific
    today = timezone.localdate()
    page = QuestionnairePage(
        title="Kommunebesøk – spørsmål til kommunene",
        slug=SLUG,
        intro="<p>Før kommunebesøkene ber Fylkesmannen hver kommune svare på seks spørsmål.</p>",
        opens_on=today - timedelta(days=7),
        deadline=today + timedelta(days=14),
        network=network,
        recipients_from=Recipients.COUNTY,
        county=county,
        visibility=AnswerVisibility.NETWORK,
        thank_you_text="<p>Takk for svaret. Vi ser frem til besøket.</p>",
        form_fields=[
            QuestionnaireField(label=label, field_type="multiline", required=True, sort_order=n)
            for n, label in enumerate(QUESTIONS)
        ],
    )
    home.add_child(instance=page)
    page.save_revision().publish()  # publishing settles the recipients from the register
    return page


def load(context):
    site = context.site("ostfold")
    network = (
        NetworkPage.objects.filter(slug="kontaktpersoner-ostfold").descendant_of(site.root_page)
    ).first()
    county = County.objects.get(country="NO", name="Østfold")
    questionnaire = _questionnaire(context.site_home("ostfold"), network, county)
    services.questionnaire_recipients_sync(questionnaire=questionnaire)
    names = [field.clean_name for field in questionnaire.form_fields.order_by("sort_order")]
    recipients = {
        r.organisation.name: r for r in questionnaire.recipients.select_related("organisation")
    }
    for municipality, send, name, email, texts in ANSWERS:
        recipient = recipients.get(municipality)
        if recipient is None or hasattr(recipient, "response"):
            continue
        services.response_save(
            recipient=recipient,
            data=dict(zip(names, texts, strict=False)),
            send=send,
            name=name,
            email=email,
        )
    answered = questionnaire.recipients.filter(response__submitted_at__isnull=False).count()
    context.log(
        f"questionnaires: {questionnaire.slug} to {len(recipients)} kommuner, {answered} answered"
    )
