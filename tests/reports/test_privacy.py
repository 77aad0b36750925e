"""The public version of the report counts a member-only meeting but never names it, on the
page, in the PDF and in the DOCX; the members' version names it."""

import pytest

from tests.reports.factories import MEMBER_ONLY_TITLE
from tests.reports.helpers import docx_text, page_text, pdf_text, published

READERS = {"page": page_text, "pdf": pdf_text, "docx": docx_text}


@pytest.mark.parametrize("door", READERS)
def test_the_public_version_never_names_a_member_only_meeting(year, door):
    text = READERS[door](published(year))
    assert MEMBER_ONLY_TITLE not in text
    assert "haft 4 möten" in text.replace("\n", " ")


@pytest.mark.parametrize("door", READERS)
def test_the_members_version_names_it(year, door):
    text = READERS[door](published(year), year.members["atersok"])
    assert MEMBER_ONLY_TITLE in text.replace("\n", " ")


def test_a_member_of_another_network_sees_only_the_public_names(year):
    text = page_text(published(year), year.members["board"])
    assert MEMBER_ONLY_TITLE not in text
    assert "Ledningsgruppens möte 1" in text


def test_the_public_version_names_public_events(year):
    text = page_text(published(year))
    assert "Årets kick-off med RFSL: 50 deltagare" in text
    assert "Seminarium om mottagande av kvotflyktingar" in text
    assert "Koordination Norrort" in text
