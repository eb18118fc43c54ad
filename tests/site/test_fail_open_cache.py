"""Redis going away: the site keeps serving (site/cache.py ``FailOpenRedisCache``).

``CACHE_URL`` points at a port where nothing listens. Django's own Redis backend then
raises on every page (the first test shows it); the fail-open backend the settings use
for ``redis://`` serves the pages uncached, answers /healthz as degraded, and keeps
counting the shop's rate limits in the process.
"""

from __future__ import annotations

import socket

import pytest
from django.core.cache import cache
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from site import cache as site_cache


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_away(closed_port: int, backend: str) -> dict:
    return {
        "default": {"BACKEND": backend, "LOCATION": f"redis://127.0.0.1:{closed_port}/1", "KEY_PREFIX": "away"},
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


def test_djangos_redis_backend_alone_fails_every_page(client, site_tree, closed_port):
    with (
        override_settings(CACHES=redis_away(closed_port, site_cache.DJANGO_REDIS), CONTENT_CACHE_SECONDS=300),
        pytest.raises(RedisConnectionError),
    ):
        client.get(site_tree.home.url)


def test_pages_are_served_while_redis_is_away(client, site_tree, closed_port):
    caches = redis_away(closed_port, site_cache.FAIL_OPEN_REDIS)
    with override_settings(CACHES=caches, CONTENT_CACHE_SECONDS=300, PAGE_CACHE_SECONDS=300):
        for url in (
            site_tree.home.url,
            site_tree.deep_tissue.url,
            site_tree.sciatica_article.url,
            site_tree.blog_index.url,
            "/sitemap.xml",
            "/api/v2/pages/?type=blog.ArticlePage&fields=*",
        ):
            for _ in range(2):  # the second request finds Redis marked away: no new attempt
                response = client.get(url)
                assert response.status_code == 200, url
                assert response.get("X-Page-Cache") != "hit", url
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json()["cache"] != "ok" and health.json()["status"] == "degraded"


def test_rate_limits_still_count_per_process_while_redis_is_away(closed_port, settings):
    from packages.storefront import ratelimit

    settings.CACHES = redis_away(closed_port, site_cache.FAIL_OPEN_REDIS)
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "gift_code": (3, 3600)}
    waits = [ratelimit.hit("gift_code", "ABCD-EFGH") for _ in range(5)]
    assert waits[:3] == [0, 0, 0]
    assert all(wait > 0 for wait in waits[3:])
    assert cache.get("anything", "missed") == "missed"


def test_the_settings_make_djangos_redis_backend_fail_open():
    redis = {"BACKEND": site_cache.DJANGO_REDIS, "LOCATION": "redis://cache:6379/1", "OPTIONS": {"db": 1}}
    made = site_cache.fail_open(redis)
    assert made["BACKEND"] == site_cache.FAIL_OPEN_REDIS
    assert made["OPTIONS"] == {"socket_connect_timeout": 1, "socket_timeout": 2, "db": 1}
    files = {"BACKEND": "site.cache.SharedFileCache", "LOCATION": "/tmp/x"}
    assert site_cache.fail_open(files) is files
