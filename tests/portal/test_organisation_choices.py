"""The admin's choosers of organisations offer today's, and keep what a record already names:
a record of a retired kommune's day (Hobøl, part of Indre Østfold since 2020) saves unchanged;
a new choice of a retired kommune is refused (portal.organisations.CurrentOrganisationChoices)."""

import pytest
from django.urls import reverse
from wagtail.admin.panels import get_edit_handler
from wagtail.models import Page

from events.models import EventPage
from goodpractice.models import PracticePage
from municipalities.models import ContactPerson, ReportingRound, RoundParty
from networks.minutes.models import MinutesPage
from networks.models import Membership, NetworkPage
from portal.models import Organisation
from questionnaires.models import QuestionnairePage
from tests.municipalities.factories import (
    ContactPersonFactory,
    FigureTypeFactory,
    ReportingRoundFactory,
)
from tests.networks.factories import NetworkPageFactory

pytestmark = pytest.mark.django_db


def kommune(name):
    return Organisation.objects.get(country="NO", name=name)


@pytest.fixture
def hobol():
    return kommune("Hobøl kommune")


def offered(field):
    return set(field.queryset.values_list("name", flat=True))


def contact_data(contact, organisation):
    return {"organisation": organisation.pk, "role": contact.role, "user": "",
            "name": contact.name, "job_title": "", "email": contact.email, "phone": "",
            "address": ""}  # fmt: skip


def test_a_contact_person_of_a_retired_kommune_saves_unchanged_but_not_a_new_one(
    hobol, admin_client
):
    contact = ContactPersonFactory(organisation=hobol, name="Kari Nordmann")
    url = reverse("wagtailsnippets_municipalities_contactperson:edit", args=[contact.pk])
    data = {**contact_data(contact, hobol), "job_title": "Bosettingskonsulent"}
    assert admin_client.post(url, data).status_code == 302
    contact.refresh_from_db()
    assert (contact.organisation, contact.job_title) == (hobol, "Bosettingskonsulent")

    response = admin_client.post(url, contact_data(contact, kommune("Askim kommune")))
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"]
    assert ContactPerson.objects.get(pk=contact.pk).organisation == hobol

    add = reverse("wagtailsnippets_municipalities_contactperson:add")
    refused = admin_client.post(add, contact_data(contact, hobol))
    assert refused.status_code == 200 and refused.context["form"].errors["organisation"]
    assert ContactPerson.objects.count() == 1


def test_a_reporting_round_that_asked_a_retired_kommune_saves_unchanged(hobol, admin_client):
    figure = FigureTypeFactory(name="Bosatte flyktninger")
    reporting_round = ReportingRoundFactory(
        network=NetworkPageFactory(), figure_types=[figure], municipalities=[hobol]
    )
    party = reporting_round.parties.get()
    url = reverse("wagtailsnippets_municipalities_reportinground:edit", args=[reporting_round.pk])
    data = {
        "title": "Rapportering 2019", "network": reporting_round.network_id, "period": "2019",
        "deadline": reporting_round.deadline.isoformat(), "figure_types": [figure.pk],
        "parties-TOTAL_FORMS": 1, "parties-INITIAL_FORMS": 1, "parties-MIN_NUM_FORMS": 0,
        "parties-MAX_NUM_FORMS": 1000, "parties-0-id": party.pk,
        "parties-0-organisation": hobol.pk, "parties-0-ORDER": 1, "parties-0-DELETE": "",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].formsets["parties"].errors
    reporting_round.refresh_from_db()
    assert reporting_round.title == "Rapportering 2019"
    assert list(RoundParty.objects.values_list("organisation", flat=True)) == [hobol.pk]

    added = {**data, "parties-TOTAL_FORMS": 2, "parties-1-id": "", "parties-1-ORDER": 2,
             "parties-1-organisation": kommune("Askim kommune").pk, "parties-1-DELETE": ""}  # fmt: skip
    response = admin_client.post(url, added)
    assert response.status_code == 200
    assert response.context["form"].formsets["parties"].forms[1].errors["organisation"]
    assert RoundParty.objects.count() == 1


def form_class(model):
    """The admin's form: a page's edit handler, or a snippet's."""
    handler = model.get_edit_handler() if issubclass(model, Page) else get_edit_handler(model)
    return handler.get_form_class()


# Every admin form naming organisations: (model, field, a child relation or None).
CHOOSERS = [
    (EventPage, "organiser", None),
    (EventPage, "co_organisers", None),
    (PracticePage, "organisations", None),
    (NetworkPage, "host_organisation", None),
    (NetworkPage, "participating_organisations", None),
    (Membership, "organisation", None),
    (ContactPerson, "organisation", None),
    (ReportingRound, "organisation", "parties"),
    (QuestionnairePage, "organisations", None),
    (QuestionnairePage, "organisation", "visits"),
    (MinutesPage, "organisation", "action_items"),
]


@pytest.mark.parametrize(("model", "name", "relation"), CHOOSERS)
def test_a_new_record_is_offered_todays_organisations_only(model, name, relation, superuser):
    form = form_class(model)(instance=model(), for_user=superuser)
    if relation:
        form = form.formsets[relation].empty_form
    choices = offered(form.fields[name])
    assert "Indre Østfold kommune" in choices
    assert not {"Hobøl kommune", "Askim kommune"} & choices


@pytest.mark.parametrize(
    ("model", "name"), [(m, n) for m, n, relation in CHOOSERS if relation is None]
)
def test_a_record_keeps_the_retired_organisation_it_names(model, name, hobol, superuser):
    instance = model()
    value = [hobol] if model._meta.get_field(name).many_to_many else hobol
    setattr(instance, name, value)
    choices = offered(form_class(model)(instance=instance, for_user=superuser).fields[name])
    assert "Hobøl kommune" in choices and "Indre Østfold kommune" in choices
    assert "Askim kommune" not in choices
