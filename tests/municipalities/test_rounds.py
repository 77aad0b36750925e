"""A reporting round: each municipality reports its figures by link or logged in, the board
shows who has and who has not."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from municipalities import selectors
from municipalities.models import FigureValue
from tests.access_matrix import MANAGERS, assert_only
from tests.factories import UserFactory
from tests.municipalities.factories import (
    ContactPersonFactory,
    FigureTypeFactory,
    ReportingRoundFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

FIVE = ["Botkyrka kommun", "Haninge kommun", "Huddinge kommun", "Nacka kommun", "Tyresö kommun"]


@pytest.fixture
def reporting_round(world):
    figure = FigureTypeFactory(name="Mottagna nyanlända")
    return ReportingRoundFactory(
        network=world.network, figure_types=[figure],
        municipalities=[municipality(name) for name in FIVE],
    )  # fmt: skip


def report_url(reporting_round, name):
    party = reporting_round.parties.get(organisation__name=name)
    return reverse("municipalities:report", args=[party.token])


def test_three_of_five_report_and_the_round_names_the_missing_two(
    world, kommuner_path, reporting_round, client
):
    figure = reporting_round.figure_types.get()
    field = f"figure_{figure.pk}"
    for name, value in (("Botkyrka kommun", "240"), ("Haninge kommun", "205")):
        response = client.post(report_url(reporting_round, name),
                               {"reported_by": "Hanna Holm", field: value})  # fmt: skip
        assert response.status_code == 302
    contact = UserFactory(first_name="Nils", last_name="Nacka")
    ContactPersonFactory(organisation=municipality("Nacka kommun"), user=contact, name="")
    member_client = client.__class__()
    member_client.force_login(contact)
    page = member_client.get(f"{kommuner_path}nacka/").content.decode()
    link = report_url(reporting_round, "Nacka kommun")
    assert f'href="{link}"' in page
    member_client.post(link, {"reported_by": "Nils Nacka", field: "99"})

    html = (
        world.client("coordinator")
        .get(f"{kommuner_path}rapportering/{reporting_round.pk}/")
        .content.decode()
    )
    assert "3/5 kommuner har rapporterat" in html
    missing = html[html.index('id="round-missing"') :]
    missing = missing[: missing.index("</p>")]
    assert "Huddinge kommun" in missing and "Tyresö kommun" in missing
    assert "Botkyrka kommun" not in missing
    assert f'href="{report_url(reporting_round, "Tyresö kommun")}"' in html
    value = FigureValue.objects.get(organisation__name="Botkyrka kommun", figure_type=figure)
    assert value.value == 240 and value.reported_in == reporting_round
    assert "Hanna Holm" in value.source


def test_a_report_with_a_bad_figure_keeps_what_was_typed(reporting_round, client):
    field = f"figure_{reporting_round.figure_types.get().pk}"
    response = client.post(report_url(reporting_round, "Botkyrka kommun"),
                           {"reported_by": "Hanna Holm", field: "många"})  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="många"' in html and 'value="Hanna Holm"' in html
    assert not reporting_round.parties.filter(reported_at__isnull=False).exists()


def test_the_round_board_is_for_the_organisers_only(world, kommuner_path, reporting_round):
    assert_only(world.client, f"{kommuner_path}rapportering/{reporting_round.pk}/", MANAGERS)


def test_a_forged_link_finds_nothing(client):
    assert client.get(reverse("municipalities:report", args=["1:forged"])).status_code == 404


def test_a_contact_is_asked_to_report_only_in_rounds_the_municipality_has_not_reported_in(
    world, reporting_round
):
    nacka = municipality("Nacka kommun")
    contact = UserFactory()
    ContactPersonFactory(organisation=nacka, user=contact, name="")
    reported = ReportingRoundFactory(
        network=world.network, figure_types=list(reporting_round.figure_types.all()),
        municipalities=[nacka],
    )  # fmt: skip
    reported.parties.update(reported_at=timezone.now())

    asked = selectors.rounds_to_report(contact, nacka)

    assert [party.round for party in asked] == [reporting_round]
    assert selectors.rounds_to_report(UserFactory(), nacka) == []
    assert selectors.rounds_to_report(AnonymousUser(), nacka) == []
