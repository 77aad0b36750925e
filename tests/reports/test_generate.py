"""Generating the annual report from the seed 003 year: the chapters and the counted figures."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from reports import services
from tests.factories import UserFactory
from tests.helpers import path_of
from tests.reports.factories import YEAR
from tests.reports.helpers import CHAPTER_HEADINGS, generate, page_text, published


def test_the_draft_has_the_eleven_chapters_of_seed_003(year):
    report = generate(year)
    headings = [f"{b.value['number']}. {b.value['heading']}" for b in report.chapters]
    assert headings == CHAPTER_HEADINGS
    assert not report.live
    assert report.get_parent().pk == year.site.root_page_id
    assert report.year == YEAR


def test_meetings_participants_and_newsletters_are_counted_from_the_data(year):
    text = page_text(published(year))
    assert "Nätverket har under året haft 4 möten" in text  # Återsöksnätverket
    assert "Ledningsgruppen har under året träffats vid 6 tillfällen" in text
    assert "50 deltagare" in text
    assert "5 nyhetsbrev har skickats ut, till totalt 15 mottagare" in text


def test_a_shrinking_network_shows_its_attendance_meeting_by_meeting(year):
    text = page_text(published(year))
    assert "Deltagare per möte, i datumordning: 6, 4, 2." in text


def test_the_figures_are_frozen_with_the_date_they_were_computed(year):
    report = published(year)
    assert report.figures_computed_at is not None
    assert f"Siffrorna beräknades {report.figures_computed_at:%Y-%m-%d}." in page_text(report)


def test_the_main_decisions_of_the_minutes_are_in_the_network_chapter(year):
    from tests.reports.factories import DECISION

    report = generate(year)
    network = next(n for n in report.figures["networks"] if n["title"] == "Återsöksnätverket")
    assert [d["lines"] for d in network["decisions"]] == [[DECISION]]


def test_only_a_strategist_of_the_site_may_generate_a_report(year):
    with pytest.raises(PermissionDenied):
        services.report_generate(
            site=year.site, year=YEAR, networks=year.networks, user=UserFactory()
        )


def test_a_network_of_another_site_is_refused(year):
    from tests.factories import make_site
    from tests.networks.factories import NetworkFactory, NetworkIndexPageFactory

    other = make_site("skane.localhost", name="Kommunförbundet Skåne")
    foreign = NetworkFactory(parent=NetworkIndexPageFactory(parent=other.root_page))
    with pytest.raises(ValidationError):
        services.report_generate(
            site=year.site, year=YEAR, networks=[foreign], user=year.strategist
        )
    assert path_of(foreign.url)


def test_generate_draft_in_the_admin_opens_the_new_draft_in_the_editor(year, client):
    from reports.models import AnnualReportPage

    client.force_login(year.strategist)
    response = client.post(
        "/admin/verksamhetsberattelse/ny/",
        {
            "site": year.site.pk,
            "year": YEAR,
            "networks": [n.pk for n in year.networks],
            "steering_group": year.steering_group.pk,
        },
    )
    report = AnnualReportPage.objects.get(year=YEAR)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{report.pk}/edit/"


def test_generate_draft_without_networks_says_so_and_keeps_the_year(year, client):
    client.force_login(year.strategist)
    response = client.post(
        "/admin/verksamhetsberattelse/ny/", {"site": year.site.pk, "year": "1999"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Det här fältet är obligatoriskt" in text
    assert "större än eller lika med 2000" in text
    assert 'value="1999"' in text
