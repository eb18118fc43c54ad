"""Media and static URLs worked out once per file name (home/performance/storage.py): what Django's
FileSystemStorage and WhiteNoise's manifest storage give, for any name, MEDIA_URL and DEBUG."""

from __future__ import annotations

import json

import pytest
from django.core.files.storage import FileSystemStorage, storages
from django.test import override_settings
from whitenoise.storage import CompressedManifestStaticFilesStorage

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


def _manifest(root, paths: dict) -> None:
    (root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "x"}))


@pytest.fixture
def static_root(tmp_path, settings):
    settings.STATIC_ROOT = str(tmp_path)
    settings.STATIC_URL = "/static/"
    _manifest(tmp_path, {"css/site.css": "css/site.5d41402a.css", "img/logo.svg": "img/logo.0cc175b9.svg"})
    return tmp_path


def test_static_urls_are_whitenoises_kept_per_name(static_root, settings, monkeypatch):
    theirs = CompressedManifestStaticFilesStorage()
    ours = memo.MemoizedUrlStaticFilesStorage()
    looked_up = []
    original = memo.CompressedManifestStaticFilesStorage.stored_name
    monkeypatch.setattr(
        memo.CompressedManifestStaticFilesStorage,
        "stored_name",
        lambda self, name: looked_up.append(name) or original(self, name),
    )
    for name in ("css/site.css", "img/logo.svg", "css/site.css?v=2#top"):
        assert ours.url(name) == theirs.url(name)
        assert ours.url(name) == theirs.url(name)
    assert ours.url("css/site.css") == "/static/css/site.5d41402a.css"
    looked_up.clear()
    ours.url("css/site.css")
    ours.url("img/logo.svg")
    assert looked_up == []
    settings.DEBUG = True  # DEBUG: the plain name, as Django's
    assert ours.url("css/site.css") == theirs.url("css/site.css") == "/static/css/site.css"
    assert ours.url("css/site.css", force=True) == "/static/css/site.5d41402a.css"


def test_a_static_name_not_in_the_manifest_fails_every_time(static_root):
    ours = memo.MemoizedUrlStaticFilesStorage()
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            ours.url("css/gone.css")


def test_collectstatic_forgets_the_kept_urls(static_root):
    ours = memo.MemoizedUrlStaticFilesStorage()
    assert ours.url("css/site.css") == "/static/css/site.5d41402a.css"
    # collectstatic makes a new manifest through post_process: nothing kept from before survives it.
    (static_root / "css").mkdir()
    (static_root / "css" / "site.css").write_text("body { color: #222; }")
    list(ours.post_process({"css/site.css": (ours, "css/site.css")}))
    assert ours.url("css/site.css") == CompressedManifestStaticFilesStorage().url("css/site.css")
    assert ours.url("css/site.css") != "/static/css/site.5d41402a.css"
