"""The search backend on SQLite (``WAGTAILSEARCH_BACKENDS`` names it when the database is SQLite):
``site/search.py``'s, with a search ordered by relevance ranked in one pass.

modelsearch's SQLite backend annotated each matching object with its score by a correlated subquery
that ran the FTS5 MATCH again for every matching object: 3 ms for the 76 pages matching one word on
the benchmark's 230, where one statement takes 0.1 ms. Here the FTS5 table is read once: every
match's score (modelsearch's own expression), kept when its object is in the searched queryset,
ordered by score then primary key descending (modelsearch's order), sliced; the objects are then
read by primary key and each carries its score, as modelsearch's annotation gave it. Any other
search (not by relevance, everything, a negation, a model whose primary key is not an integer) is
modelsearch's own. modelsearch's SQLite modules load its FTS5 model on import, so this module is
imported on SQLite only.
"""

from __future__ import annotations

from django.db.models import Exists, IntegerField, OuterRef
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite.query import MatchExpression, normalize
from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteFTSIndexEntry,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
)
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from site import search


def _integer_pk(model) -> bool:
    field = model._meta.pk
    while field.remote_field is not None:  # a multi-table child's pointer to its parent
        field = field.target_field
    return isinstance(field, IntegerField)


class RankedSQLiteSearchResults(SQLiteSearchResults):
    """modelsearch's SQLite results, ranked in one statement when ordered by relevance."""

    def ranked(self) -> list[tuple] | None:
        """``(pk, score)`` of this slice of the results, best first. ``None`` where the search is not
        ranked this way."""
        compiler = self.query_compiler
        queryset = compiler.queryset
        normalized = normalize(compiler.query)
        if (
            not compiler.order_by_relevance
            or isinstance(normalized, MatchAll | Not)
            or not isinstance(compiler, SQLiteSearchQueryCompiler)
            or not _integer_pk(queryset.model)
        ):
            return None
        config = compiler.get_config(self.backend)
        match = MatchExpression(
            compiler.fields or compiler.FTS_TABLE_FIELDS, compiler.build_search_query(normalized, config=config)
        )
        row = queryset.order_by().filter(pk=OuterRef("object_pk"))
        entries = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(index_entry__content_type__in=get_descendants_content_types_pks(queryset.model))
            .annotate(
                object_pk=Cast("index_entry__object_id", IntegerField()),
                score=compiler._build_rank_expression(compiler.get_search_vectors(), config),
            )
            .filter(Exists(row))
            .order_by("score", "-object_pk")
            .values_list("object_pk", "score")
        )
        return list(entries[self.start : self.stop])

    def _do_search(self):
        ranked = self.ranked()
        if ranked is None:
            return super()._do_search()
        queryset = self.query_compiler.queryset
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        found = queryset.order_by().in_bulk([pk for pk, _ in ranked])
        score_field = self._score_field or "_score"
        results = []
        for pk, score in ranked:
            obj = found.pop(pk, None)  # popped: an object indexed under two types is listed once
            if obj is not None:
                setattr(obj, score_field, score)
                results.append(obj)
        return results


class RankedSQLiteSearchBackend(SQLiteSearchBackend):
    results_class = RankedSQLiteSearchResults


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = search.SearchBackend(params)  # FTS5's, or the fallback where SQLite has no FTS5
    if isinstance(backend, SQLiteSearchBackend):
        backend.__class__ = search.clean_class(RankedSQLiteSearchBackend)
    return backend
