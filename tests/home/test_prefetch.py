"""A request's content-cache entries in three reads (home/performance/prefetch.py).

With a cache that reads many keys in one round trip (Redis), a page-cache miss reads the
generation, then the Site, the route and the list of what the URL read one by one last
time (fragments, a listing's total, search results) in one ``get_many``, then everything
on that list in another; it read seven entries or more one by one before. The memory
cache here counts its reads and answers ``get_many`` itself, as Redis does.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import override_settings

from home.performance import prefetch

READS: list[tuple[str, tuple[str, ...]]] = []


class BatchingMemoryCache(LocMemCache):
    """A memory cache that reads many keys at once (as Redis does) and notes every read."""

    def get(self, key, default=None, version=None):
        READS.append(("get", (key,)))
        return super().get(key, default, version)

    def get_many(self, keys, version=None):
        keys = list(keys)
        READS.append(("get_many", tuple(keys)))
        return {key: value for key in keys if (value := super().get(key, version=version)) is not None}


def caches_config(backend: str) -> dict:
    return {
        "default": {"BACKEND": backend, "LOCATION": "prefetch-tests"},
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
        "template_fragments": {"BACKEND": "home.performance.prefetch.FragmentCache", "LOCATION": "default"},
    }


@contextmanager
def content_cache(backend: str = f"{__name__}.BatchingMemoryCache"):
    with override_settings(CONTENT_CACHE_SECONDS=300, PAGE_CACHE_SECONDS=0, CACHES=caches_config(backend)):
        cache.clear()
        READS.clear()
        try:
            yield
        finally:
            cache.clear()


def without_nonces(html: str) -> str:
    return re.sub(r'nonce="[^"]*"', "", html)


def single_gets() -> list[str]:
    return [keys[0] for verb, keys in READS if verb == "get"]


def fragment_gets() -> list[str]:
    return [key for key in single_gets() if "template.cache." in key]


@pytest.mark.parametrize("page", ["home", "treatment_index", "deep_tissue", "blog_index", "sciatica_article", "about"])
def test_a_warm_page_reads_the_cache_three_times(client, site_tree, page):
    url = getattr(site_tree, page).url
    with content_cache():
        first = client.get(url)
        assert client.get(url).status_code == 200  # the URL's fragment list is kept on this one
        READS.clear()
        again = client.get(url)
        assert again.status_code == 200
        assert [verb for verb, _ in READS] == ["get", "get_many", "get_many"], READS
        assert READS[0][1][0] == "content-cache:generation"
        site, route, listed = READS[1][1]
        assert ":site:testserver:80" in site and ":route:testserver:80:" in route
        assert listed.endswith(f":reads:testserver:80:{url}")
        fragments = {key.split(".")[2] for key in READS[2][1] if key.startswith("template.cache.")}
        assert {"head", "header", "footer"} <= fragments
        assert without_nonces(again.content.decode()) == without_nonces(first.content.decode())


@pytest.mark.parametrize("url", ["/search/?q=sciatica", "/articles/topic/sciatica/", "/articles/?page=1"])
def test_search_and_listings_read_their_entries_at_once(client, site_tree, url):
    with content_cache():
        first = client.get(url)
        client.get(url)
        READS.clear()
        again = client.get(url)
        assert again.status_code == 200
        assert [verb for verb, _ in READS].count("get_many") == 2, READS
        # One by one: only the generation, and (search) Wagtail's own site root paths.
        assert set(single_gets()) <= {"content-cache:generation", "wagtail_site_root_paths"}, READS
        assert without_nonces(again.content.decode()) == without_nonces(first.content.decode())


def test_a_publish_is_seen_through_the_prefetched_entries(client, site_tree):
    article = site_tree.sciatica_article
    with content_cache():
        for _ in range(3):
            client.get(article.url)
        article.title = "Seven stretches for sciatica"
        article.save_revision().publish()
        for _ in range(2):  # rendered afresh, then from the new generation's prefetched fragments
            html = client.get(article.url).content.decode()
            assert "<title>Seven stretches for sciatica" in html


def test_a_signed_in_visitor_reads_no_fragment_and_leaves_no_list(client, site_tree, django_user_model):
    user = django_user_model.objects.create_user("maya", password="a long enough password")
    client.force_login(user)
    with content_cache():
        for _ in range(2):
            assert client.get(site_tree.sciatica_article.url).status_code == 200
        assert fragment_gets() == []
        assert not [key for key in caches["default"]._cache if ":reads:" in key]


def test_a_cache_that_reads_one_key_at_a_time_gets_no_fragment_list(client, site_tree):
    with content_cache("django.core.cache.backends.locmem.LocMemCache"):
        for _ in range(2):
            assert client.get(site_tree.sciatica_article.url).status_code == 200
        assert not prefetch.batches()
        assert not [key for key in caches["default"]._cache if ":reads:" in key]
        assert [key for key in caches["default"]._cache if "template.cache.head." in key]


def test_the_memo_reads_a_key_once_per_request_and_only_inside_a_request():
    reads = []

    def read(key):
        reads.append(key)
        return {"present": "value"}.get(key)

    assert prefetch.get("present", read) == "value"
    assert prefetch.get("present", read) == "value"
    assert reads == ["present", "present"]  # no request scope: nothing kept
    reads.clear()
    with prefetch.scope():
        assert prefetch.get("present", read) == "value"
        assert prefetch.get("present", read) == "value"
        assert prefetch.get("absent", read) is None
        assert prefetch.get("absent", read) is None
        prefetch.put("written", "new")
        assert prefetch.get("written", read) == "new"
    assert reads == ["present", "absent"]
