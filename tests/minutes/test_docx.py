"""Minutes as a Word file: behind the same access rule as the page, and holding the decisions."""

import io

import docx
from wagtail.rich_text import RichText

from networks.minutes import services
from networks.minutes.models import MinutesPage
from tests.access_matrix import MEMBERS, assert_only
from tests.minutes.factories import AnswerFactory, MeetingFactory
from tests.minutes.helpers import stepped_up, write_minutes

DECISION = "Nätverket beslutar att bjuda in Migrationsverket till nästa möte."


def minutes_with_a_decision(world, approver) -> MinutesPage:
    meeting = MeetingFactory(parent=world.space)
    AnswerFactory(event=meeting, user=approver)
    author = world.users["coordinator"]
    minutes = services.minutes_create_from_meeting(meeting=meeting, author=author)
    draft = minutes.get_latest_revision_as_object()
    draft.agenda = [
        ("section", {**block.value, "decisions": RichText(f"<p>{DECISION}</p>")})
        if index == 0
        else (block.block_type, block.value)
        for index, block in enumerate(draft.agenda)
    ]
    draft.save_revision(user=author)
    draft.save()
    minutes = MinutesPage.objects.get(pk=minutes.pk)
    minutes = write_minutes(minutes, user=author, approvers=[approver], notes="<p>Samtal.</p>")
    services.minutes_submit(minutes=minutes, user=author)
    services.minutes_approve(minutes=minutes, user=approver, authentication=stepped_up())
    return MinutesPage.objects.get(pk=minutes.pk)


def test_the_docx_is_for_members_only(world, approver):
    minutes = minutes_with_a_decision(world, approver)
    assert_only(world.client, f"{minutes.url}docx/", MEMBERS)


def test_the_docx_opens_in_python_docx_and_holds_the_decisions(world, approver):
    minutes = minutes_with_a_decision(world, approver)
    response = world.client("member").get(f"{minutes.url}docx/")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "no-store" in response["Cache-Control"]
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    paragraphs = [paragraph.text for paragraph in document.paragraphs]
    assert paragraphs[0] == minutes.title
    assert DECISION in paragraphs
    assert "Samtal." in paragraphs
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Maja Medlem" in " ".join(cells)


def test_the_minutes_page_links_to_the_docx(world, approver):
    minutes = minutes_with_a_decision(world, approver)
    page = world.client("member").get(minutes.url).content.decode()
    assert f"{minutes.url}docx/" in page
