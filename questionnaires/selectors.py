"""Reads the questionnaire screens share: the board, the summaries and the export."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import questions_of
from .models import QuestionnaireRecipient, QuestionnaireResponse


@dataclass
class Tally:
    label: str
    answered: int = 0
    total: int = 0
    rows: list = field(default_factory=list)

    @property
    def rate(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def recipients_with_answers(questionnaire):
    return (
        QuestionnaireRecipient.objects.filter(questionnaire=questionnaire)
        .select_related("organisation__county", "response")
        .order_by("organisation__county__name", "organisation__name")
    )


def answer_of(recipient):
    try:
        return recipient.response
    except QuestionnaireResponse.DoesNotExist:
        return None


def board(questionnaire) -> tuple[Tally, list[Tally]]:
    """Answered and not answered, per county and in all: a draft counts as not answered."""
    total = Tally(label="")
    counties: dict[str, Tally] = {}
    for recipient in recipients_with_answers(questionnaire):
        county = recipient.organisation.county
        name = county.name if county else ""
        tally = counties.setdefault(name, Tally(label=name))
        answer = answer_of(recipient)
        done = answer is not None and answer.is_submitted
        for t in (tally, total):
            t.total += 1
            t.answered += done
        tally.rows.append((recipient, answer))
    return total, list(counties.values())


def submitted_answers(questionnaire):
    return (
        QuestionnaireResponse.objects.filter(
            recipient__questionnaire=questionnaire, submitted_at__isnull=False
        )
        .select_related("recipient__organisation__county")
        .order_by("recipient__organisation__name")
    )


def answers_table(questionnaire) -> tuple[list, Iterable[list]]:
    """The export's header and a row per submitted answer (portal/exports.py writes them)."""
    columns = [c for q in questions_of(questionnaire.get_form_fields()) for c in q.columns]
    header = [
        _("Municipality"), _("County"), _("Sent"), _("Answered by"), _("E-mail"),
        *[label for _name, label in columns],
    ]  # fmt: skip
    rows = (
        [
            answer.recipient.organisation.name,
            getattr(answer.recipient.organisation.county, "name", ""),
            timezone.localtime(answer.submitted_at).strftime("%Y-%m-%d %H:%M"),
            answer.answered_by_name,
            answer.answered_by_email,
            *[_cell(answer.form_data.get(name)) for name, _label in columns],
        ]
        for answer in submitted_answers(questionnaire)
    )
    return header, rows


def _cell(value):
    return ", ".join(value) if isinstance(value, list) else value


def summary(questionnaire, *, with_quotes: bool) -> list[dict]:
    """Per question: counts per answer option (per row for a matrix), and free text to quote."""
    answers = [a.form_data for a in submitted_answers(questionnaire)]
    result = []
    for question in questions_of(questionnaire.get_form_fields()):
        item = {"question": question, "rows": [], "quotes": []}
        if question.choices:
            for name, row in question.columns:
                counts = Counter()
                for data in answers:
                    value = data.get(name)
                    for v in value if isinstance(value, list) else [value]:
                        if v not in (None, ""):
                            counts[v] += 1
                most = max(counts.values(), default=0)
                bars = [
                    {
                        "label": c,
                        "count": counts[c],
                        "width": 100 * counts[c] // most if most else 0,
                    }
                    for c in question.choices
                ]
                item["rows"].append({"label": row, "bars": bars})
        elif question.is_free_text and with_quotes:
            [(name, _row)] = question.columns
            item["quotes"] = [data[name] for data in answers if data.get(name)]
        result.append(item)
    return result


def visit_answers(visit) -> dict:
    """The sent answers the visit prepares for: the visited municipality's, or all of them."""
    answers = submitted_answers(visit.questionnaire)
    if visit.organisation_id:
        answers = answers.filter(recipient__organisation_id=visit.organisation_id)
    columns = [c for q in questions_of(visit.questionnaire.get_form_fields()) for c in q.columns]
    return {
        "questionnaire": visit.questionnaire,
        "answers": [
            {
                "municipality": a.recipient.organisation.name,
                "items": [(label, a.form_data.get(name)) for name, label in columns],
            }
            for a in answers
        ],
    }


def network_questionnaires(network):
    """The live questionnaires a network organises, newest deadline first, each with how many
    municipalities were asked (`asked`) and how many have sent their answer (`answered`)."""
    from django.db.models import Count, Q

    from .models import QuestionnairePage

    return (
        QuestionnairePage.objects.live()
        .filter(network=network)
        .annotate(
            asked=Count("recipients", distinct=True),
            answered=Count(
                "recipients",
                filter=Q(recipients__response__submitted_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-deadline", "pk")
    )
