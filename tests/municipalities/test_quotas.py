"""A county's distributed figures keep their total: moved between municipalities, never changed."""

import pytest
from django.urls import reverse

from municipalities import services
from municipalities.models import Quota, QuotaKind
from tests.municipalities.factories import QuotaFactory, county, municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def stockholm():
    """Three of Stockholms län's kommuntal: the county's total is 112 + 121 + 104 = 337."""
    for name, figure in (("Botkyrka kommun", 112), ("Huddinge kommun", 121), ("Nacka kommun", 104)):
        QuotaFactory(organisation=municipality(name), requested=figure)
    return county("Stockholms län")


def test_changing_one_kommuns_figure_so_the_county_total_changes_is_refused(stockholm):
    with pytest.raises(services.CountyTotalChanged) as refused:
        services.quota_set(organisation=municipality("Botkyrka kommun"), year=2026,
                           kind=QuotaKind.KOMMUNTAL, requested=117)  # fmt: skip
    assert refused.value.difference == 5
    assert "från 337 till 342" in refused.value.messages[0]
    assert "+5" in refused.value.messages[0]
    assert Quota.objects.get(organisation__name="Botkyrka kommun").requested == 112


def test_figures_moved_between_kommuner_of_the_county_are_accepted(stockholm):
    changes = services.quota_distribution_change(
        county=stockholm, year=2026, kind=QuotaKind.KOMMUNTAL,
        figures={municipality("Botkyrka kommun"): 117, municipality("Nacka kommun"): 99},
    )  # fmt: skip
    assert len(changes.updated) == 2
    assert services.county_total(county=stockholm, year=2026, kind=QuotaKind.KOMMUNTAL) == 337


def test_a_move_that_does_not_balance_is_refused_whole(stockholm):
    with pytest.raises(services.CountyTotalChanged) as refused:
        services.quota_distribution_change(
            county=stockholm, year=2026, kind=QuotaKind.KOMMUNTAL,
            figures={municipality("Botkyrka kommun"): 117, municipality("Nacka kommun"): 100},
        )  # fmt: skip
    assert refused.value.difference == 1
    assert Quota.objects.get(organisation__name="Nacka kommun").requested == 104


def test_the_norwegian_anmodning_is_the_kommunes_own_and_not_guarded():
    moss = municipality("Moss kommune", "NO")
    QuotaFactory(organisation=moss, kind=QuotaKind.ANMODNING, requested=30, year=2015)
    QuotaFactory(organisation=municipality("Halden kommune", "NO"), kind=QuotaKind.ANMODNING,
                 requested=48, year=2015)  # fmt: skip
    services.quota_set(organisation=moss, year=2015, kind=QuotaKind.ANMODNING, requested=43)
    assert Quota.objects.get(organisation=moss).requested == 43


def test_the_admin_form_refuses_the_change_and_shows_the_difference(stockholm, admin_client):
    quota = Quota.objects.get(organisation__name="Botkyrka kommun")
    url = reverse("wagtailsnippets_municipalities_quota:edit", args=[quota.pk])
    data = {
        "organisation": quota.organisation_id, "year": 2026, "kind": "kommuntal",
        "requested": 100, "decided": "", "received": 64, "status": "decided", "note": "",
        "source": "Migrationsverket", "retrieved_on": "2026-01-15",
    }  # fmt: skip
    response = admin_client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "från 337 till 325" in html and "-12" in html
    assert Quota.objects.get(pk=quota.pk).requested == 112
