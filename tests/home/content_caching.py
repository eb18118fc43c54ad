"""The content cache turned on for a test, in a memory cache of its own (renditions never cached)."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.cache import cache
from django.test import override_settings


@contextmanager
def content_cache_on(location: str, *, page_cache_seconds: int = 0):
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location},
        "renditions": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    with override_settings(CONTENT_CACHE_SECONDS=300, PAGE_CACHE_SECONDS=page_cache_seconds, CACHES=caches):
        cache.clear()
        try:
            yield
        finally:
            cache.clear()
