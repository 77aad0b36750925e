"""Questionnaires for tests: seed 002's six questions to the 18 Østfold kommuner."""

from datetime import timedelta

from django.utils import timezone

from portal.models import County
from questionnaires.models import QuestionnaireField, QuestionnairePage, Recipients

SEED_002_QUESTIONS = [
    "Hvordan er bosettings- og integreringsarbeidet organisert?",
    "Hvilke utfordringer opplever dere i bosettingsarbeidet?",
    "Hvordan samarbeider dere med frivillige organisasjoner?",
    "Hvordan følger dere opp introduksjonsprogrammet?",
    "Hva ønsker dere å ta opp under besøket?",
    "Hvilke forventninger har dere til dette prosjektet?",
]


def make_questionnaire(home, *, network=None, deadline=None, fields=None, **kwargs):
    """Published, open since yesterday, for Østfold's kommuner unless told otherwise."""
    today = timezone.localdate()
    if fields is None:
        fields = [
            QuestionnaireField(label=label, field_type="multiline", required=True)
            for label in SEED_002_QUESTIONS
        ]
    kwargs.setdefault("recipients_from", Recipients.COUNTY)
    kwargs.setdefault("county", County.objects.get(country="NO", name="Østfold"))
    page = QuestionnairePage(
        title="Kommunebesøk 2027 – spørsmål til kommunene",
        slug="kommunebesok-2027",
        opens_on=today - timedelta(days=1),
        deadline=deadline or today + timedelta(days=10),
        network=network,
        form_fields=fields,
        **kwargs,
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return QuestionnairePage.objects.get(pk=page.pk)


def answers(questionnaire, text="Vi har en egen flyktningtjeneste.", **overrides):
    data = {field.clean_name: text for field in questionnaire.form_fields.all()}
    data.update(answered_by_name="Kari Nordmann", answered_by_email="kari@aremark.example")
    data.update(overrides)
    return data
