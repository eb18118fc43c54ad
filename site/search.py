"""Wagtail's database search backend, with queries cleaned before they reach the database.

On SQLite the FTS5 MATCH expression is built by quoting each term, without escaping a
double quote inside it: ``/search/?q=%22`` (and ``/api/v2/pages/?search=%22``) made
SQLite raise "fts5: syntax error" and the page answered 500. A NUL character breaks
SQLite's parser and PostgreSQL's driver ("cannot contain NUL characters") alike.

``WAGTAILSEARCH_BACKENDS`` points at this module: it builds the same backend Wagtail would
pick for the database (SQLite FTS5, PostgreSQL, fallback) with one change, every term and
phrase losing its double quotes and control characters before the query is compiled. A query
that is nothing but such characters finds nothing, as an empty query does. The views and the
API need no change. On SQLite the backend is ``site/sqlite/search.py``'s: this one, ranking a
search in one pass.
"""

from __future__ import annotations

import copy
import re
from functools import cache

from modelsearch.query import And, Boost, Fuzzy, Not, Or, Phrase, PlainText
from wagtail.search.backends.database import SearchBackend as database_backend

_UNSAFE = re.compile(r'["\x00-\x1f\x7f]+')


def clean_text(text: str) -> str:
    return " ".join(_UNSAFE.sub(" ", text).split())


def clean_query(query):
    """The query (a string or a tree of search query objects) without the characters that break it."""
    if isinstance(query, str):
        return clean_text(query)
    query = copy.copy(query)
    if isinstance(query, PlainText | Phrase | Fuzzy):
        query.query_string = clean_text(query.query_string)
    elif isinstance(query, And | Or):
        query.subqueries = [clean_query(subquery) for subquery in query.subqueries]
    elif isinstance(query, Not | Boost):
        query.subquery = clean_query(query.subquery)
    return query


def _is_empty(query) -> bool:
    if isinstance(query, str):
        return not query
    if isinstance(query, PlainText | Phrase | Fuzzy):
        return not query.query_string
    return False


class CleanQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        cleaned = clean_query(query)
        if _is_empty(cleaned):
            cleaned = ""  # the base class answers "" with no results, as for an empty search box
        elif isinstance(cleaned, And | Or):
            kept = [subquery for subquery in cleaned.subqueries if not _is_empty(subquery)]
            cleaned.subqueries = kept
            if not kept:
                cleaned = ""
        return super()._search(query_compiler_class, cleaned, model_or_queryset, **kwargs)


@cache
def clean_class(backend_class: type) -> type:
    """``backend_class`` with its queries cleaned first."""
    return type(f"Clean{backend_class.__name__}", (CleanQueryMixin, backend_class), {})


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database_backend(params)
    backend.__class__ = clean_class(type(backend))
    return backend
