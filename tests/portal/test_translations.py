"""Every UI string is translated for Swedish, Norwegian Bokmål and English.

Fails on any untranslated or fuzzy message, when a catalogue for sv, nb or en is missing, and
when the code holds a string the catalogues lack (someone forgot `makemessages`).
"""

import re
import shutil
import subprocess
import sys

import pytest

from tests.helpers import ROOT, missing

LOCALE_DIR = ROOT / "portal" / "locale"
REQUIRED_LANGUAGES = ["sv", "nb", "en"]


def catalogue(language):
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def msgfmt_statistics(po_file):
    """Counts from `msgfmt --statistics`, which also fails on a malformed catalogue."""
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr):
        counts[kind] = int(number)
    return counts


@pytest.fixture(scope="module", autouse=True)
def _msgfmt():
    if shutil.which("msgfmt") is None:
        missing("msgfmt (Debian package gettext)")


# The required languages, and any other catalogue someone adds, which must then be complete too.
LANGUAGES = sorted(
    set(REQUIRED_LANGUAGES) | {path.name for path in LOCALE_DIR.glob("*") if path.is_dir()}
)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_has_no_untranslated_or_fuzzy_messages(language):
    po_file = catalogue(language)
    assert po_file.is_file(), f"{po_file} is missing"
    counts = msgfmt_statistics(po_file)
    assert counts["translated"] > 0, f"{po_file}: {counts}"
    assert counts["untranslated"] == 0, f"{po_file}: {counts}"
    assert counts["fuzzy"] == 0, f"{po_file}: {counts}"


SOURCES = [
    "manage.py",
    "portal",
    "networks",
    "events",
    "goodpractice",
    "questionnaires",
    "municipalities",
    "reports",
    "templates",
]


def test_every_string_in_the_code_is_in_the_catalogues(tmp_path):
    """`makemessages` over a copy of the code adds nothing untranslated to the catalogues."""
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    languages = [arg for language in REQUIRED_LANGUAGES for arg in ("-l", language)]
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, "--no-obsolete", "-v", "0"],
        cwd=tmp_path,
        check=True,
    )
    for language in REQUIRED_LANGUAGES:
        counts = msgfmt_statistics(
            tmp_path / "portal" / "locale" / language / "LC_MESSAGES" / "django.po"
        )
        assert counts["untranslated"] == 0 and counts["fuzzy"] == 0, (
            f"{language}: {counts}; run makemessages and translate the new strings"
        )
