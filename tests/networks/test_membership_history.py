"""Membership history for reporting: who was a member of which network, for which
organisation, from when to when, and who added and ended each membership (issue 18, item 5)."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from networks.models import Membership, Role
from networks.selectors import Term, membership_history
from networks.services import invitation_accept, invitation_create, membership_end
from portal.models import Organisation
from tests.factories import UserFactory
from tests.networks.factories import MembershipFactory

HEADER_XLSX = 9


@pytest.fixture
def history(world):
    """Karin represented Huddinge from spring 2017 until the coordinator ended it in the
    autumn; Erik has been in since 2018 for Nykvarn."""
    network, coordinator = world.network, world.users["coordinator"]
    huddinge = Organisation.objects.get(name="Huddinge kommun")
    nykvarn = Organisation.objects.get(name="Nykvarns kommun")
    karin = UserFactory(first_name="Karin", last_name="Holm", email="karin.holm@example.org")
    erik = UserFactory(first_name="Erik", last_name="Sjöberg", email="erik@example.org")
    ended = MembershipFactory(
        network=network,
        user=karin,
        organisation=huddinge,
        start_date=date(2017, 2, 1),
        added_by=coordinator,
    )
    membership_end(membership=ended, on=date(2017, 10, 15), ended_by=coordinator)
    MembershipFactory(
        network=network,
        user=erik,
        organisation=nykvarn,
        role=Role.SECRETARY,
        start_date=date(2018, 1, 10),
        added_by=coordinator,
    )
    return karin, erik


def export(world, fmt, **query):
    url = world.space.screen_url("membership_history_export", fmt)
    response = world.client("coordinator").get(url, query)
    assert response.status_code == 200
    return response


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def row_of(rows, email):
    (row,) = [row for row in rows if row[2] == email]
    return row


def test_the_xlsx_export_lists_ended_memberships_with_their_dates_and_who(world, history):
    karin, _erik = history
    coordinator = world.users["coordinator"].display_name

    rows = xlsx_rows(export(world, "xlsx"))

    assert len(rows[0]) == HEADER_XLSX
    assert row_of(rows, karin.email) == [
        "Karin",
        "Holm",
        karin.email,
        "Huddinge kommun",
        str(Role.MEMBER.label),
        "2017-02-01",
        "2017-10-15",
        coordinator,
        coordinator,
    ]
    # The world's former member (ended yesterday) is in the history, today's members too.
    assert row_of(rows, world.users["former_member"].email)[6]
    assert row_of(rows, world.users["member"].email)[6] in (None, "")


def test_the_csv_export_has_the_same_rows(world, history):
    karin, erik = history
    text = export(world, "csv").content.decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(text), delimiter=";"))

    assert row_of(rows, karin.email)[5:7] == ["2017-02-01", "2017-10-15"]
    assert row_of(rows, erik.email)[4:7] == [str(Role.SECRETARY.label), "2018-01-10", ""]


def test_a_term_keeps_those_who_were_members_during_it(world, history):
    karin, erik = history
    network = world.network

    def emails(code):
        return {m.user.email for m in membership_history(network, term=Term.parse(code))}

    assert karin.email in emails("2017VT")
    assert karin.email in emails("2017HT")  # ended in October
    assert erik.email not in emails("2017HT")
    assert karin.email not in emails("2018VT")
    assert erik.email in emails("2018VT")
    rows = xlsx_rows(export(world, "xlsx", term="2017HT"))
    assert [row[2] for row in rows[1:]] == [karin.email]


def test_filters_by_organisation_and_role(world, history):
    karin, erik = history
    nykvarn = Organisation.objects.get(name="Nykvarns kommun")

    by_organisation = xlsx_rows(export(world, "xlsx", organisation=nykvarn.pk))
    by_role = xlsx_rows(export(world, "xlsx", role=Role.SECRETARY))

    assert [row[2] for row in by_organisation[1:]] == [erik.email]
    assert [row[2] for row in by_role[1:]] == [erik.email]


def test_the_page_shows_the_history_and_refuses_an_unknown_term_in_words(world, history):
    karin, _erik = history
    client = world.client("coordinator")
    url = world.space.screen_url("membership_history")

    page = client.get(url).content.decode()
    wrong = client.get(url, {"term": "2017XT"})

    assert karin.display_name in page and "2017-10-15" in page
    assert wrong.status_code == 200
    with translation.override("sv"):
        message = _("Select a valid choice. %(value)s is not one of the available choices.")
    assert message % {"value": "2017XT"} in wrong.content.decode()
    # The export of a refused filter goes back to the page that explains it.
    refused = client.get(world.space.screen_url("membership_history_export", "csv"), {"term": "x"})
    assert refused.status_code == 302 and "term=x" in refused["Location"]


def test_the_inviter_and_the_coordinator_who_ended_it_are_recorded(world):
    coordinator = world.users["coordinator"]
    invited = UserFactory(email="ny.medlem@example.org")
    invitation = invitation_create(
        network=world.network, email=invited.email, invited_by=coordinator
    )

    membership = invitation_accept(invitation=invitation, user=invited)
    end_url = reverse("networks:membership_end", args=(world.network.pk, membership.pk))
    assert world.client("coordinator").post(end_url).status_code == 302

    membership = Membership.objects.get(pk=membership.pk)
    assert membership.added_by == coordinator
    assert membership.ended_by == coordinator
