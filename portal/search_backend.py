"""Wagtail's database search backend (the admin's search, and Wagtail's own page search), with
SQLite's full-text queries made safe for any text.

On SQLite the backend puts each word between double quotes in an FTS5 query without escaping
the double quotes inside it, so a search for `"` fails in the database (wagtail/wagtail#13227):
a 500 in every admin listing's search box. A double quote is no part of a word; it is taken out
of the words before they are quoted. PostgreSQL's backend is used as it is.
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.query import Phrase, PlainText


def _without_quotes(query):
    if isinstance(query, PlainText):
        return PlainText(
            query.query_string.replace('"', " "), operator=query.operator, boost=query.boost
        )
    if isinstance(query, Phrase):
        return Phrase(query.query_string.replace('"', " "))
    return query


class QuoteSafeCompiler:
    """Mixed into the SQLite backend's query compilers."""

    def build_search_query_content(self, query, config=None):
        return super().build_search_query_content(_without_quotes(query), config=config)

    def search(self, config, start, stop, score_field=None):
        # Nothing is left to look for when the words were only quotes (or spaces).
        query = _without_quotes(self.query)
        if isinstance(query, PlainText | Phrase) and not query.query_string.split():
            return self.queryset.none()
        return super().search(config, start, stop, score_field=score_field)


def SearchBackend(params):  # noqa: N802 (Wagtail looks the backend up by this name)
    backend = DatabaseSearchBackend(params)
    if connection.vendor == "sqlite":
        # Imported only on SQLite: the module reads models that exist only there.
        from modelsearch.backends.database.sqlite import sqlite

        if isinstance(backend, sqlite.SQLiteSearchBackend):
            backend.query_compiler_class = type(
                "SQLiteSearchQueryCompiler",
                (QuoteSafeCompiler, sqlite.SQLiteSearchQueryCompiler),
                {},
            )
            backend.autocomplete_query_compiler_class = type(
                "SQLiteAutocompleteQueryCompiler",
                (QuoteSafeCompiler, sqlite.SQLiteAutocompleteQueryCompiler),
                {},
            )
    return backend
