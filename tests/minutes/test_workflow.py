"""Justering: from a meeting to approved, published and distributed minutes."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from events.models import Response
from networks.minutes import selectors, services
from networks.minutes.models import MinutesPage
from tests.minutes.factories import AnswerFactory, MeetingFactory
from tests.minutes.helpers import approved_minutes, publication_subject, stepped_up, write_minutes


@pytest.fixture
def meeting(world, approver):
    """A held meeting: the approver and a guest said yes, a member said no."""
    meeting = MeetingFactory(parent=world.space)
    AnswerFactory(event=meeting, user=approver)
    AnswerFactory(event=meeting, user=world.users["member"], response=Response.NO)
    AnswerFactory(event=meeting, guest=True)
    return meeting


@pytest.fixture
def draft(world, approver, meeting):
    author = world.users["coordinator"]
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    return write_minutes(minutes, user=author, approvers=[approver], notes="<p>Bra diskussion.</p>")


def test_a_new_draft_is_prefilled_from_the_meeting(world, approver, meeting):
    minutes = services.minutes_create_from_meeting(
        meeting=meeting, author=world.users["coordinator"]
    )

    assert not minutes.live
    assert minutes.meeting_date == meeting.start.astimezone(minutes.meeting.start.tzinfo).date()
    assert minutes.place == "Botkyrka kommunhus, Tumba"
    assert [b.value["heading"] for b in minutes.agenda] == [
        "Boendekedjor på kort och lång sikt",
        "Brandskydd i modulbostäder",
    ]
    assert list(minutes.present_members.all()) == [approver]
    assert list(minutes.apologies.all()) == [world.users["member"]]
    assert [(g.name, g.organisation) for g in minutes.guests.all()] == [
        ("Eva Expert", "Migrationsverket")
    ]
    assert minutes.get_parent().pk == world.space.pk
    assert (
        services.minutes_create_from_meeting(meeting=meeting, author=world.users["coordinator"]).pk
        == minutes.pk
    )


def test_only_coordinators_write_minutes_from_a_meeting(world):
    meeting = MeetingFactory(parent=world.space)
    with pytest.raises(PermissionDenied):
        services.minutes_create_from_meeting(meeting=meeting, author=world.users["member"])


def test_submitting_needs_one_or_two_approvers_among_those_present(world, draft, approver):
    author = world.users["coordinator"]
    no_approver = write_minutes(draft, user=author, approvers=[])
    with pytest.raises(ValidationError):
        services.minutes_submit(minutes=no_approver, user=author)
    absent = write_minutes(draft, user=author, approvers=[world.users["member"]])
    with pytest.raises(ValidationError):
        services.minutes_submit(minutes=absent, user=author)


def test_approvers_are_told_by_email_with_a_link_and_no_content(world, draft, approver):
    mail.outbox.clear()
    services.minutes_submit(minutes=draft, user=world.users["coordinator"])

    messages = [m for m in mail.outbox if approver.email in m.to]
    assert len(messages) == 1
    assert draft.title in messages[0].subject
    assert draft.review_url in messages[0].body
    assert "Bra diskussion" not in messages[0].body


def test_the_last_approval_publishes_and_every_active_member_is_told(world, draft, approver):
    services.minutes_submit(minutes=draft, user=world.users["coordinator"])
    mail.outbox.clear()

    assert (
        services.minutes_approve(minutes=draft, user=approver, authentication=stepped_up()) is True
    )

    minutes = MinutesPage.objects.get(pk=draft.pk)
    assert minutes.live
    assert minutes.locked
    subject = publication_subject(minutes)
    published = [m for m in mail.outbox if m.subject == subject]
    assert all("Bra diskussion" not in m.body and minutes.url in m.body for m in published)
    recipients = sorted(address for m in published for address in m.to)
    assert recipients == sorted(
        [approver.email, world.users["member"].email, world.users["coordinator"].email]
    )
    assert world.users["former_member"].email not in recipients
    assert world.users["other_member"].email not in recipients


def test_publication_email_goes_out_once_even_when_published_again(world, approver):
    minutes = approved_minutes(world, approver=approver)
    mail.outbox.clear()
    assert services.minutes_distribute(minutes=minutes) == 0
    assert mail.outbox == []


def test_the_publication_email_shows_the_title_as_written(world, approver):
    # Plain-text mail: a title with “&” or an apostrophe must not arrive as HTML entities.
    mail.outbox.clear()

    minutes = approved_minutes(world, approver=approver, meeting_title="EKB & Tyresö's boende")

    with translation.override("sv"):
        subject = gettext("New minutes: %(title)s") % {"title": minutes.title}
    published = [m for m in mail.outbox if m.subject == subject]
    assert published
    assert all(minutes.title in m.body for m in published)


def test_two_approvers_must_both_approve(world, draft, approver):
    second = world.users["member"]
    author = world.users["coordinator"]
    minutes = write_minutes(
        draft, user=author, approvers=[approver, second], present=[approver, second]
    )
    services.minutes_submit(minutes=minutes, user=author)

    assert (
        services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
        is False
    )
    assert not MinutesPage.objects.get(pk=minutes.pk).live
    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
    assert (
        services.minutes_approve(minutes=minutes, user=second, authentication=stepped_up()) is True
    )
    assert MinutesPage.objects.get(pk=minutes.pk).live


def test_the_author_can_never_approve_their_own_minutes(world, draft, approver):
    author = world.users["coordinator"]
    # Even named as approver behind the form's back, the server refuses.
    write_minutes(draft, user=author, approvers=[approver, author], present=[approver, author])
    draft.get_workflow().start(draft, author)

    with pytest.raises(PermissionDenied):
        services.minutes_approve(minutes=draft, user=author, authentication=stepped_up())
    client = world.client("coordinator")
    response = client.post(reverse("minutes:approve", args=[draft.pk]), {"comment": ""})
    assert response.status_code == 403
    assert not MinutesPage.objects.get(pk=draft.pk).live
    assert selectors.can_decide(minutes=draft, user=author) is False


def test_the_author_is_refused_in_the_wagtail_admin_too(world, draft, approver):
    author = world.users["superuser"]
    MinutesPage.objects.filter(pk=draft.pk).update(owner=author)
    draft.refresh_from_db()
    services.minutes_submit(minutes=draft, user=author)
    client = world.client("superuser")
    task_state = selectors.current_round(draft)
    url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", task_state.pk])
    response = client.post(url, {})
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not MinutesPage.objects.get(pk=draft.pk).live


def test_someone_not_named_cannot_approve(world, draft):
    services.minutes_submit(minutes=draft, user=world.users["coordinator"])
    for role in ("member", "strategist", "other_member"):
        with pytest.raises(PermissionDenied):
            services.minutes_approve(
                minutes=draft, user=world.users[role], authentication=stepped_up()
            )


def test_sending_back_tells_the_author_and_reopens_the_draft(world, draft, approver):
    author = world.users["coordinator"]
    services.minutes_submit(minutes=draft, user=author)
    mail.outbox.clear()

    services.minutes_send_back(
        minutes=draft, user=approver, comment="Rätta deltagarlistan.", authentication=stepped_up()
    )

    state = selectors.workflow_state(draft)
    assert state.status == state.STATUS_NEEDS_CHANGES
    ours = [m for m in mail.outbox if draft.review_url in m.body]
    assert len(ours) == 1 and ours[0].to == [author.email]
    assert "Rätta deltagarlistan" not in ours[0].body  # the comment stays behind login
    # After the fix the author submits again; the approver is asked again and may approve.
    fixed = write_minutes(draft, user=author, approvers=[approver], notes="<p>Rättad.</p>")
    services.minutes_submit(minutes=fixed, user=author)
    assert (
        services.minutes_approve(minutes=fixed, user=approver, authentication=stepped_up()) is True
    )


def test_sending_back_needs_a_comment(world, draft, approver):
    services.minutes_submit(minutes=draft, user=world.users["coordinator"])
    with pytest.raises(ValidationError):
        services.minutes_send_back(
            minutes=draft, user=approver, comment="  ", authentication=stepped_up()
        )


def test_minutes_are_not_published_directly_in_the_admin(world, draft):
    client = world.client("superuser")
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, {"action-publish": "1", "title": "x"})
    # The admin's answer to PermissionDenied (an invalid form would be re-shown with 200).
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert not MinutesPage.objects.get(pk=draft.pk).live
    assert not draft.permissions_for_user(world.users["superuser"]).can_publish()


def test_a_correction_keeps_a_visible_change_note(world, approver):
    from datetime import date

    from networks.minutes.models import MinutesCorrection

    minutes = approved_minutes(world, approver=approver)
    assert minutes.locked
    assert minutes.permissions_for_user(world.users["coordinator"]).can_unlock()
    assert not minutes.permissions_for_user(world.users["member"]).can_unlock()
    corrected = minutes.get_latest_revision_as_object()
    corrected.corrections = [MinutesCorrection(date=date(2017, 3, 2), note="rättat deltagarlista")]
    corrected.save_revision(user=world.users["coordinator"]).publish(
        user=world.users["coordinator"]
    )

    response = world.client("member").get(minutes.url)
    assert "Justerat 2017-03-02: rättat deltagarlista" in response.content.decode() or (
        "2017-03-02: rättat deltagarlista" in response.content.decode()
    )
    assert MinutesPage.objects.get(pk=minutes.pk).locked


def test_the_approver_finds_the_minutes_on_their_personal_page(world, draft, approver):
    services.minutes_submit(minutes=draft, user=world.users["coordinator"])
    client = world.client("member")
    client.force_login(approver)
    html = client.get(reverse("portal:personal_page")).content.decode()
    assert draft.review_url in html
    review = client.get(draft.review_url).content.decode()
    assert reverse("minutes:approve", args=[draft.pk]) in review


def test_the_author_is_offered_no_approval_buttons(world, draft):
    services.minutes_submit(minutes=draft, user=world.users["coordinator"])
    review = world.client("coordinator").get(draft.review_url)
    assert review.status_code == 200
    assert reverse("minutes:approve", args=[draft.pk]) not in review.content.decode()
