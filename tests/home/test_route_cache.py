"""Routes, site settings and search results from the content cache (home/performance/routing.py).

With the content cache on, the second request for a path runs none of Wagtail's routing
queries: the page, its parents, images and renditions come back from the cache, until a
change starts a new content generation. What a route may never do: outlive a change,
skip the view-restriction check, or be stored for a path that answered anything but 200.
"""

from __future__ import annotations

import pickle

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from home.performance import routing
from tests.home.content_caching import content_cache_on


@pytest.fixture(autouse=True)
def content_cache():
    with content_cache_on("route-cache-tests"):
        yield


def stored_routes() -> list[str]:
    return [key for key in cache._cache if ":route:" in key]


def get(client, url, status=200):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response, [q["sql"] for q in ctx.captured_queries]


def page_reads(queries: list[str]) -> list[str]:
    """Queries loading pages (routing) or the studio settings; a listing's COUNT is neither."""
    return [sql for sql in queries if '"wagtailcore_page"."path", ' in sql or "studiosettings" in sql]


def test_the_second_request_routes_from_the_cache(client, site_tree):
    for page in (site_tree.home, site_tree.treatment_index, site_tree.deep_tissue, site_tree.sciatica_article):
        first, first_queries = get(client, page.url)
        second, second_queries = get(client, page.url)
        assert page_reads(first_queries), page.url  # routed by Wagtail the first time
        assert page_reads(second_queries) == [], (page.url, second_queries)
        assert second.content == first.content
    assert len(stored_routes()) == 4


def test_a_cached_route_serves_what_routing_loaded(client, site_tree):
    url = site_tree.sciatica_article.url
    get(client, url)
    response, queries = get(client, url)
    assert queries == []  # page, hero and share images, renditions, settings: all from the cache
    html = response.content.decode()
    assert site_tree.sciatica_article.title in html
    assert site_tree.blog_index.title in html  # the breadcrumbs: the parents routing left on the page
    assert site_tree.settings.phone in html  # the studio settings, from the cache too


def test_publishing_routes_again(client, site_tree):
    article = site_tree.sciatica_article
    get(client, article.url)
    article.title = "Six stretches for sciatica"
    article.save_revision().publish()
    response, queries = get(client, article.url)
    assert page_reads(queries)
    assert "Six stretches for sciatica" in response.content.decode()

    article.unpublish()
    get(client, article.url, status=404)


def test_moving_a_page_routes_again(client, site_tree):
    article = site_tree.sciatica_article
    old_url = article.url
    get(client, old_url)
    article.slug = "stretches-for-sciatica"
    article.save_revision().publish()
    get(client, old_url, status=404)
    get(client, "/articles/stretches-for-sciatica/")


def test_paths_that_do_not_answer_200_store_no_route(client, site_tree):
    for url in (
        site_tree.blog_index.url + "no-such-article/",
        site_tree.blog_index.url + "topic/no-such-topic/",
        site_tree.draft_article.url,
    ):
        get(client, url, status=404)
        get(client, url, status=404)
    assert stored_routes() == []


def test_a_routable_page_sub_route_is_cached_with_its_view(client, site_tree):
    url = site_tree.blog_index.url + "topic/sciatica/"
    first, _ = get(client, url)
    second, queries = get(client, url)
    assert page_reads(queries) == []
    assert second.content == first.content
    assert "Five stretches for sciatica" in second.content.decode()


def test_restricted_pages_still_ask_for_the_password_every_time(client, site_tree):
    url = site_tree.private_article.url
    for _ in range(3):
        response, _ = get(client, url)
        assert "<title>Password required</title>" in response.content.decode()
    # Restricting a public page starts a new generation: its cached route is not served bare.
    get(client, site_tree.about.url)
    PageViewRestriction.objects.create(
        page=site_tree.about, restriction_type=PageViewRestriction.PASSWORD, password="about-only"
    )
    response, _ = get(client, site_tree.about.url)
    assert "<title>Password required</title>" in response.content.decode()
    assert "Founded in 2019" not in response.content.decode()


def test_an_unreadable_stored_route_routes_again(client, site_tree):
    url = site_tree.deep_tissue.url
    get(client, url)
    [key] = stored_routes()
    cache._cache[key] = pickle.dumps(b"not a route")  # as another version of the code might leave it
    response, queries = get(client, url)
    assert page_reads(queries)
    assert site_tree.deep_tissue.title in response.content.decode()


def test_a_route_that_cannot_be_pickled_is_routed_every_time(client, site_tree, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise pickle.PicklingError("cannot pickle this page")

    monkeypatch.setattr(routing, "_dumps", refuse)
    for _ in range(2):
        response, queries = get(client, site_tree.swedish.url)
        assert page_reads(queries)
    assert stored_routes() == []
    assert "cannot be cached" in caplog.text


def test_the_content_cache_off_stores_no_route(client, site_tree):
    with override_settings(CONTENT_CACHE_SECONDS=0):
        get(client, site_tree.deep_tissue.url)
        _, queries = get(client, site_tree.deep_tissue.url)
    assert page_reads(queries)
    assert stored_routes() == []


def test_site_settings_come_from_the_cache_and_follow_a_save(client, site_tree):
    get(client, site_tree.about.url)
    response, queries = get(client, site_tree.about.url)
    assert [sql for sql in queries if "studiosettings" in sql] == []
    assert "+1 555 0100" in response.content.decode()
    site_tree.settings.phone = "+1 555 0177"
    site_tree.settings.save()
    response, _ = get(client, site_tree.about.url)
    assert "+1 555 0177" in response.content.decode()


def test_search_results_come_from_the_content_cache_until_a_change(client, site_tree):
    from tests.conftest import SEARCH_WORD

    url = f"/search/?q={SEARCH_WORD}"
    first, _ = get(client, url)
    assert site_tree.sciatica_article.title in first.content.decode()
    second, queries = get(client, url)
    assert queries == []
    assert second.content == first.content
    site_tree.sciatica_article.unpublish()
    third, queries = get(client, url)
    assert queries
    assert site_tree.sciatica_article.title not in third.content.decode()
    assert "0 results" in third.content.decode()
