"""The annual report's editor offers, as quotes, only the sent answers the editing user may read
(networks/access.py `can_view_questionnaire_answers`) of questionnaires of the report's site and
year, and accepts no other: an editor of another site, or one who may not read a questionnaire's
answers, neither sees its answers' labels nor can post one (reports/forms.py). The report's
networks and approvers, and an external meeting's attendees, are offered from the record's own
site only."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from networks.access import moderators_group, strategists_group
from portal.sites import site_create
from questionnaires.models import AnswerVisibility
from reports.models import AnnualReportPage, ReportQuote
from tests.factories import OrganisationFactory, UserFactory
from tests.questionnaires.factories import make_questionnaire, sent_answer
from tests.reports.factories import YEAR
from tests.reports.helpers import client_for, generate

QUESTIONNAIRE = "Behovsinventering bosättning"
LABEL = f"Botkyrka kommun – {QUESTIONNAIRE}"
REFUSAL = "Välj ett skickat svar som du får läsa"


@pytest.fixture
def answer(year):
    questionnaire = make_questionnaire(
        year.site.root_page,
        network=year.networks[1],
        title=QUESTIONNAIRE,
        slug="behovsinventering",
        opens_on=date(YEAR, 3, 1),
        deadline=date(YEAR, 4, 6),
        visibility=AnswerVisibility.NETWORK,
    )
    return sent_answer(questionnaire, OrganisationFactory(name="Botkyrka kommun"))


@pytest.fixture
def report(year, answer):
    return generate(year)


@pytest.fixture
def skane_report(year):
    """Kommunförbundet Skåne's report of the same year, and its strategist."""
    skane = site_create(name="Kommunförbundet Skåne", hostname="skane.localhost")
    strategist = UserFactory(email="strateg@skane.example", first_name="Sven", last_name="Skånsk")
    strategist.groups.add(strategists_group(skane))
    page = AnnualReportPage(title="Verksamhetsberättelse Skåne", slug="vb-skane", year=YEAR)
    skane.root_page.add_child(instance=page)
    page.save_revision(user=strategist)
    return page, strategist


@pytest.fixture
def moderator(year):
    """A moderator of Södertörn: may edit the site's pages, may not read the answers."""
    person = UserFactory(email="moderator@example.org")
    person.groups.add(moderators_group(year.site))
    return person


def _edit(report, user):
    response = client_for(user).get(reverse("wagtailadmin_pages:edit", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _post_quote(report, user, answer):
    """What the editor posts to save a draft quoting `answer` (no chapters, no approvers)."""
    data = nested_form_data(
        {
            "title": report.title,
            "slug": report.slug,
            "year": str(report.year),
            "chapters": streamfield([]),
            "economy": streamfield([]),
            "quotes": inline_formset([{"answer": str(answer.pk)}]),
            "comments": inline_formset([]),
        }
    )
    return client_for(user).post(reverse("wagtailadmin_pages:edit", args=[report.pk]), data)


def _quoted(report) -> list[int]:
    draft = AnnualReportPage.objects.get(pk=report.pk).get_latest_revision_as_object()
    return [quote.answer_id for quote in draft.quotes.all()]


def test_the_sites_strategist_is_offered_the_answer_and_quotes_it(year, answer, report):
    assert LABEL in _edit(report, year.strategist)
    response = _post_quote(report, year.strategist, answer)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _quoted(report) == [answer.pk]


def test_an_editor_of_another_site_is_not_offered_it_and_cannot_post_it(year, answer, skane_report):
    page, strategist = skane_report
    assert LABEL not in _edit(page, strategist)

    response = _post_quote(page, strategist, answer)

    assert response.status_code == 200  # the form again with the error, not a 500
    assert REFUSAL in response.content.decode()
    assert _quoted(page) == []


def test_an_editor_who_may_not_read_the_answers_is_not_offered_them(year, report, moderator):
    assert LABEL not in _edit(report, moderator)


def test_an_editor_who_may_not_read_the_answers_cannot_post_one(year, answer, report, moderator):
    response = _post_quote(report, moderator, answer)

    assert response.status_code == 200
    assert REFUSAL in response.content.decode()
    assert _quoted(report) == []


def test_a_quote_picked_by_a_reader_is_kept_unnamed_for_an_editor_who_may_not_read_it(
    year, answer, report, moderator
):
    draft = report.get_latest_revision_as_object()
    draft.quotes = [ReportQuote(answer=answer)]
    draft.save_revision(user=year.strategist)

    html = _edit(report, moderator)

    assert LABEL not in html
    assert "Ett svar du inte får välja (behålls som det är)" in html


def test_the_offered_answers_cost_the_same_queries_for_one_as_for_three(year, answer, report):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert LABEL in _edit(report, year.strategist)
        return len(captured)

    queries()  # the first request of the test warms the worker's caches (menus, settings)
    one = queries()
    questionnaire = answer.recipient.questionnaire
    for name in ("Huddinge kommun", "Nynäshamns kommun"):
        sent_answer(questionnaire, OrganisationFactory(name=name))
    assert queries() == one


def test_a_report_offers_its_own_sites_networks_and_people_only(year, report, skane_report):
    own = _edit(report, year.strategist)
    assert "Återsöksnätverket" in own and "Bertil Justerare" in own

    page, strategist = skane_report
    other = _edit(page, strategist)

    assert "Återsöksnätverket" not in other
    assert "Bertil Justerare" not in other and "Sara Strateg" not in other


def test_an_external_meeting_offers_the_people_of_the_strategists_sites_only(year, skane_report):
    _page, skane_strategist = skane_report
    url = reverse("wagtailsnippets_reports_externalmeeting:add")
    offered = client_for(year.strategist).get(url).context["form"].fields["attendees"].queryset

    assert {year.strategist, year.approvers[0]} <= set(offered)
    assert skane_strategist not in offered


def test_the_revisions_comparison_names_no_quoted_answer(year, answer, report, moderator):
    draft = report.get_latest_revision_as_object()
    draft.quotes = [ReportQuote(answer=answer)]
    draft.save_revision(user=year.strategist)
    url = reverse("wagtailadmin_pages:revisions_compare", args=[report.pk, "earliest", "latest"])

    response = client_for(moderator).get(url)

    assert response.status_code == 200
    assert LABEL not in response.content.decode()
    assert f"Svar nr {answer.pk}" in response.content.decode()
