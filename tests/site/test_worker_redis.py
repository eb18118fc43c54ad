"""Parallel test workers sharing one Redis each get a database of their own (tests/pytest_plugin.py).

Django's RedisCache.clear() is FLUSHDB: with one database, a test clearing its cache in one
worker would empty the other worker's rate-limit counters and content generation mid-test.
"""

from __future__ import annotations

from tests.pytest_plugin import _redis_url_for_worker


def test_each_worker_gets_the_next_database():
    url = "redis://127.0.0.1:6379/1?key_prefix=ci_run"
    assert _redis_url_for_worker(url, 0) == url
    assert _redis_url_for_worker(url, 1) == "redis://127.0.0.1:6379/2?key_prefix=ci_run"
    assert _redis_url_for_worker("redis://cache:6379", 3) == "redis://cache:6379/3"
    assert _redis_url_for_worker("rediss://user:pw@cache:6380/15", 1) == "rediss://user:pw@cache:6380/0"
