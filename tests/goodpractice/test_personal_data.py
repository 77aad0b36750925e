"""A submitter's own data: the copy of what they sent in, and what deleting the account leaves."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model

from goodpractice import services
from goodpractice.models import CatalogueEntry, PracticePage, Submission
from portal.accounts import privacy
from portal.links import absolute_url
from tests.factories import UserFactory
from tests.goodpractice.helpers import PDF, moderate, send
from tests.privacy import erase, rows_naming

pytestmark = pytest.mark.django_db
ADDRESS = "karin@hoor.example"
# The practice's public contact is the municipality's, not the submitter's.
PUBLIC_CONTACT = {"contact_name": "Höörs kommun", "contact_email": "info@hoor.example"}


@pytest.fixture
def karin(db):
    return UserFactory(email=ADDRESS, first_name="Karin", last_name="Kontakt")


@pytest.fixture
def published(client, catalogue, moderator, django_capture_on_commit_callbacks):
    """A practice Karin sent in without logging in, confirmed and approved: live."""
    send(client, django_capture_on_commit_callbacks, title="Publicerat exempel", **PUBLIC_CONTACT)
    submission = Submission.objects.get(page__title="Publicerat exempel")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("goodpractice:confirm", args=[submission.token]))
        moderate(client, moderator, submission, "approve")
    return PracticePage.objects.get(pk=submission.page_id)


@pytest.fixture
def draft(client, catalogue, karin, django_capture_on_commit_callbacks):
    """A practice Karin keeps as a draft in her account, with a file."""
    client.force_login(karin)
    send(
        client,
        django_capture_on_commit_callbacks,
        title="Utkast",
        action="draft",
        attachments=SimpleUploadedFile("plan.pdf", PDF),
        **PUBLIC_CONTACT,
    )
    client.logout()
    return Submission.objects.get(page__title="Utkast").page


# --- the copy ---


def test_the_copy_lists_what_the_account_and_its_address_sent_in(karin, draft, published):
    submissions = privacy.personal_data_export(user=karin)["practice_submissions"]
    assert [(s["title"], s["status"], s["email"]) for s in submissions] == [
        ("Utkast", "draft", ADDRESS),
        ("Publicerat exempel", "published", ADDRESS),
    ]
    assert submissions[0]["name"] == "Karin Kontakt"


def test_the_copy_links_a_published_practice_only(karin, draft, published):
    urls = [s["url"] for s in privacy.personal_data_export(user=karin)["practice_submissions"]]
    assert urls == [None, absolute_url(published.url)]


def test_the_copy_matches_the_address_whatever_its_case(
    client, catalogue, karin, django_capture_on_commit_callbacks
):
    send(client, django_capture_on_commit_callbacks, submitter_email="Karin@Hoor.Example")
    assert len(privacy.personal_data_export(user=karin)["practice_submissions"]) == 1


def test_the_copy_leaves_out_other_peoples_submissions(
    client, karin, draft, django_capture_on_commit_callbacks
):
    send(
        client,
        django_capture_on_commit_callbacks,
        submitter_name="Olle",
        submitter_email="olle@x.example",
    )
    text = json.dumps(privacy.personal_data_export(user=karin), ensure_ascii=False)
    assert "olle@x.example" not in text and "Olle" not in text


def test_a_submission_another_account_made_with_the_address_is_not_in_the_copy(
    client, catalogue, karin, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    send(client, django_capture_on_commit_callbacks, submitter_email=ADDRESS)
    assert privacy.personal_data_export(user=karin)["practice_submissions"] == []


def test_the_copy_costs_no_query_per_submission(
    client,
    catalogue,
    karin,
    published,
    django_capture_on_commit_callbacks,
):
    def queries_for_copy() -> int:
        services.personal_data_export(user=karin)  # warm: the site's root paths are cached
        with CaptureQueriesContext(connection) as captured:
            services.personal_data_export(user=karin)
        return len(captured)

    send(client, django_capture_on_commit_callbacks, title="Exempel 0")
    with_one = queries_for_copy()
    for n in range(1, 4):
        send(client, django_capture_on_commit_callbacks, title=f"Exempel {n}")
    with_four = queries_for_copy()
    assert with_one == with_four


# --- deleting the account ---


def test_deleting_the_account_discards_unpublished_practices_and_their_files(karin, draft):
    documents = list(draft.specific.attachments.values_list("document_id", flat=True))
    assert documents
    erase(karin)
    assert not PracticePage.objects.filter(pk=draft.pk).exists()
    assert not get_document_model().objects.filter(pk__in=documents).exists()


def test_deleting_the_account_keeps_a_published_practice_live(karin, published, client):
    erase(karin)
    practice = PracticePage.objects.get(pk=published.pk)
    assert practice.live
    assert CatalogueEntry.objects.filter(practice=practice).exists()
    assert client.get(practice.url).status_code == 200


def test_deleting_the_account_leaves_no_row_with_the_address(karin, draft, published):
    erase(karin)
    assert rows_naming(ADDRESS, "goodpractice") == []


def test_the_status_link_of_a_published_practice_ends_with_the_account(karin, published):
    token = Submission.objects.get(page=published).token
    erase(karin)
    assert not Submission.objects.filter(token=token).exists()


def test_a_submission_another_account_made_with_the_address_is_kept(
    client, catalogue, karin, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory())
    send(client, django_capture_on_commit_callbacks, submitter_email=ADDRESS)
    erase(karin)
    assert Submission.objects.filter(email=ADDRESS).exists()


def test_a_practice_that_was_public_and_taken_down_is_kept(karin, published):
    published.unpublish()
    erase(karin)
    assert PracticePage.objects.filter(pk=published.pk).exists()
