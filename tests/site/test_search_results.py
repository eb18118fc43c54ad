"""A page of search results (home/selectors.py ``search_results``): what Wagtail's ``specific()``
search gives (the same pages, types, order, deferred bodies and scores, the same total), every
type's rows read by one prepared query and the total counted without ranking."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page
from wagtail.search.backends.database import SearchBackend as wagtail_database_backend

from blog.factories import ArticlePageFactory
from home import selectors
from home.factories import StandardPageFactory, TreatmentPageFactory, paragraph
from home.models import TreatmentPage
from home.performance import queries

WORD = "quadratus"


@pytest.fixture
def many(site_tree):
    """Pages of three types that match WORD, more than a page of results."""
    for n in range(7):
        ArticlePageFactory(
            parent=site_tree.blog_index,
            title=f"Stretching the {WORD} lumborum, part {n}",
            summary=f"The {WORD} lumborum, again and again {'and ' * n}",
            body=[paragraph(f"<p>The {WORD} lumborum sits deep in the lower back.</p>")],
        )
    for n in range(4):
        TreatmentPageFactory(
            parent=site_tree.treatment_index, title=f"{WORD.title()} release {n}", summary=f"Easing the {WORD}."
        )
    StandardPageFactory(parent=site_tree.home, slug="anatomy", title=f"Where the {WORD} is")
    return site_tree


def _request():
    request = RequestFactory().get("/search/", HTTP_HOST="localhost")
    queries.attach_cached_site(request)
    return request


def _wagtails(query: str, number: int, request):
    # Wagtail's own database backend for this database, not the project's (site/search.py).
    queryset = queries.public(Page.objects.live(), request).defer_streamfields().specific()
    results = wagtail_database_backend({}).search(query, queryset)
    paginator = Paginator(results, selectors.SEARCH_RESULTS_PER_PAGE)
    page = paginator.page(number)
    return list(page.object_list), paginator.count, page.number


def _score(page):
    score = getattr(page, "_score", None)
    return None if score is None else round(score, 6)


def _shape(pages):
    return [(type(page), page.pk, page.title, sorted(page.get_deferred_fields())) for page in pages]


@pytest.mark.parametrize("number", [1, 2])
def test_the_same_results_as_wagtails_specific_search(many, number):
    request = _request()
    pages, total, found_number = selectors.search_results(WORD, number, request)
    theirs, their_total, their_number = _wagtails(WORD, number, request)
    assert (total, found_number) == (their_total, their_number) == (12, number)
    assert _shape(pages) == _shape(theirs)
    both = _wagtails(WORD, 1, request)[0] + _wagtails(WORD, 2, request)[0]
    assert len({type(page) for page in both}) == 3  # articles, treatments and a standard page
    # The score, where the backend gives one (SQLite's ranks by it; PostgreSQL's orders without it).
    assert [_score(page) for page in pages] == [_score(page) for page in theirs]
    assert any("body" in page.get_deferred_fields() for page in pages)  # the bodies are not read


def test_a_page_whose_type_is_gone_stays_plain(many):
    gone = ContentType.objects.create(app_label="gone", model="oldpage")
    anatomy = Page.objects.get(slug="anatomy")
    Page.objects.filter(pk=anatomy.pk).update(content_type=gone)
    pages = selectors.search_results(WORD, 1, _request())[0] + selectors.search_results(WORD, 2, _request())[0]
    assert {type(page) for page in pages if page.pk == anatomy.pk} == {Page}


def test_each_types_rows_come_from_a_prepared_query(many, compiled_sql):
    selectors.search_results(WORD, 1, _request())  # builds and compiles the prepared queries once
    compiled = compiled_sql()
    pages = selectors.search_results(WORD, 1, _request())[0]
    assert len({type(page) for page in pages}) >= 2
    # The search backend compiles its ranking query and the count; no page type's query.
    assert not [sql for sql in compiled if 'FROM "blog_articlepage"' in sql or 'FROM "home_treatmentpage"' in sql]


def test_a_page_of_results_takes_the_same_queries_whatever_its_types(many, django_assert_num_queries):
    """The results are read as their own types in one query (every type's table joined), not one
    query per type: a page of one type and a page of three cost the same."""
    request = _request()
    selectors.search_results("lumborum", 1, request)  # warms the prepared query for ten results
    selectors.search_results("release", 1, request)
    with CaptureQueriesContext(connection) as one_type:
        pages, total, _ = selectors.search_results("release", 1, request)
    assert total == 4 and {type(page) for page in pages} == {TreatmentPage}
    with CaptureQueriesContext(connection) as three_types:
        pages = selectors.search_results(WORD, 1, request)[0] + selectors.search_results(WORD, 2, request)[0]
    assert len({type(page) for page in pages}) == 3
    assert len(three_types.captured_queries) == 2 * len(one_type.captured_queries)
    assert len(one_type.captured_queries) == 3  # the total, the ranking, the pages
