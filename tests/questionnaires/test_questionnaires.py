"""Seed 002: Fylkesmannen asks the Østfold kommuner (18 in 2018, 12 today) six questions before the visits."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from networks.services import membership_add
from portal.models import Organisation
from questionnaires import selectors, services
from questionnaires.models import (
    MATRIX,
    QuestionnaireField,
    QuestionnairePage,
    QuestionnaireRecipient,
    Recipients,
)
from tests.access_matrix import MANAGERS, assert_only
from tests.factories import UserFactory

from .factories import SEED_002_QUESTIONS, answers, make_questionnaire

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire(world):
    page = make_questionnaire(world.network.get_parent().get_parent(), network=world.network)
    for recipient in page.recipients.select_related("organisation"):
        slug = recipient.organisation.name.split()[0].lower()
        recipient.contact_email = f"kontakt@{slug}.example"
        recipient.save()
    return page


def recipient(questionnaire, name):
    return questionnaire.recipients.get(organisation__name__startswith=name)


def link(recipient):
    return reverse("questionnaires:answer", args=[recipient.token])


def test_a_questionnaire_for_a_county_asks_each_of_its_municipalities_once(questionnaire):
    assert questionnaire.recipients.count() == 12
    assert [f.label for f in questionnaire.form_fields.all()] == SEED_002_QUESTIONS
    # Publishing again keeps the recipients (and their contact persons) as they are.
    questionnaire.save_revision().publish()
    assert questionnaire.recipients.exclude(contact_email="").count() == 12


def test_each_contact_gets_the_link_once_through_the_mail_server(questionnaire, smtp_server):
    assert services.questionnaires_invite_open() == 12
    assert services.questionnaires_invite_open() == 0
    smtp_server.wait_for(12)
    [message] = smtp_server.to("kontakt@aremark.example")
    body = smtp_server.body(message)
    assert link(recipient(questionnaire, "Aremark")) in body
    assert "Kommunebesøk 2027" in message["Subject"]


def test_two_answers_of_twelve_and_a_draft_that_does_not_count(world, questionnaire):
    aremark, halden, moss = (recipient(questionnaire, n) for n in ("Aremark", "Halden", "Moss"))
    assert Client().post(link(aremark), answers(questionnaire)).status_code == 302
    # Halden's contact passed the link on: the colleague who sends it is recorded.
    colleague = answers(
        questionnaire, answered_by_name="Ola Kollega", answered_by_email="ola@h.example"
    )
    assert Client().post(link(halden), colleague).status_code == 302
    draft = answers(
        questionnaire, action="draft", **{questionnaire.form_fields.first().clean_name: ""}
    )
    assert Client().post(link(moss), draft).status_code == 302

    total, counties = selectors.board(questionnaire)
    assert (total.answered, total.total, total.rate) == (2, 12, 17)
    halden.refresh_from_db()
    assert halden.response.answered_by_name == "Ola Kollega"
    assert halden.response.submitted_at is not None
    moss.refresh_from_db()
    assert moss.response.submitted_at is None

    board = world.client("coordinator").get(questionnaire.url + "svar/").content.decode()
    assert "2/12 kommuner har svarat (17 %)" in board
    assert "Utkast sparat, inte skickat" in board


def test_the_link_edits_the_one_answer_of_the_municipality(questionnaire):
    aremark = recipient(questionnaire, "Aremark")
    Client().post(link(aremark), answers(questionnaire, text="Först"))
    Client().post(link(aremark), answers(questionnaire, text="Sedan"))
    aremark.refresh_from_db()
    assert set(aremark.response.form_data.values()) == {"Sedan"}
    page = Client().get(link(aremark)).content.decode()
    assert "Sedan" in page


def test_reminders_go_once_to_those_who_have_not_sent_their_answer(questionnaire, smtp_server):
    Client().post(link(recipient(questionnaire, "Aremark")), answers(questionnaire))
    Client().post(link(recipient(questionnaire, "Halden")), answers(questionnaire))
    Client().post(link(recipient(questionnaire, "Moss")), answers(questionnaire, action="draft"))
    deadline = questionnaire.deadline
    assert services.questionnaire_reminders_send(today=deadline - timedelta(days=4)) == 0
    assert services.questionnaire_reminders_send(today=deadline - timedelta(days=3)) == 10
    assert services.questionnaire_reminders_send(today=deadline - timedelta(days=3)) == 0
    assert services.questionnaire_reminders_send(today=deadline - timedelta(days=2)) == 0
    smtp_server.wait_for(10)
    reminded = {address for rcpts, _message in smtp_server.messages for address in rcpts}
    assert "kontakt@moss.example" in reminded  # a draft is not an answer
    assert not {"kontakt@aremark.example", "kontakt@halden.example"} & reminded


def test_after_the_deadline_the_form_refuses_answers_and_says_why(questionnaire):
    aremark = recipient(questionnaire, "Aremark")
    Client().post(link(aremark), answers(questionnaire))
    questionnaire.deadline = timezone.localdate() - timedelta(days=1)
    questionnaire.save_revision().publish()
    response = Client().post(link(recipient(questionnaire, "Halden")), answers(questionnaire))
    assert response.status_code == 400
    assert "Enkäten är stängd" in response.content.decode()
    assert "Enkäten stängde" in Client().get(link(aremark)).content.decode()
    halden = recipient(questionnaire, "Halden")
    assert not QuestionnaireRecipient.objects.filter(pk=halden.pk, response__isnull=False).exists()


def test_the_answers_export_as_xlsx_for_the_organisers(world, questionnaire):
    Client().post(link(recipient(questionnaire, "Aremark")), answers(questionnaire, text="=1+1"))
    url = questionnaire.url + "svar/xlsx/"
    assert_only(world.client, url, MANAGERS)
    response = world.client("coordinator").get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][5] == SEED_002_QUESTIONS[0]
    assert rows[1][0].startswith("Aremark")
    assert rows[1][5] == "=1+1" and sheet.cell(2, 6).data_type == "s"


def test_the_answers_table_has_a_column_per_question_and_a_row_per_sent_answer(questionnaire):
    Client().post(link(recipient(questionnaire, "Aremark")), answers(questionnaire))

    header, rows = selectors.answers_table(questionnaire)
    rows = list(rows)

    assert header[:5] == ["Kommun", "Län", "Skickad", "Besvarad av", "E-post"]
    assert header[5] == SEED_002_QUESTIONS[0]
    assert len(rows) == 1 and rows[0][0].startswith("Aremark")
    assert len(rows[0]) == len(header)


def test_the_board_is_for_the_organisers_only(world, questionnaire):
    assert_only(world.client, questionnaire.url + "svar/", MANAGERS)


def test_a_link_that_was_not_made_by_the_portal_is_not_found(questionnaire):
    assert Client().get(reverse("questionnaires:answer", args=["1:forged"])).status_code == 404


def test_a_rating_matrix_is_one_radio_group_per_row_under_its_question(world):
    matrix = QuestionnaireField(
        label="Hur svårt eller lätt är det att ordna bostad?",
        field_type=MATRIX,
        choices="1 rum och kök\n2–3 rum och kök\n4 eller fler",
        scale="Svårt\nVarken eller\nLätt",
        required=True,
    )
    page = make_questionnaire(world.network.get_parent().get_parent(), fields=[matrix])
    aremark = recipient(page, "Aremark")
    html = Client().get(link(aremark)).content.decode()
    assert "<legend>Hur svårt eller lätt är det att ordna bostad?</legend>" in html
    assert html.count('type="radio"') == 9
    name = page.form_fields.get().clean_name
    data = {f"{name}__1": "Svårt", f"{name}__2": "Lätt", f"{name}__3": "Svårt"}
    data.update(answered_by_name="Kari", answered_by_email="kari@aremark.example")
    assert Client().post(link(aremark), data).status_code == 302
    [item] = selectors.summary(page, with_quotes=False)
    first_row = item["rows"][0]
    assert first_row["label"] == "1 rum och kök"
    assert [b["count"] for b in first_row["bars"]] == [1, 0, 0]


def test_a_missing_answer_keeps_what_was_typed_and_names_the_field(questionnaire):
    data = answers(questionnaire, text="Vårt svar")
    data[questionnaire.form_fields.first().clean_name] = ""
    response = Client().post(link(recipient(questionnaire, "Aremark")), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Vårt svar" in html


def test_network_members_see_the_answers_only_when_the_organisers_chose_so(world, questionnaire):
    member = world.client("member")
    Client().post(link(recipient(questionnaire, "Aremark")), answers(questionnaire, text="CITAT-9"))
    assert "CITAT-9" not in member.get(questionnaire.url).content.decode()
    questionnaire.visibility = "network"
    questionnaire.save_revision().publish()
    assert "CITAT-9" in member.get(questionnaire.url).content.decode()
    assert "CITAT-9" not in world.client("outsider").get(questionnaire.url).content.decode()
    assert "CITAT-9" not in Client().get(questionnaire.url).content.decode()


def test_the_contact_person_comes_from_the_network_member_of_that_municipality(world):
    from portal.models import Organisation

    person = UserFactory(email="lise@aremark.example", first_name="Lise", last_name="Lie")
    membership_add(
        network=world.network,
        user=person,
        organisation=Organisation.objects.get(name__startswith="Aremark"),
    )
    page = make_questionnaire(world.network.get_parent().get_parent(), network=world.network)
    assert recipient(page, "Aremark").contact_email == "lise@aremark.example"


def test_a_deleted_account_leaves_the_answer_but_not_who_sent_it(questionnaire):
    from portal.accounts.privacy import account_delete

    person = UserFactory(email="kari@aremark.example")
    Client().post(link(recipient(questionnaire, "Aremark")), answers(questionnaire))
    [copy] = services.personal_data_export(user=person)["questionnaire_answers"]
    assert copy["municipality"].startswith("Aremark")
    account_delete(user=person)
    answer = recipient(questionnaire, "Aremark").response
    assert (answer.answered_by_name, answer.answered_by_email) == ("", "")
    assert answer.form_data


def test_the_visit_to_aremark_shows_aremarks_answers_to_its_organisers_only(world, questionnaire):
    from questionnaires.models import QuestionnaireVisit
    from tests.access_matrix import assert_shown_only
    from tests.events.factories import EventPageFactory

    visit = EventPageFactory(
        parent=world.network.get_parent().get_parent(), title="Kommunebesøk i Aremark"
    )
    aremark = recipient(questionnaire, "Aremark")
    QuestionnaireVisit.objects.create(
        questionnaire=questionnaire, event=visit, organisation=aremark.organisation
    )
    Client().post(link(aremark), answers(questionnaire, text="AREMARK-SVAR-5"))
    Client().post(link(recipient(questionnaire, "Halden")), answers(questionnaire, text="HALDEN-7"))
    assert_shown_only(world.client, visit.url, MANAGERS, "AREMARK-SVAR-5")
    assert "HALDEN-7" not in world.client("coordinator").get(visit.url).content.decode()


def test_recipients_cannot_be_added_by_hand_in_the_admin(questionnaire, superuser):
    client = Client()
    client.force_login(superuser)
    listing = client.get(reverse("wagtailsnippets_questionnaires_questionnairerecipient:list"))
    add_url = reverse("wagtailsnippets_questionnaires_questionnairerecipient:add")
    assert listing.status_code == 200
    assert add_url not in listing.content.decode()
    assert client.get(add_url).status_code in (302, 403)
    assert client.post(
        add_url, {"contact_name": "X", "contact_email": "x@example.org"}
    ).status_code in (302, 403)
    recipient = QuestionnaireRecipient.objects.filter(questionnaire=questionnaire).first()
    edit = client.get(
        reverse("wagtailsnippets_questionnaires_questionnairerecipient:edit", args=[recipient.pk])
    )
    assert edit.status_code == 200


def test_hantera_natverket_shows_who_has_answered_and_links_the_board(world, questionnaire):
    """The organising network's coordinators follow the questionnaire from "Hantera nätverket"."""
    from tests.helpers import path_of

    Client().post(link(recipient(questionnaire, "Aremark")), answers(questionnaire))
    coordinator = world.client("coordinator")
    html = coordinator.get(world.space.screen_url("manage")).content.decode()
    assert "1 av 12 har svarat" in html
    assert f'href="{path_of(questionnaire.url)}svar/"' in html
    strategist = world.client("strategist")
    other = strategist.get(world.other_network.member_space.screen_url("manage"))
    assert other.status_code == 200
    assert questionnaire.title not in other.content.decode()


def test_a_county_asks_its_kommuner_of_today_and_a_chosen_retired_one_stays_asked(world):
    """Indre Østfold is asked, not the five kommuner it was formed of in 2020; a questionnaire
    that chose Hobøl before then keeps it (and its name) on its board."""
    county_questionnaire = make_questionnaire(world.network.get_parent().get_parent())
    asked = set(county_questionnaire.recipients.values_list("organisation__name", flat=True))
    assert "Indre Østfold kommune" in asked
    assert not asked & {"Hobøl kommune", "Askim kommune", "Rygge kommune"}

    hobol, halden = (
        Organisation.objects.get(country="NO", name=n) for n in ("Hobøl kommune", "Halden kommune")
    )
    chosen = make_questionnaire(
        world.network.get_parent().get_parent(), slug="besok-2019", network=world.network,
        recipients_from=Recipients.LIST, county=None, organisations=[hobol, halden],
    )  # fmt: skip
    chosen.save_revision().publish()
    assert set(chosen.recipients.values_list("organisation", flat=True)) == {hobol.pk, halden.pk}
    board = world.client("coordinator").get(chosen.url + "svar/").content.decode()
    assert "Hobøl kommune" in board


def test_the_recipient_picker_offers_todays_kommuner_and_those_already_chosen(world):
    hobol = Organisation.objects.get(country="NO", name="Hobøl kommune")
    page = make_questionnaire(
        world.network.get_parent().get_parent(), recipients_from=Recipients.LIST, county=None,
        organisations=[hobol],
    )  # fmt: skip
    form_class = QuestionnairePage.get_edit_handler().get_form_class()
    offered = form_class(instance=page, for_user=world.users["coordinator"])
    names = set(offered.fields["organisations"].queryset.values_list("name", flat=True))
    assert {"Hobøl kommune", "Indre Østfold kommune", "Botkyrka kommun"} <= names
    assert "Spydeberg kommune" not in names
    fresh = form_class(instance=QuestionnairePage(), for_user=world.users["coordinator"])
    assert "Hobøl kommune" not in set(
        fresh.fields["organisations"].queryset.values_list("name", flat=True)
    )
