"""The decisions register's rows: one per agenda item that decides something.

The decisions live in each minutes' agenda (a StreamField). To filter and page them in the
database rather than walk every agenda per request, each agenda item with decisions is kept as
a row (models.Decision), rebuilt from the page whenever its content is saved
(signal_handlers.index_decisions). The row keeps the normalised words of its heading and of its
heading with the decisions (portal/text.py), between spaces, so "every word asked for, in any
inflection" becomes a LIKE per word on both databases, with the same result as matching the
words in Python. Who may read a row is the minutes' access rule (selectors.decisions_register).
"""

from django.db.models import Q

from portal import text

from .pdf import rich_text_lines


def _terms(*texts: str) -> str:
    # Spaces around every term, so that " bostad " matches the whole word only.
    return f" {text.index_terms(*texts)} "


def decision_rows(agenda) -> list[dict]:
    """The register's fields for each agenda item with decisions, numbered as in the agenda."""
    rows = []
    for number, block in enumerate(agenda, start=1):
        lines = rich_text_lines(block.value.get("decisions"))
        if not lines:
            continue
        heading = block.value.get("heading", "")
        rows.append(
            {
                "number": number,
                "subject": heading,
                "lines": lines,
                "subject_terms": _terms(heading),
                "terms": _terms(heading, *lines),
            }
        )
    return rows


def words_q(field: str, words) -> Q:
    """Rows whose `field` holds every word, each in any of its forms (bostäder finds bostad)."""
    found = Q()
    for word in words:
        forms = dict.fromkeys((word, *text.lemmas(word)))
        found &= Q.create([(f"{field}__contains", f" {form} ") for form in forms], connector=Q.OR)
    return found
