"""Anyone may send in a practice: confirmation, moderation, changes, approval, rejection."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import WorkflowState

from goodpractice import services
from goodpractice.models import CatalogueEntry, PracticePage, Submission, SubmissionStatus
from portal import uploads
from tests.factories import UserFactory
from tests.goodpractice.factories import municipality, theme
from tests.goodpractice.helpers import PDF, SUBMIT_URL, form_data, links_in, moderate, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(client, catalogue, django_capture_on_commit_callbacks):
    """An anonymous submission whose address has been confirmed: now with the moderators."""
    send(client, django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("goodpractice:confirm", args=[submission.token]))
    submission.refresh_from_db()
    mail.outbox.clear()
    return submission


def test_anonymous_submission_is_a_draft_waiting_for_confirmation(
    client, catalogue, django_capture_on_commit_callbacks
):
    response = send(client, django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("goodpractice:status", args=[submission.token])
    assert submission.status == SubmissionStatus.UNCONFIRMED
    page = submission.page.specific
    assert not page.live
    assert page.get_parent().pk == catalogue.pk
    assert [o.name for o in page.organisations.all()] == ["Höörs kommun"]
    assert page.county.name == "Skåne län"
    assert list(page.links.values_list("url", flat=True)) == ["https://www.hoor.se/sprakvanner"]
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
    [message] = mail.outbox
    assert message.to == ["karin@hoor.example"]
    assert links_in(message) == [reverse("goodpractice:confirm", args=[submission.token])]
    assert client.get("/goda-exempel/").context["catalogue"].total == 0


def test_confirmation_link_asks_for_a_click_then_sends_to_the_moderators(
    client, catalogue, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks)
    submission = Submission.objects.get()
    confirm = reverse("goodpractice:confirm", args=[submission.token])
    assert client.get(confirm).status_code == 200
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.UNCONFIRMED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm)
        client.post(confirm)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    assert submission.confirmed_at is not None
    states = WorkflowState.objects.filter(object_id=str(submission.page_id))
    assert [s.status for s in states] == [WorkflowState.STATUS_IN_PROGRESS]
    receipts = [m for m in mail.outbox if m.to == ["karin@hoor.example"]][1:]
    assert len(receipts) == 1
    assert reverse("goodpractice:status", args=[submission.token]) in receipts[0].body


def test_moderator_asks_for_changes_and_the_submitter_edits_through_the_status_link(
    client, submitted, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, moderator, submitted, "reject", "Beskriv gärna kostnaden.")
    assert submitted.status == SubmissionStatus.CHANGES_REQUESTED
    [message] = [m for m in mail.outbox if m.to == ["karin@hoor.example"]]
    assert "Beskriv gärna kostnaden." in message.body
    status_url = reverse("goodpractice:status", args=[submitted.token])
    assert status_url in links_in(message)

    page = client.get(status_url)
    assert "Beskriv gärna kostnaden." in page.content.decode()
    assert page.context["form"] is not None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(status_url, form_data(cost_funding="Två timmar i veckan."))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == SubmissionStatus.IN_REVIEW
    practice = PracticePage.objects.get(pk=submitted.page_id)
    assert practice.cost_funding == "Två timmar i veckan."
    state = WorkflowState.objects.active().get(object_id=str(practice.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_status_page_cannot_edit_while_in_review(client, submitted):
    status_url = reverse("goodpractice:status", args=[submitted.token])
    response = client.post(status_url, form_data(title="Något annat"))
    assert response.status_code == 302
    assert PracticePage.objects.get(pk=submitted.page_id).title == "Språkvänner i Höör"


def test_approval_publishes_into_the_catalogue_and_tells_the_submitter(
    client, submitted, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, moderator, submitted, "approve")
    practice = PracticePage.objects.get(pk=submitted.page_id)
    assert practice.live
    assert submitted.status == SubmissionStatus.PUBLISHED
    entry = CatalogueEntry.objects.get(practice=practice)
    assert (entry.year, entry.still_running, entry.themes) == (
        2018,
        True,
        theme("Samhällsliv").mask,
    )
    [message] = [m for m in mail.outbox if m.to == ["karin@hoor.example"]]
    assert practice.url in message.body
    assert client.get("/goda-exempel/?q=språkvänner").context["catalogue"].total == 1


def test_rejection_with_a_reason_ends_the_workflow_and_tells_the_submitter(
    client, submitted, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        moderate(client, moderator, submitted, "decline", "Inte ett kommunalt arbetssätt.")
    assert submitted.status == SubmissionStatus.REJECTED
    assert not PracticePage.objects.get(pk=submitted.page_id).live
    assert not WorkflowState.objects.active().filter(object_id=str(submitted.page_id)).exists()
    [message] = [m for m in mail.outbox if m.to == ["karin@hoor.example"]]
    assert "Inte ett kommunalt arbetssätt." in message.body
    status = client.get(reverse("goodpractice:status", args=[submitted.token]))
    assert "Inte ett kommunalt arbetssätt." in status.content.decode()
    assert status.context["form"] is None


def test_submitters_cannot_moderate(client, submitted):
    submitter = UserFactory(email="karin@hoor.example")
    client.force_login(submitter)
    state = WorkflowState.objects.active().get(object_id=str(submitted.page_id))
    url = reverse(
        "wagtailadmin_pages:workflow_action",
        args=[submitted.page_id, "approve", state.current_task_state.pk],
    )
    client.post(url)
    assert not PracticePage.objects.get(pk=submitted.page_id).live


def test_honeypot_stores_nothing(client, catalogue, django_capture_on_commit_callbacks):
    response = send(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert response.status_code == 302
    assert not Submission.objects.exists() and not PracticePage.objects.exists()
    assert mail.outbox == []


def test_rate_limit_refuses_a_flood_from_one_address(
    client, catalogue, django_capture_on_commit_callbacks
):
    for n in range(5):
        assert (
            send(client, django_capture_on_commit_callbacks, title=f"Exempel {n}").status_code
            == 302
        )
    response = send(client, django_capture_on_commit_callbacks, title="Ett till")
    assert response.status_code == 400
    assert Submission.objects.count() == 5


def send_via_proxy(client, capture, visitor, n):
    with capture(execute=True):
        return client.post(
            SUBMIT_URL,
            form_data(title=f"Exempel {visitor} {n}"),
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=visitor,
        )


def test_behind_a_trusted_proxy_each_visitor_has_their_own_limit(
    client, catalogue, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_TRUSTED_PROXIES = ["10.0.0.5"]
    for n in range(5):
        assert (
            send_via_proxy(
                client, django_capture_on_commit_callbacks, "198.51.100.1", n
            ).status_code
            == 302
        )
    assert (
        send_via_proxy(client, django_capture_on_commit_callbacks, "198.51.100.1", 6).status_code
        == 400
    )
    assert (
        send_via_proxy(client, django_capture_on_commit_callbacks, "198.51.100.2", 0).status_code
        == 302
    )


def test_a_forged_forwarded_header_does_not_escape_the_limit(
    client, catalogue, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_TRUSTED_PROXIES = []  # the request does not come from a trusted proxy
    for n in range(5):
        assert (
            send_via_proxy(
                client, django_capture_on_commit_callbacks, f"198.51.100.{n}", n
            ).status_code
            == 302
        )
    assert (
        send_via_proxy(client, django_capture_on_commit_callbacks, "198.51.100.9", 9).status_code
        == 400
    )


def test_required_fields_are_reported(client, catalogue):
    response = client.post(SUBMIT_URL, form_data(title="", themes=[], submitter_email="nej"))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "themes", "submitter_email"}
    assert not Submission.objects.exists()


def test_a_form_sent_back_says_its_files_must_be_chosen_again(client, catalogue):
    data = form_data(title="", attachments=SimpleUploadedFile("rapport.pdf", PDF))
    response = client.post(SUBMIT_URL, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors and "attachments" in errors
    assert str(errors["attachments"][0]) in response.content.decode()
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("rapport.pdf", PDF, True),
        ("lista.csv", "kommun;antal\nHöör;12\n".encode(), True),
        ("program.exe", b"MZ\x90\x00", False),
        ("sida.html", b"<script>alert(1)</script>", False),
        ("falsk.pdf", b"<html>not a pdf</html>", False),
        ("falsk.docx", PDF, False),
        ("binar.txt", b"\xff\xfe\x00\x00\x81\x00", False),
    ],
)
def test_attachment_types_are_checked_by_name_and_content(
    client, catalogue, django_capture_on_commit_callbacks, name, content, accepted
):
    data = form_data(attachments=SimpleUploadedFile(name, content))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT_URL, data)
    assert (response.status_code == 302) is accepted
    if not accepted:
        assert "attachments" in response.context["form"].errors


def test_attachment_size_is_limited(
    client, catalogue, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(uploads, "MAX_FILE_SIZE", 100)
    data = form_data(attachments=SimpleUploadedFile("stor.pdf", PDF + b"0" * 200))
    response = client.post(SUBMIT_URL, data)
    assert response.status_code == 400
    assert "attachments" in response.context["form"].errors


def test_files_of_unpublished_submissions_are_not_served(
    client, catalogue, moderator, django_capture_on_commit_callbacks
):
    data = form_data(attachments=SimpleUploadedFile("rapport.pdf", PDF))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT_URL, data)
    submission = Submission.objects.get()
    document = submission.page.specific.attachments.get().document
    assert client.get(document.url)["Location"].startswith(settings.LOGIN_URL)
    client.force_login(UserFactory(email="utomstaende@example.org"))
    assert client.get(document.url).status_code == 403
    client.force_login(moderator)
    assert client.get(document.url).status_code == 200
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("goodpractice:confirm", args=[submission.token]))
        moderate(client, moderator, submission, "approve")
    assert client.get(document.url).status_code == 200


def test_a_moderator_is_whoever_the_moderation_task_names_whatever_the_group_is_called(
    client, catalogue, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from goodpractice.models import PracticeModerationTask

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT_URL, form_data(attachments=SimpleUploadedFile("rapport.pdf", PDF)))
    document = Submission.objects.get().page.specific.attachments.get().document
    reviewers = Group.objects.create(name="Granskare i Skåne")
    PracticeModerationTask.objects.get().groups.add(reviewers)
    reviewer = UserFactory(email="granskare@example.org")
    reviewer.groups.add(reviewers)
    client.force_login(reviewer)
    assert client.get(document.url).status_code == 200


def test_logged_in_user_saves_a_draft_then_sends_without_confirming(
    client, catalogue, django_capture_on_commit_callbacks
):
    user = UserFactory(email="kommun@example.org", organisation=municipality("Höörs kommun"))
    client.force_login(user)
    assert client.get(SUBMIT_URL).context["form"].initial["submitter_email"] == user.email
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT_URL, form_data(submitter_email=user.email, action="draft"))
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.DRAFT
    assert submission.user == user
    assert mail.outbox == []
    assert "Språkvänner i Höör" in client.get("/mina-sidor/").content.decode()

    status_url = reverse("goodpractice:status", args=[submission.token])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(status_url, form_data(submitter_email=user.email, summary="Ny sammanfattning."))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.IN_REVIEW
    assert PracticePage.objects.get(pk=submission.page_id).summary == "Ny sammanfattning."
    [receipt] = mail.outbox
    assert status_url in receipt.body


def test_anonymous_visitors_cannot_save_drafts(
    client, catalogue, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks, action="draft")
    assert Submission.objects.get().status == SubmissionStatus.UNCONFIRMED


def test_unconfirmed_anonymous_submissions_are_deleted_after_two_weeks(
    client, catalogue, django_capture_on_commit_callbacks
):
    pdf = SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")
    send(client, django_capture_on_commit_callbacks, attachments=[pdf])
    old = Submission.objects.get()
    send(
        client, django_capture_on_commit_callbacks, title="Ny idag", submitter_email="ny@x.example"
    )
    Submission.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=15))
    document_ids = list(old.page.attachments.values_list("document_id", flat=True))
    assert document_ids

    assert services.submissions_purge_unconfirmed() == 1

    assert list(Submission.objects.values_list("page__title", flat=True)) == ["Ny idag"]
    assert not PracticePage.objects.filter(pk=old.page_id).exists()
    assert not get_document_model().objects.filter(pk__in=document_ids).exists()
    assert client.get(reverse("goodpractice:status", args=[old.token])).status_code == 404


def test_confirmed_and_account_holders_submissions_are_kept(
    client, submitted, django_capture_on_commit_callbacks
):
    user = UserFactory()
    client.force_login(user)
    send(client, django_capture_on_commit_callbacks, submitter_email="annan@x.example")
    Submission.objects.update(updated_at=timezone.now() - timedelta(days=60))
    assert Submission.objects.get(user=user).status == SubmissionStatus.UNCONFIRMED
    assert services.submissions_purge_unconfirmed() == 0
    assert Submission.objects.count() == 2
