"""A whole-site crawl in a real browser: every same-site page reachable by links, checked as a
person on a desk and on a phone would see it (axe, sideways scroll, squeezed text columns), for
the strict Content-Security-Policy header, and the served HTML kept for one run of the Nu HTML
checker (vnu) at the end. Any CSP violation while it runs fails the test (tests/conftest.py).

Used by tests/portal/test_crawl.py; kept apart from it so the checks can also be run by hand
against `make run` (`crawl_site(context, "http://127.0.0.1:8000")`).
"""

import json
import os
import re
import subprocess
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from tests.helpers import csp_problems

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".ci/node/node_modules/vnu-jar/build/dist/vnu.jar"))
WIDTHS = (1280, 320)
MIN_COLUMN = 80

# Doors that change state, leave the site or are not HTML pages.
SKIP = re.compile(
    r"^/(admin|dokument|sitemap\.xml|accounts/(logout|confirm-email|password/reset/key)"
    r"|mina-sidor/personuppgifter/(kopia|radera)|sprak)"
    r"|\.(ics|csv|xlsx|vcf|json|pdf|docx?|txt|xml)$|/(csv|xlsx|vcard|ics|export|feed)/?$",
)

# A text node laid out on more than one line in a box narrower than MIN_COLUMN: letters
# stacked in a squeezed column.
LAYOUT_JS = """(minColumn) => {
  const doc = document.documentElement;
  const sideways = Math.max(doc.scrollWidth, document.body.scrollWidth) - window.innerWidth;
  const narrow = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode() && narrow.length < 5) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (text.length < 4) continue;
    let box = node.parentElement;
    if (!box || box.closest('.visually-hidden, [hidden], script, style, option')) continue;
    while (box.parentElement && getComputedStyle(box).display === 'inline') box = box.parentElement;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    if (!rects.length) continue;
    const lines = new Set(rects.map(r => Math.round(r.top))).size;
    const width = box.getBoundingClientRect().width;
    if (lines > 1 && width < minColumn) narrow.push(`${Math.round(width)}px: ${text.slice(0, 40)}`);
  }
  return {sideways, narrow};
}"""

LINKS_JS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => !(a.rel || '').split(/\\s+/).includes('nofollow') && !a.hasAttribute('download'))
  .map(a => a.getAttribute('href'))"""

LANG_JS = """() => {
  const langOf = el => (el.closest('[lang]') || document.documentElement).lang.split('-')[0];
  return {
    html: document.documentElement.lang,
    h1: (() => { const h = document.querySelector('main h1'); return h ? langOf(h) : null; })(),
    links: [...document.querySelectorAll('a[href]')].map(a => [
      a.getAttribute('href'), a.textContent.trim(), langOf(a)]),
  };
}"""


@dataclass
class Visit:
    url: str
    html: str
    problems: list[str] = field(default_factory=list)


def same_site_path(base: str, current: str, href: str) -> str | None:
    absolute, _ = urldefrag(urljoin(current, href))
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(base).netloc:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(parts.path) else path


def shape(path: str) -> str:
    """Pages of one kind share a shape: digits and query values blurred, and the slug of a page
    that sits below a section ("/goda-exempel/<slug>/")."""
    path = re.sub(r"\d+", "0", re.sub(r"=[^&]*", "=", path))
    parts = urlsplit(path)
    segments = parts.path.strip("/").split("/")
    if len(segments) >= 2:
        segments[1] = "*"
    return "/".join(segments) + "?" + parts.query


FINGERPRINT_JS = """() => [...new Set([...document.querySelectorAll('main [class]')]
  .flatMap(el => [...el.classList]))].sort().join(' ')"""


def layout_problems(tab) -> list[str]:
    problems = []
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        found = tab.evaluate(LAYOUT_JS, MIN_COLUMN)
        if found["sideways"] > 0:
            problems.append(f"{width}px: scrolls sideways by {found['sideways']}px")
        problems += [f"{width}px: text column {n}" for n in found["narrow"]]
    return problems


def check_page(tab, axe_violations) -> list[str]:
    """Layout at both widths and axe at the phone width (the one where more goes wrong)."""
    problems = layout_problems(tab)
    problems += [f"axe: {v}" for v in axe_violations(tab)]
    return problems


def crawl_site(tab, base: str, axe_violations, *, start="/", per_kind=2, limit=300):
    """Breadth-first over same-site links from `start`.

    Every page is opened and its links followed; the checks run on at most `per_kind` pages of
    each kind (same URL shape and the same components in <main>), which keeps the run short
    without missing a template.
    """
    seen, kinds, visits = {start}, {}, []
    queue = deque([start])
    opened = 0
    while queue and opened < limit:
        path = queue.popleft()
        opened += 1
        response = tab.goto(urljoin(base, path))
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        kind = (shape(path), response.status, tab.evaluate(FINGERPRINT_JS))
        kinds[kind] = kinds.get(kind, 0) + 1
        if kinds[kind] <= per_kind:
            visit = Visit(url=path, html=response.text())
            if response.status >= 400 and response.status not in (403, 404):
                visit.problems.append(f"HTTP {response.status}")
            visit.problems += csp_problems(response.headers.get("content-security-policy"))
            visit.problems += check_page(tab, axe_violations)
            visits.append(visit)
        for href in tab.evaluate(LINKS_JS):
            target = same_site_path(base, tab.url, href)
            if target is not None and target not in seen:
                seen.add(target)
                queue.append(target)
    return visits


def page_languages(tab) -> dict:
    return tab.evaluate(LANG_JS)


def vnu_errors(html_files: list[Path]) -> list[str]:
    """One JVM for all files: the checker's start-up costs more than checking a page."""
    if not html_files:
        return []
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always"]
        + [str(p) for p in html_files],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    messages = json.loads(result.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error"
    ]
