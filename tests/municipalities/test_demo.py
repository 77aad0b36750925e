"""The demo's municipality pages: Södertörn's kommuntal, seed 002's 18 Østfold kommuner, a
reporting round at 3/5, loaded once however often it runs."""

import pytest

from municipalities import demo
from municipalities.models import ContactPerson, MunicipalityIndexPage, Quota, ReportingRound
from networks import demo as networks_demo
from portal import demo as portal_demo
from portal.demo import DemoContext

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    context = DemoContext()
    for module in (portal_demo, networks_demo, demo):
        module.load(context)
    demo.load(context)
    assert MunicipalityIndexPage.objects.live().count() == 2
    assert Quota.objects.filter(year=2015, organisation__country="NO").count() == 18
    assert Quota.objects.filter(status="no_letter").get().organisation.name == "Marker kommune"
    assert ContactPerson.objects.filter(organisation__name="Botkyrka kommun").count() == 3
    reporting_round = ReportingRound.objects.get()
    assert [t.code for t in reporting_round.figure_types.all()] == ["mottagna"]
    assert reporting_round.parties.filter(reported_at__isnull=False).count() == 3
    assert reporting_round.parties.count() == 5
