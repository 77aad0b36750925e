"""Script injection in every field a submitter fills in, and in attachment names, is inert
everywhere the practice shows up: its page, the catalogue, searches, e-mails, CSV and admin."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goodpractice.models import PracticePage, Submission
from tests.goodpractice.helpers import PDF, SUBMIT_URL, form_data, moderate

pytestmark = pytest.mark.django_db
MARKER = "xss42"
PAYLOADS = [
    f"<script>alert('{MARKER}')</script>",
    f"<img src=x onerror=alert('{MARKER}')>",
    f'"><svg onload=alert("{MARKER}")>',
    f"<a href=\"javascript:alert('{MARKER}')\">klick</a>",
    f"javascript:alert('{MARKER}')",
    f"<scr<script>ipt>alert('{MARKER}')</script>",
    f"'><iframe src=javascript:alert('{MARKER}')></iframe>",
    f"<details open ontoggle=alert('{MARKER}')>",
    f"{{{{ 7|add:'{MARKER}' }}}}",
]
ALL = " ".join(PAYLOADS)
SHORT = " ".join(PAYLOADS[:3])
TEXT_FIELDS = [
    "summary",
    "description",
    "what_was_done",
    "results",
    "lessons_learned",
    "cost_funding",
]
EXECUTABLE_SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module"}


def injections(html: str) -> list[str]:
    """Elements and attributes where a payload would run in a browser."""
    found = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        if tag.name == "script":
            if tag.get("type", "").lower() in EXECUTABLE_SCRIPT_TYPES and MARKER in tag.text:
                found.append(str(tag)[:120])
            continue
        if tag.name in {"iframe", "svg", "object", "embed", "details"} and MARKER in str(tag):
            found.append(str(tag)[:120])
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") and MARKER in value:
                found.append(f"{tag.name} {name}={value[:80]}")
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"{tag.name} {name}={value[:80]}")
    return found


def assert_inert(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert injections(html) == [], url
    assert "7xss42" not in html, f"{url}: template code in user text was evaluated"
    return html


@pytest.fixture
def hostile(client, catalogue, moderator, django_capture_on_commit_callbacks):
    data = form_data(
        title=f"Exempel {SHORT}"[:255],
        contact_name=SHORT[:200],
        contact_phone="<b>1</b>",
        submitter_name=SHORT[:200],
        attachments=SimpleUploadedFile(f"<img src=x onerror=alert('{MARKER}')>.pdf", PDF),
        **dict.fromkeys(TEXT_FIELDS, ALL),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SUBMIT_URL, data)
        assert response.status_code == 302
        submission = Submission.objects.get()
        client.post(reverse("goodpractice:confirm", args=[submission.token]))
        moderate(client, moderator, submission, "reject", ALL)
        client.post(
            reverse("goodpractice:status", args=[submission.token]),
            {**data, "attachments": []},
        )
        moderate(client, moderator, submission, "approve", ALL)
    page = PracticePage.objects.get(pk=submission.page_id)
    assert page.live
    return submission, page


def test_payloads_are_kept_as_text(hostile):
    _submission, page = hostile
    assert page.description == ALL
    assert page.attachments.get().document.title.startswith("<img src=x")


def test_public_pages_render_payloads_inert(client, hostile, home):
    submission, page = hostile
    html = assert_inert(client, page.url)
    assert "&lt;script&gt;alert" in html
    assert_inert(client, "/goda-exempel/")
    assert_inert(client, "/goda-exempel/?q=klick")
    assert_inert(client, "/sok/?q=Exempel")
    assert_inert(client, reverse("goodpractice:status", args=[submission.token]))
    assert_inert(client, reverse("goodpractice:confirm", args=[submission.token]))
    assert_inert(client, "/")


def test_csv_export_carries_no_markup(client, hostile):
    body = client.get("/goda-exempel/csv/").content.decode("utf-8-sig")
    assert MARKER in body
    assert "<script" not in body and "<img" not in body


def test_e_mails_are_plain_text(hostile):
    assert mail.outbox
    for message in mail.outbox:
        assert not getattr(message, "alternatives", None), message.subject
        assert "\n" not in message.subject


def test_admin_renders_payloads_inert(client, hostile, superuser):
    submission, page = hostile
    client.force_login(superuser)
    for url in [
        "/admin/",
        f"/admin/pages/{page.get_parent().pk}/",
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{page.pk}/history/",
        "/admin/practice_submissions/",
        f"/admin/practice_submissions/inspect/{submission.pk}/",
        f"/admin/practice_submissions/edit/{submission.pk}/",
        "/admin/documents/",
        "/admin/workflows/tasks/index/",
    ]:
        assert_inert(client, url)


def test_the_detector_sees_every_payload_when_it_is_not_escaped():
    """The checks above mean something only if raw payloads would be caught."""
    for payload in PAYLOADS[:4] + PAYLOADS[6:8]:
        assert injections(f"<p>{payload}</p>"), payload
