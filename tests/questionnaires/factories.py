"""Questionnaires for tests: seed 002's six questions to the Østfold kommuner (18 in the seed,
12 since 2024)."""

from datetime import timedelta

import factory
from django.utils import timezone

from portal.models import County
from questionnaires.demo import QUESTIONS
from questionnaires.models import (
    QuestionnaireField,
    QuestionnairePage,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    Recipients,
)
from tests.factories import PageFactory

# Seed 002's six questions, as the demo asks them (questionnaires/demo.py).
SEED_002_QUESTIONS = QUESTIONS


class QuestionnairePageFactory(PageFactory):
    """Published, open since yesterday until ten days from now, with seed 002's questions, for
    Østfold's kommuner unless told otherwise."""

    class Meta:
        model = QuestionnairePage

    title = "Kommunebesøk 2027 – spørsmål til kommunene"
    slug = "kommunebesok-2027"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))
    deadline = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=10))
    recipients_from = Recipients.COUNTY
    county = factory.LazyFunction(lambda: County.objects.get(country="NO", name="Østfold"))
    form_fields = factory.LazyFunction(
        lambda: [
            QuestionnaireField(label=label, field_type="multiline", required=True)
            for label in SEED_002_QUESTIONS
        ]
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # In the order given, as the admin's form saves them (otherwise all sort_order are
        # empty, and PostgreSQL may return the questions in any order).
        for number, field in enumerate(kwargs.get("form_fields") or []):
            if field.sort_order is None:
                field.sort_order = number
        return super()._create(model_class, *args, **kwargs)


def make_questionnaire(home, *, network=None, deadline=None, fields=None, **kwargs):
    """A questionnaire under `home` (see QuestionnairePageFactory)."""
    if fields is not None:
        kwargs["form_fields"] = fields
    if deadline is not None:
        kwargs["deadline"] = deadline
    return QuestionnairePageFactory(parent=home, network=network, **kwargs)


def answers(questionnaire, text="Vi har en egen flyktningtjeneste.", **overrides):
    data = {field.clean_name: text for field in questionnaire.form_fields.all()}
    data.update(answered_by_name="Kari Nordmann", answered_by_email="kari@aremark.example")
    data.update(overrides)
    return data


def sent_answer(questionnaire, organisation, text="Vi har en egen flyktningtjeneste."):
    """A municipality's sent answer, as `response_save` records it, whatever today's date."""
    recipient, _created = QuestionnaireRecipient.objects.get_or_create(
        questionnaire=questionnaire, organisation=organisation
    )
    return QuestionnaireResponse.objects.create(
        recipient=recipient,
        page=questionnaire,
        form_data={field.clean_name: text for field in questionnaire.form_fields.all()},
        submitted_at=timezone.now(),
    )
