"""Site search (`/sok/`): every page type, the same Swedish/Norwegian normalisation as the
good-practice catalogue, and results that show where the words were found.

Indexing: each page model mixes in `NormalisedSearch` and lists `NORMALISED_FIELD` among its
search fields, so the index holds the normal forms (lemmas and compound parts, `portal/text.py`)
of the page's own searchable text. "bostad" then finds "Bostadsförsörjningen …", as it does in
the catalogue, whose practices keep their normal forms in a stored field instead.

Reading: only pages the access rule lets the user see are searched (`networks.access`), and the
excerpt is cut from the same search fields, which hold no text a page hides from its readers.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.core.paginator import Paginator
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page
from wagtail.search import index
from wagtail.search.query import Or, PlainText

from portal import text

NORMALISED_FIELD = index.SearchField("normalised_search_terms")
# Fields that hold normal forms, not words a reader should see in an excerpt.
NORMAL_FORM_FIELDS = {NORMALISED_FIELD.field_name, "search_terms"}
# Short texts that say what a page is about, tried first for the excerpt.
SUMMARY_ATTRIBUTES = ("search_description", "summary", "intro")
EXCERPT_WORDS = 30
# The attribute that dates a page of each kind, in order of preference.
DATE_ATTRIBUTES = ("date", "start", "meeting_date", "sent_at", "first_published_at")
TOKEN_RE = re.compile(r"([^\W_]+)", re.UNICODE)


def _strings(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [s for item in value for s in _strings(item)]
    return [strip_tags(str(value))]


def searchable_texts(page) -> list[str]:
    """The text of a page's search fields (title first), as plain strings."""
    texts = []
    for field in page.get_search_fields():
        if isinstance(field, index.SearchField) and field.field_name not in NORMAL_FORM_FIELDS:
            texts.extend(_strings(field.get_value(page)))
    return [t for t in texts if t.strip()]


class NormalisedSearch:
    """For page models: the normal forms of the page's searchable text, for the index."""

    def normalised_search_terms(self) -> str:
        return text.index_terms(*searchable_texts(self))


def search_words(typed: str) -> str:
    """Only the words of what was typed: quotes and operators would reach the database's
    full-text syntax (SQLite's FTS5 fails on an unpaired quote or a lone "&")."""
    return " ".join(TOKEN_RE.findall(typed))


def search_query(words: str):
    """The words as typed, or any of their base forms and compound parts; None without words.

    Only the words go on: quotes and operators typed into the box would reach the database's
    full-text syntax (SQLite's FTS5 fails on an unpaired quote)."""
    words = search_words(words)
    if not words:
        return None
    typed = PlainText(words, operator="or")
    normalised = text.search_query(words)
    return typed if normalised is None else Or([typed, normalised])


def _forms(word: str) -> set[str]:
    return set(text.index_terms(word).split())


def _query_forms(words: str) -> set[str]:
    return {form for word in text.words(words) for form in _forms(word)}


def highlight(value: str, wanted: set[str], *, window: int | None = None) -> SafeString:
    """The text with every word whose normal forms meet the query's in <mark>; with `window`,
    only that many words around the first match (or the beginning when nothing matches)."""
    tokens = TOKEN_RE.split(value)
    hits = [i for i in range(1, len(tokens), 2) if _forms(tokens[i].lower()) & wanted]
    start, end, before, after = 0, len(tokens), "", ""
    if window is not None:
        first = hits[0] if hits else 1
        start = max(0, first - window // 3 * 2)
        end = min(len(tokens), start + window * 2)
        before = "… " if start > 0 else ""
        after = " …" if end < len(tokens) else ""
    marked = set(hits)
    parts = [
        f"<mark>{escape(tokens[i])}</mark>" if i in marked else escape(tokens[i])
        for i in range(start, end)
    ]
    return mark_safe(before + "".join(parts).strip() + after)


@dataclass
class SearchHit:
    page: Page
    title: SafeString
    excerpt: SafeString
    date: date | None
    network: Page | None


def page_date(page) -> date | None:
    for name in DATE_ATTRIBUTES:
        value = getattr(page, name, None)
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
    return None


def _networks_of(pages) -> dict:
    """The network each page lies in (itself, or an ancestor), with one query for all."""
    from networks.models import NetworkPage  # networks' page models mix in NormalisedSearch

    step = Page.steplen
    ancestors = {
        page.pk: [page.path[:end] for end in range(step, len(page.path) + 1, step)]
        for page in pages
    }
    paths = {path for chain in ancestors.values() for path in chain}
    networks = {n.path: n for n in NetworkPage.objects.filter(path__in=paths).only("title")}
    found = {}
    for page in pages:
        for path in ancestors[page.pk]:
            if path in networks:
                found[page.pk] = networks[path]
    return found


def search_hits(user, words: str, page_number, *, site=None, per_page: int = 20):
    """One page of results for what the user typed, among the pages of `site` (None: every
    site) that the user may see."""
    from networks.access import visible_pages

    from .sites import site_pages_q

    pages = visible_pages(user, Page.objects.live().filter(site_pages_q(site))).specific()
    query = search_query(words)
    matches = pages.search(query) if query is not None else pages.none()
    results = Paginator(matches, per_page).get_page(page_number)
    wanted = _query_forms(words)
    found = list(results.object_list)
    networks = _networks_of(found)
    hits = []
    for page in found:
        summaries = [strip_tags(str(getattr(page, name, "") or "")) for name in SUMMARY_ATTRIBUTES]
        candidates = [c for c in [*summaries, *searchable_texts(page)[1:]] if c.strip()]
        body = next(
            (c for c in candidates if _forms_in(c) & wanted), candidates[0] if candidates else ""
        )
        hits.append(
            SearchHit(
                page=page,
                title=highlight(page.title, wanted),
                excerpt=highlight(body, wanted, window=EXCERPT_WORDS),
                date=page_date(page),
                network=networks.get(page.pk),
            )
        )
    results.object_list = hits
    return results


def _forms_in(value: str) -> set[str]:
    return {form for word in TOKEN_RE.findall(value.lower()) for form in _forms(word)}
