"""Media URLs worked out once per file name (home/performance/storage.py): what Django's
FileSystemStorage gives, for any name and MEDIA_URL."""

from __future__ import annotations

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.test import override_settings

from home.performance import storage as memo

NAMES = [
    "images/hero.jpg",
    "images/hero.2e16d0ba.fill-800x450.format-webp.webp",
    "original_images/massage room #2.jpg",
    "original_images/spa?day&night.png",
    "original_images/Ürün café.jpg",
    "/leading/slash.jpg",
    "percent%20already.jpg",
    "",
]


@pytest.fixture(autouse=True)
def fresh_memo():
    memo._joined.cache_clear()
    yield
    memo._joined.cache_clear()


@pytest.mark.parametrize("media_url", ["/media/", "https://cdn.example.com/studio/media/", "media/"])
def test_the_same_urls_as_djangos_storage(tmp_path, media_url):
    ours = memo.MemoizedUrlFileSystemStorage(location=tmp_path, base_url=media_url)
    djangos = FileSystemStorage(location=tmp_path, base_url=media_url)
    for name in NAMES:
        assert ours.url(name) == djangos.url(name), name
        assert ours.url(name) == djangos.url(name), name  # from the memo


def test_each_name_is_joined_once(tmp_path, monkeypatch):
    calls = []
    original = memo.urljoin
    monkeypatch.setattr(memo, "urljoin", lambda *args: calls.append(args) or original(*args))
    ours = memo.MemoizedUrlFileSystemStorage(location=tmp_path, base_url="/media/")
    for _ in range(3):
        for name in NAMES[:3]:
            ours.url(name)
    assert len(calls) == 3


def test_a_new_media_url_gives_new_urls(tmp_path):
    with override_settings(MEDIA_URL="/media/"):
        ours = memo.MemoizedUrlFileSystemStorage(location=tmp_path)
        assert ours.url("a.jpg") == "/media/a.jpg"
    with override_settings(MEDIA_URL="https://cdn.example.com/m/"):
        assert ours.url("a.jpg") == "https://cdn.example.com/m/a.jpg"


def test_without_a_base_url_it_refuses_as_django_does(tmp_path):
    with override_settings(MEDIA_URL=None), pytest.raises(ValueError, match="not accessible via a URL"):
        memo.MemoizedUrlFileSystemStorage(location=tmp_path).url("a.jpg")


def test_it_is_the_default_storage_of_the_embedded_defaults():
    assert type(storages["default"]) is memo.MemoizedUrlFileSystemStorage
