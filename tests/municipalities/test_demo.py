"""The demo's municipality pages: Södertörn's kommuntal, seed 002's 18 Østfold kommuner, a
reporting round at 3/5, loaded once however often it runs."""

from municipalities import demo as municipalities_demo
from municipalities.models import ContactPerson, MunicipalityIndexPage, Quota, ReportingRound
from portal.demo import DemoContext


def test_the_demo_loads_once(demo):
    """Loaded once by load_demo (the `demo` fixture), and once more."""
    municipalities_demo.load(DemoContext())
    assert MunicipalityIndexPage.objects.live().count() == 2
    assert Quota.objects.filter(year=2015, organisation__country="NO").count() == 18
    assert Quota.objects.filter(status="no_letter").get().organisation.name == "Marker kommune"
    assert ContactPerson.objects.filter(organisation__name="Botkyrka kommun").count() == 3
    reporting_round = ReportingRound.objects.get()
    assert [t.code for t in reporting_round.figure_types.all()] == ["mottagna"]
    assert reporting_round.parties.filter(reported_at__isnull=False).count() == 3
    assert reporting_round.parties.count() == 5
