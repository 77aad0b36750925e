"""Quotes from questionnaires in the annual report: a strategist picks a sent answer of a
questionnaire of the year; its free text appears with the municipality's name, only to readers
who may read that questionnaire's answers (networks/access.py)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from questionnaires.models import AnswerVisibility
from reports.models import AnnualReportPage, ReportQuote
from tests.questionnaires.factories import make_questionnaire, sent_answer
from tests.reports.factories import YEAR
from tests.reports.helpers import generate, justera, page_text, pdf_text

WORDS = "Bostadsbristen gör att vi inte kan ta emot fler än tolv i år."


def _questionnaire(year, *, on, slug):
    return make_questionnaire(
        year.site.root_page,
        network=year.networks[1],  # Återsöksnätverket: its members may read the answers
        opens_on=date(on, 3, 1),
        deadline=date(on, 4, 6),
        visibility=AnswerVisibility.NETWORK,
        slug=slug,
    )


@pytest.fixture
def answer(year):
    from tests.factories import OrganisationFactory

    questionnaire = _questionnaire(year, on=YEAR, slug="behovsinventering")
    return sent_answer(questionnaire, OrganisationFactory(name="Botkyrka kommun"), text=WORDS)


def _quoting(year, answer):
    report = generate(year)
    draft = report.get_latest_revision_as_object()
    draft.quotes = [ReportQuote(answer=answer)]
    draft.save_revision(user=year.strategist)
    draft.save()
    return justera(AnnualReportPage.objects.get(pk=report.pk), year.approvers)


def test_a_picked_answer_is_quoted_with_its_municipality_to_those_who_may_read_it(year, answer):
    report = _quoting(year, answer)
    for reader in (year.members["atersok"], year.strategist):
        text = page_text(report, reader)
        assert WORDS in text and "Botkyrka kommun" in text
    assert WORDS not in page_text(report)  # the public version
    assert WORDS not in pdf_text(report)
    assert WORDS not in page_text(report, year.members["board"])  # not of that network


def test_an_answer_to_a_questionnaire_of_another_year_cannot_be_picked(year):
    from tests.factories import OrganisationFactory

    other = _questionnaire(year, on=YEAR + 1, slug="nasta-ar")
    quote = ReportQuote(page=generate(year), answer=sent_answer(other, OrganisationFactory()))
    with pytest.raises(ValidationError):
        quote.clean()


def test_reading_the_quotes_costs_the_same_queries_for_one_answer_as_for_three(year, answer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.selectors import _quotes
    from tests.factories import OrganisationFactory

    def queries(report):
        with CaptureQueriesContext(connection) as captured:
            assert _quotes(year.strategist, report)
        return len(captured)

    report = generate(year)
    report.quotes = [ReportQuote(answer=answer)]
    report.save()
    one = queries(AnnualReportPage.objects.get(pk=report.pk))
    questionnaire = answer.recipient.questionnaire
    more = [sent_answer(questionnaire, OrganisationFactory(), text=WORDS) for _ in range(2)]
    report.quotes = [ReportQuote(answer=a) for a in (answer, *more)]
    report.save()
    assert queries(AnnualReportPage.objects.get(pk=report.pk)) == one
