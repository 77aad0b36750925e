"""The annual report goes through the minutes' justering: two named approvers of the steering
group approve it, each with a step-up, before it is published."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from networks.minutes import services as minutes_services
from reports.models import AnnualReportPage
from tests.factories import UserFactory
from tests.minutes.helpers import stepped_up
from tests.reports.helpers import generate, name_approvers


def _submitted(year):
    report = name_approvers(generate(year), year.approvers)
    minutes_services.minutes_submit(minutes=report, user=year.strategist)
    return AnnualReportPage.objects.get(pk=report.pk)


def _approve(report, user, authentication="stepped up"):
    return minutes_services.minutes_approve(
        minutes=report, user=user, authentication=stepped_up() if authentication else None
    )


def test_it_uses_the_minutes_justering_workflow(year):
    from networks.minutes.selectors import minutes_workflow

    assert generate(year).get_workflow() == minutes_workflow()


def test_two_named_approvers_must_approve_before_it_is_published(year):
    report = _submitted(year)
    first, second = year.approvers
    assert _approve(report, first) is False
    assert not AnnualReportPage.objects.get(pk=report.pk).live
    assert _approve(report, second) is True
    report = AnnualReportPage.objects.get(pk=report.pk)
    assert report.live
    assert report.url


def test_the_author_cannot_publish_it_without_justering(year):
    report = generate(year)
    assert not report.permissions_for_user(year.strategist).can_publish()


def test_the_author_cannot_approve(year):
    report = _submitted(year)
    with pytest.raises(PermissionDenied):
        _approve(report, year.strategist)


def test_someone_not_named_cannot_approve(year):
    report = _submitted(year)
    with pytest.raises(PermissionDenied):
        _approve(report, year.members["board"])


def test_an_approval_needs_a_step_up(year):
    report = _submitted(year)
    with pytest.raises(PermissionDenied):
        _approve(report, year.approvers[0], authentication=None)


def test_approvers_must_be_members_of_the_steering_group(year):
    report = name_approvers(generate(year), [UserFactory()])
    with pytest.raises(ValidationError, match="ledningsgruppen"):
        minutes_services.minutes_submit(minutes=report, user=year.strategist)


def test_an_edit_during_justering_starts_the_round_again(year):
    report = _submitted(year)
    first, second = year.approvers
    _approve(report, first)
    draft = report.get_latest_revision_as_object()
    draft.title = "Verksamhetsberättelse 2017, rättad"
    draft.save_revision(user=year.strategist)
    assert _approve(report, second) is False
    assert not AnnualReportPage.objects.get(pk=report.pk).live


def test_each_approver_is_emailed_about_the_report_not_minutes(year):
    mail.outbox.clear()
    report = _submitted(year)
    for approver in year.approvers:
        (message,) = [m for m in mail.outbox if approver.email in m.to]
        assert report.title in message.subject
        assert "verksamhetsberättelsen" in message.body
        assert "mötet" not in message.body
        assert f"/tjanster/verksamhetsberattelse/{report.pk}/granska/" in message.body  # the site
