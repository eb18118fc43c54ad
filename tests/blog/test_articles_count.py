"""The journal's and a topic's total (home/selectors.py ``articles_count``): what the ORM's COUNT of
``BlogIndexPage.articles()`` gives, by a prepared query."""

from __future__ import annotations

from django.db import connection
from django.db.models.sql.query import Query
from django.test.utils import CaptureQueriesContext

from blog.models import ArticlePage, BlogIndexPage
from home import selectors


def _index(site_tree) -> BlogIndexPage:
    return BlogIndexPage.objects.get(pk=site_tree.blog_index.pk)


def test_the_same_totals_as_the_orms_count(site_tree, rf):
    index = _index(site_tree)
    request = rf.get("/", HTTP_HOST="localhost")
    for topic in (None, site_tree.sciatica, site_tree.piriformis):
        expected = index.articles(request, topic).count()
        assert selectors.articles_count(index, request, topic.pk if topic else None) == expected, topic
    assert selectors.articles_count(index, request) == 2  # the draft and the restricted article left out


def test_a_new_article_and_a_topic_without_articles(site_tree, rf):
    index = _index(site_tree)
    request = rf.get("/", HTTP_HOST="localhost")
    before = selectors.articles_count(index, request)
    article = ArticlePage(
        title="Sitting and sciatica", slug="sitting-and-sciatica", date="2026-11-30", summary="s", author="Runway team"
    )
    index.add_child(instance=article)
    article.topics.add(site_tree.sciatica)
    assert selectors.articles_count(index, request) == before + 1
    assert (
        selectors.articles_count(index, request, site_tree.sciatica.pk)
        == index.articles(request, site_tree.sciatica).count()
    )
    assert selectors.articles_count(index, request, 987654) == 0


def test_it_is_one_prepared_query_not_the_orms_count(site_tree, rf, monkeypatch):
    index = _index(site_tree)
    request = rf.get("/", HTTP_HOST="localhost")
    selectors.articles_count(index, request)  # prepared on first use
    monkeypatch.setattr(Query, "get_aggregation", lambda *a, **kw: (_ for _ in ()).throw(AssertionError("COUNT")))
    with CaptureQueriesContext(connection) as ctx:
        assert selectors.articles_count(index, request) == 2
    assert len(ctx.captured_queries) == 1
