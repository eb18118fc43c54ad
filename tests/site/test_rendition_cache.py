"""Wagtail's rendition lookups on the shared cache without a rewrite per image tag (site/cache.py).

``Image.get_rendition`` writes what it found back to the cache every time, even a
rendition it took from prefetched ones; on the file cache every production server
uses by default that is a file written per image per page view. The ``renditions``
alias (``RenditionCache``) drops those rewrites and passes everything else on.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache, caches
from django.test import override_settings
from wagtail.images import get_image_model

from home.factories import ImageFactory

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rendition-cache-tests"},
    "renditions": {"BACKEND": "site.cache.RenditionCache", "LOCATION": "default"},
}
SPEC = "fill-120x80"


@pytest.fixture
def image(db):
    with override_settings(CACHES=CACHES):
        cache.clear()
        image = ImageFactory()
        image.get_rendition(SPEC)  # the rendition exists (and was cached when made)
        yield image
        cache.clear()


def _key(image, rendition) -> str:
    return rendition.get_cache_key()


def test_the_settings_use_the_rendition_cache_on_the_default_one(settings):
    assert settings.CACHES["renditions"] == {"BACKEND": "site.cache.RenditionCache", "LOCATION": "default"}


def test_a_prefetched_rendition_is_not_written_back(image):
    cache.clear()
    prefetched = get_image_model().objects.prefetch_renditions(SPEC).get(pk=image.pk)
    rendition = prefetched.get_rendition(SPEC)
    assert rendition._from_cache  # Wagtail's own mark for renditions it did not make or read from the database
    assert cache.get(_key(image, rendition)) is None


def test_a_looked_up_rendition_is_cached_and_found_again_without_a_query(image, django_assert_num_queries):
    cache.clear()
    fresh = get_image_model().objects.get(pk=image.pk)
    rendition = fresh.get_rendition(SPEC)  # not prefetched: from the database, then cached
    assert cache.get(_key(image, rendition)).pk == rendition.pk
    again = get_image_model().objects.get(pk=image.pk)
    with django_assert_num_queries(0):
        assert again.get_rendition(SPEC).pk == rendition.pk


def test_deleting_a_rendition_purges_it_through_the_alias(image):
    rendition = get_image_model().objects.get(pk=image.pk).get_rendition(SPEC)
    key = _key(image, rendition)
    assert caches["renditions"].get(key) is not None
    rendition.delete()
    assert cache.get(key) is None


def test_other_operations_pass_through(image):
    renditions = caches["renditions"]
    renditions.set("plain", 1)
    assert cache.get("plain") == 1 and renditions.get("plain") == 1
    assert renditions.add("added", 2) and cache.get("added") == 2
    assert renditions.incr("plain") == 2
    renditions.set_many({"a": 1, "b": 2})
    assert renditions.get_many(["a", "b"]) == {"a": 1, "b": 2}
    assert renditions.has_key("a") and renditions.touch("a", 60)
    renditions.delete_many(["a", "b"])
    assert cache.get("a") is None
    renditions.clear()
    assert cache.get("plain") is None
