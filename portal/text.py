"""Swedish and Norwegian word normalisation for the catalogue's full-text search.

Neither SQLite's FTS5 nor PostgreSQL's `swedish` configuration relates "bostäder", "bostad" and
"bostadsbolaget" to each other. So the text is normalised in Python, the same way when a
practice is indexed and when someone searches: every word is lemmatised with simplemma (sv and
nb) and compounds are split with simplemma's vocabulary as the dictionary. The database then
only has to match whole, already normalised words, which both backends do identically.

The word data is simplemma's low-memory form (the same dictionaries, kept compressed: about 30 MB
instead of 170 MB in every worker). `load()` reads it; the web process calls it before its
workers fork (portal/wsgi.py), so no visitor waits seconds for the first search.
"""

import re
from functools import lru_cache

import simplemma
from wagtail.search.query import And, Or, PlainText

LANGUAGES = ("sv", "nb")
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
MIN_PART = 4
MIN_COMPOUND = 8
# No compound of either language is longer; a longer "word" (pasted junk, an attack) is not split,
# since splitting costs a dictionary lookup per letter at every level.
MAX_COMPOUND = 60
# Linking letters between compound parts ("bostad-s-bolag", "barn-e-hage" is rare enough).
LINKS = ("s", "e")
# Function words that carry no meaning for search; dropped on both sides so that AND-queries do
# not depend on whether a backend keeps them.
_SWEDISH = (
    "och att i på för med som av till är en ett den det de om har inte men eller från vid så "
    "kan ska sig vi man under även när där hur vad alla andra samt"
)
_NORWEGIAN = (
    "og å på for med som av til er en et den det de om har ikke men eller fra ved så kan skal "
    "seg vi når der hvordan hva alle andre samt"
)
STOPWORDS = frozenset(f"{_SWEDISH} {_NORWEGIAN}".split(" "))


def load() -> None:
    """Read the Swedish and Norwegian word data now rather than on the first search."""
    for lang in LANGUAGES:
        simplemma.is_known("bostad", lang=lang, low_memory=True)
        simplemma.lemmatize("bostäder", lang=lang, low_memory=True)


def words(text: str) -> list[str]:
    return [w for w in WORD_RE.findall(str(text or "").lower()) if w not in STOPWORDS]


@lru_cache(maxsize=100_000)
def lemmas(word: str) -> tuple[str, ...]:
    """The word's lemma in each language that knows it; the word itself when none does."""
    found = []
    for lang in LANGUAGES:
        if simplemma.is_known(word, lang=lang, low_memory=True):
            lemma = simplemma.lemmatize(word, lang=lang, low_memory=True).lower()
            if lemma not in found:
                found.append(lemma)
    return tuple(found) or (word,)


def _known(word: str) -> bool:
    return len(word) >= MIN_PART and simplemma.is_known(word, lang=LANGUAGES, low_memory=True)


@lru_cache(maxsize=100_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """Split a compound into known words ("bostadsbolaget" -> bostads, bolaget), else ().

    The longest known first part wins; the rest must be a known word or split further.
    """
    if not MIN_COMPOUND <= len(word) <= MAX_COMPOUND:
        return ()
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:end], word[end:]
        if not _known(head):
            if head[-1] in LINKS and _known(head[:-1]):
                head = head[:-1]
            else:
                continue
        if _known(tail):
            return (head, tail)
        rest = compound_parts(tail)
        if rest:
            return (head, *rest)
    return ()


def index_terms(*texts: str) -> str:
    """The normalised words of some texts, for the `search_terms` field.

    Each word brings itself, its lemmas and its compound parts once; repeated words stay
    repeated, so that relevance ranking still sees how often a text mentions something.
    """
    terms: list[str] = []
    for text in texts:
        for word in words(text):
            forms = dict.fromkeys([word, *lemmas(word)])
            for part in compound_parts(word):
                forms.update(dict.fromkeys(lemmas(part)))
            terms.extend(forms)
    return " ".join(terms)


def _alternatives(forms: tuple[str, ...]):
    if len(forms) == 1:
        return PlainText(forms[0])
    return Or([PlainText(form) for form in forms])


def search_query(text: str):
    """A Wagtail search query for what someone typed: every word must match (in any form).

    A known word matches through its lemma; an unknown compound through all of its parts.
    Returns None when nothing searchable is left.
    """
    groups = []
    for word in dict.fromkeys(words(text)):
        known = any(simplemma.is_known(word, lang=lang, low_memory=True) for lang in LANGUAGES)
        parts = () if known else compound_parts(word)
        if parts:
            groups.extend(_alternatives(lemmas(part)) for part in parts)
        else:
            groups.append(_alternatives(lemmas(word)))
    if not groups:
        return None
    return groups[0] if len(groups) == 1 else And(groups)
