"""The SQLite search backend ranks a search by relevance in one statement (site/search.py,
``RankedSQLiteSearchResults``): the same objects, order, scores and totals as modelsearch's own
SQLite backend, which ran the FTS5 MATCH again for every matching object."""

from __future__ import annotations

import pytest
from django.db import connection

if connection.vendor != "sqlite":  # modelsearch's SQLite modules load its FTS5 model on import
    pytest.skip("the SQLite FTS5 backend's ranking", allow_module_level=True)

from django.test.utils import CaptureQueriesContext  # noqa: E402
from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend  # noqa: E402
from modelsearch.query import MatchAll, Not, Or, Phrase, PlainText  # noqa: E402
from wagtail.models import Page  # noqa: E402

from blog.factories import ArticlePageFactory  # noqa: E402
from blog.models import ArticlePage  # noqa: E402
from home.factories import StandardPageFactory, TreatmentPageFactory, paragraph  # noqa: E402
from site.sqlite.search import RankedSQLiteSearchResults, SearchBackend  # noqa: E402

WORD = "gluteus"


@pytest.fixture
def pages(site_tree):
    """Pages of three types matching WORD with different weights, some also matching "medius"."""
    for n in range(9):
        ArticlePageFactory(
            parent=site_tree.blog_index,
            title=f"The {WORD} medius, note {n}" if n % 3 else f"Hip notes {n}",
            summary=f"{WORD} " * (n + 1),
            body=[paragraph(f"<p>The {WORD} {'medius ' * n}steadies the pelvis.</p>")],
        )
    for n in range(3):
        TreatmentPageFactory(parent=site_tree.treatment_index, title=f"{WORD.title()} release {n}")
    StandardPageFactory(parent=site_tree.home, slug="hip", title=f"Where the {WORD} medius is", live=False)
    return site_tree


def _backends():
    return SearchBackend({}), SQLiteSearchBackend({})


def _shape(results):
    return [(type(obj), obj.pk, round(getattr(obj, "_score", 0.0), 9)) for obj in results]


QUERIES = [WORD, f"{WORD} medius", Phrase(f"{WORD} medius"), Or([PlainText("medius"), PlainText("pelvis")])]


@pytest.mark.parametrize("query", QUERIES, ids=str)
@pytest.mark.parametrize("window", [slice(None), slice(0, 5), slice(5, 10), slice(3, 4), slice(20, 30)])
def test_the_same_results_as_modelsearchs_sqlite_backend(pages, query, window):
    ours, theirs = _backends()
    for queryset in (Page.objects.live(), Page.objects.live().specific(), ArticlePage.objects.filter(live=True)):
        mine = ours.search(query, queryset)
        assert isinstance(mine, RankedSQLiteSearchResults)
        assert mine.ranked() is not None  # ranked in one statement, not modelsearch's way
        expected = _shape(theirs.search(query, queryset)[window])
        assert _shape(mine[window]) == expected
        assert mine.count() == theirs.search(query, queryset).count()
    assert expected or window.start == 20  # the windows hold results, but past the end


def test_the_score_field_and_prefetching_are_kept(pages):
    ours, theirs = _backends()
    queryset = ArticlePage.objects.live()
    mine = list(ours.search(WORD, queryset).annotate_score("relevance"))
    expected = list(theirs.search(WORD, queryset).annotate_score("relevance"))
    assert [(a.pk, a.relevance) for a in mine] == [(a.pk, a.relevance) for a in expected]
    results = ours.search(WORD, queryset)
    results.prefetch_related = ["topics"]
    with CaptureQueriesContext(connection) as ctx:
        found = list(results)
        for article in found:
            list(article.topics.all())
    assert len(found) == 9 and len(ctx.captured_queries) == 3  # ranked, the articles, their topics


@pytest.mark.parametrize("query", [MatchAll(), Not(PlainText(WORD))], ids=str)
def test_other_searches_are_modelsearchs_own(pages, query):
    ours, theirs = _backends()
    mine = ours.search(query, Page.objects.live())
    assert mine.ranked() is None
    assert [page.pk for page in mine] == [page.pk for page in theirs.search(query, Page.objects.live())]
    unordered = ours.search(WORD, Page.objects.live(), order_by_relevance=False)
    assert unordered.ranked() is None
    assert [page.pk for page in unordered] == [
        page.pk for page in theirs.search(WORD, Page.objects.live(), order_by_relevance=False)
    ]


def test_the_fts_table_is_matched_once(pages):
    ours, theirs = _backends()
    with CaptureQueriesContext(connection) as mine:
        list(ours.search(WORD, Page.objects.live())[:10])
    with CaptureQueriesContext(connection) as upstream:
        list(theirs.search(WORD, Page.objects.live())[:10])
    assert sum(query["sql"].count(" MATCH ") for query in upstream.captured_queries) == 2  # per object, and to filter
    assert sum(query["sql"].count(" MATCH ") for query in mine.captured_queries) == 1
