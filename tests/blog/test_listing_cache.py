"""A warm journal listing builds nothing it does not show.

With the content cache on, the index and a topic listing read their topic and their total
from the content cache and their cards from the cached fragment: the articles' and
treatments' querysets (filters, prefetches) are only built when the fragment renders
(the page of articles read when the listing's ``queries.PagedListing`` is shown, the treatments
by a template tag), and no query runs.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from home import selectors
from tests.home.content_caching import content_cache_on

LISTINGS = ("/articles/", "/articles/topic/sciatica/", "/articles/topic/sciatica/?page=1")


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """The names of the listing querysets built, as they are built."""
    calls: list[str] = []
    count, page, treatments = selectors.articles_count, selectors.articles_under, selectors.topic_treatments

    def counting_articles(*args, **kwargs):
        calls.append("articles")  # the listing's total (a prepared query)
        return count(*args, **kwargs)

    def counting_page(*args, **kwargs):
        calls.append("page")  # its page of cards (a prepared query)
        return page(*args, **kwargs)

    def counting_treatments(topic, request):
        calls.append("treatments")
        return treatments(topic, request)

    monkeypatch.setattr(selectors, "articles_count", counting_articles)
    monkeypatch.setattr(selectors, "articles_under", counting_page)
    monkeypatch.setattr(selectors, "topic_treatments", counting_treatments)
    return calls


def test_a_warm_listing_builds_no_queryset_and_runs_no_query(client, site_tree, built):
    with content_cache_on("listing-cache-tests"):
        for path in LISTINGS:
            assert client.get(path).status_code == 200
        assert built  # the first time, the fragment rendered the cards
        built.clear()
        for path in LISTINGS:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            assert response.status_code == 200
            assert site_tree.sciatica_article.title in response.content.decode()
            assert not queries.captured_queries, (path, [q["sql"][:80] for q in queries.captured_queries])
        assert built == []


def test_without_the_content_cache_the_cards_are_built_each_time(client, site_tree, built):
    for _ in range(2):
        assert site_tree.deep_tissue.title in client.get("/articles/topic/sciatica/").content.decode()
    assert sorted(built) == ["articles", "articles", "page", "page", "treatments", "treatments"], built


def test_a_renamed_topic_shows_at_once(client, site_tree):
    with content_cache_on("listing-cache-rename"):
        assert "<h1>Sciatica</h1>" in client.get("/articles/topic/sciatica/").content.decode()
        site_tree.sciatica.name = "Sciatic nerve pain"
        site_tree.sciatica.save()
        html = client.get("/articles/topic/sciatica/").content.decode()
        assert "<h1>Sciatic nerve pain</h1>" in html


def test_an_unknown_topic_is_404_with_the_cache_on_too(client, site_tree):
    with content_cache_on("listing-cache-404"):
        for _ in range(2):
            assert client.get("/articles/topic/no-such-topic/").status_code == 404
        assert client.get("/articles/topic/sciatica/", {"page": 99}).status_code == 404
