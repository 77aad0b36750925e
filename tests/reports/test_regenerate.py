"""Regenerating the figures: what changed since they were frozen, and the editor's choice."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from reports import services
from reports.models import AnnualReportPage
from tests.factories import UserFactory
from tests.minutes.factories import MeetingFactory
from tests.reports.factories import YEAR
from tests.reports.helpers import generate

NEW_MEETING = "Återsöksnätverkets extra möte om domslut"


def _atersok(figures):
    return next(n for n in figures["networks"] if n["title"] == "Återsöksnätverket")


def _one_more_meeting(year):
    network = next(n for n in year.networks if n.slug == "atersok")
    return MeetingFactory(parent=network.member_space, title=NEW_MEETING, day=date(YEAR, 12, 12))


def test_the_frozen_figures_stay_as_they_were_when_the_portal_changes(year):
    report = generate(year)
    _one_more_meeting(year)
    assert len(_atersok(report.figures)["meetings"]) == 4


def test_regeneration_names_the_meeting_added_since(year):
    report = generate(year)
    _one_more_meeting(year)
    changes = services.report_regenerate(report=report, user=year.strategist)
    added = [c.label for c in changes if c.kind == "added"]
    assert added == [f"Återsöksnätverket: {NEW_MEETING} ({YEAR}-12-12)"]
    assert {c.section for c in changes} == {"networks"}


def test_nothing_changed_gives_no_changes(year):
    report = generate(year)
    assert services.report_regenerate(report=report, user=year.strategist) == []


def test_the_editor_takes_the_chosen_sections_only(year):
    report = generate(year)
    _one_more_meeting(year)
    newsletters_before = report.figures["communication"]
    report = services.report_take(report=report, user=year.strategist, sections=["networks"])
    figures = report.get_latest_revision_as_object().figures
    assert NEW_MEETING in [m["title"] for m in _atersok(figures)["meetings"]]
    assert figures["communication"] == newsletters_before
    assert services.report_regenerate(report=report, user=year.strategist) == []


def test_only_the_sites_strategists_may_regenerate(year):
    report = generate(year)
    with pytest.raises(PermissionDenied):
        services.report_regenerate(report=report, user=UserFactory())


def test_the_admin_screen_lists_the_change_and_takes_the_ticked_section(year, client):
    report = generate(year)
    _one_more_meeting(year)
    client.force_login(year.strategist)
    url = f"/admin/verksamhetsberattelse/{report.pk}/uppdatera/"
    assert NEW_MEETING in client.get(url).content.decode()
    response = client.post(url, {"sections": ["networks"]})
    assert response.status_code == 302
    figures = AnnualReportPage.objects.get(pk=report.pk).get_latest_revision_as_object().figures
    assert NEW_MEETING in [m["title"] for m in _atersok(figures)["meetings"]]
