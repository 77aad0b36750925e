"""The Wagtail admin as a Swedish strategist reads it: every admin page reached by links from the
dashboard (and the menu) carries no English string that a catalogue could translate, and none
of the English names that Wagtail gives its own records."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from portal.models import User

pytestmark = pytest.mark.django_db

START = ["/admin/", "/admin/pages/", "/admin/practice_submissions/", "/admin/workflows/list/"]
SKIP = re.compile(r"/(delete|unpublish|logout|copy|move|lock|unlock|revisions/\d+/revert)/|export=")
LIMIT = 80
# Names Wagtail's migrations give records, which no catalogue translates.
RECORD_NAMES = {"Root", "Moderators approval"}


def catalogue_strings():
    """Every msgid of the installed catalogues, and those a Swedish reader gets translated."""
    site_packages = Path(django.__file__).resolve().parent.parent
    files = [*site_packages.glob("*/locale/sv/LC_MESSAGES/django*.po")]
    files += [*site_packages.glob("*/*/locale/sv/LC_MESSAGES/django*.po")]
    files += [Path(p) / "sv/LC_MESSAGES/django.po" for p in settings.LOCALE_PATHS]
    msgids, translated = set(), set()
    entry = re.compile(
        r'^msgid ((?:".*"\n)+)(?:msgid_plural .*\n(?:".*"\n)*)?msgstr(?:\[0\])? ((?:".*"\n)+)', re.M
    )
    for path in files:
        if not path.exists():
            continue
        for msgid, msgstr in entry.findall(path.read_text(encoding="utf-8", errors="replace")):
            source = "".join(re.findall(r'"(.*)"', msgid)).replace('\\"', '"')
            if not source:
                continue
            msgids.add(source)
            if "".join(re.findall(r'"(.*)"', msgstr)):
                translated.add(source)
    return msgids - translated


class Texts(HTMLParser):
    """Visible text, the attributes people hear or read, links, and the admin's JSON props."""

    SPOKEN = {"title", "aria-label", "placeholder", "alt", "value"}

    def __init__(self):
        super().__init__()
        self.texts, self.links, self._skip, self._json = [], [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"style", "template"} or (
            tag == "script" and attrs.get("type") != "application/json"
        ):
            self._skip += 1
        self._json = tag == "script" and attrs.get("type") == "application/json"
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "input" and attrs.get("type") == "hidden":
            return
        self.texts += [v for k, v in attrs.items() if k in self.SPOKEN and v]

    def handle_endtag(self, tag):
        if tag in {"style", "template", "script"} and self._skip:
            self._skip -= 1
        self._json = False

    def handle_data(self, data):
        if self._json:
            self.texts += list(json_strings(json.loads(data)))
        elif not self._skip and data.strip():
            self.texts.append(data)


def json_strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def test_a_strategist_reads_the_admin_in_swedish(demo, settings):
    client = Client()
    client.force_login(
        User.objects.get(email="strateg@example.org"), backend=settings.AUTHENTICATION_BACKENDS[0]
    )
    english = catalogue_strings() | RECORD_NAMES
    found, seen, queue = {}, set(START), list(START)
    with translation.override("sv"):
        while queue and len(seen) <= LIMIT:
            url = queue.pop(0)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="sv")
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            html = response.content.decode()
            if "guide.wagtail.org" in html:
                found.setdefault("a link to the English Wagtail guide", url)
            if "gravatar.com" in html:
                found.setdefault("an avatar from gravatar.com", url)
            parser = Texts()
            parser.feed(html)
            for text in parser.texts:
                text = " ".join(text.split())
                if text in english or text.rstrip(":") in english:
                    found.setdefault(text, url)
            for href in parser.links:
                href = href.split("#")[0]
                if href.startswith("/admin/") and href not in seen and not SKIP.search(href):
                    seen.add(href)
                    queue.append(href)
    assert len(seen) > 20
    assert found == {}, "\n".join(f"{text!r} on {url}" for text, url in sorted(found.items()))
