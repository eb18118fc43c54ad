"""The anonymous page cache and the content cache: what is cached, for whom, and what invalidates it."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.test import override_settings
from django.urls import path

from home.performance import generation as content_cache
from home.performance.middleware import request_is_cacheable
from packages.factories import SessionSeriesFactory

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "page-cache-tests"}}


@pytest.fixture(autouse=True)
def caches_on():
    with override_settings(CONTENT_CACHE_SECONDS=300, PAGE_CACHE_SECONDS=300, CACHES=CACHES):
        from django.core.cache import cache

        cache.clear()
        yield


def cache_state(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.get("X-Page-Cache"), response


def test_anonymous_pages_are_served_from_the_cache(client, site_tree):
    for url in (site_tree.home.url, site_tree.treatment_index.url, site_tree.sciatica_article.url, "/sitemap.xml"):
        assert cache_state(client, url)[0] == "miss"
        assert cache_state(client, url)[0] == "hit"


def test_publishing_and_unpublishing_invalidate(client, site_tree):
    article = site_tree.sciatica_article
    cache_state(client, site_tree.blog_index.url)
    assert cache_state(client, site_tree.blog_index.url)[0] == "hit"

    article.title = "Seven stretches for sciatica"
    article.save_revision().publish()
    state, response = cache_state(client, site_tree.blog_index.url)
    assert state == "miss"
    assert "Seven stretches for sciatica" in response.content.decode()

    article.unpublish()
    state, response = cache_state(client, site_tree.blog_index.url)
    assert state == "miss"
    assert "Seven stretches for sciatica" not in response.content.decode()
    assert client.get(article.url).status_code == 404


def test_offer_changes_invalidate(client, site_tree):
    series = SessionSeriesFactory(title="Five deep tissue sessions", treatment=site_tree.deep_tissue, featured=True)
    for url in (site_tree.home.url, site_tree.deep_tissue.url, "/api/shop/offers"):
        state, response = cache_state(client, url)
        assert "Five deep tissue sessions" in response.content.decode()
        assert cache_state(client, url)[0] == "hit"

    series.title = "Six deep tissue sessions"
    series.save()
    for url in (site_tree.home.url, site_tree.deep_tissue.url, "/api/shop/offers"):
        state, response = cache_state(client, url)
        assert state == "miss"
        assert "Six deep tissue sessions" in response.content.decode()

    series.delete()
    for url in (site_tree.home.url, site_tree.deep_tissue.url, "/api/shop/offers"):
        state, response = cache_state(client, url)
        assert state == "miss"
        assert "Six deep tissue sessions" not in response.content.decode()


def test_settings_changes_invalidate(client, site_tree):
    cache_state(client, site_tree.home.url)
    site_tree.settings.phone = "+1 555 0199"
    site_tree.settings.save()
    state, response = cache_state(client, site_tree.home.url)
    assert state == "miss"
    assert "+1 555 0199" in response.content.decode()


def test_signed_in_users_are_never_cached(client, site_tree, django_user_model):
    user = django_user_model.objects.create_user(username="reader")
    client.force_login(user)
    for _ in range(2):
        state, _ = cache_state(client, site_tree.home.url)
        assert state is None
    client.logout()
    assert cache_state(client, site_tree.home.url)[0] == "miss"


def test_cached_pages_are_not_served_to_signed_in_users(client, site_tree, django_user_model):
    cache_state(client, site_tree.home.url)
    assert cache_state(client, site_tree.home.url)[0] == "hit"
    client.force_login(django_user_model.objects.create_user(username="reader"))
    assert cache_state(client, site_tree.home.url)[0] is None


def test_shop_and_private_pages_are_never_cached(client, site_tree):
    for url in ("/shop/", "/api/shop/openapi.json"):
        response = client.get(url)
        assert "X-Page-Cache" not in response
    # A password-protected page answers with a form (and a CSRF token): never stored.
    response = client.get(site_tree.private_article.url)
    assert "X-Page-Cache" not in response
    assert "X-Page-Cache" not in client.get(site_tree.private_article.url)


def test_requests_with_session_or_messages_cookies_bypass_the_cache(rf):
    assert request_is_cacheable(rf.get("/"))
    request = rf.get("/")
    request.COOKIES["sessionid"] = "x"
    assert not request_is_cacheable(request)
    request = rf.get("/")
    request.COOKIES["messages"] = "x"
    assert not request_is_cacheable(request)
    assert not request_is_cacheable(rf.post("/"))
    assert not request_is_cacheable(rf.get("/shop/deep-5/"))
    assert request_is_cacheable(rf.get("/api/shop/offers"))


def _with_message(request):
    from django.http import HttpResponse

    messages.info(request, "Thanks!")
    return HttpResponse("<p>Thanks!</p>")


def _with_csrf(request):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    return HttpResponse(f"<form>{get_token(request)}</form>")


urlpatterns = [path("with-message/", _with_message), path("with-csrf/", _with_csrf)]


@override_settings(ROOT_URLCONF=__name__)
def test_responses_with_messages_or_csrf_tokens_are_not_stored(client, db):
    for url in ("/with-message/", "/with-csrf/"):
        first = client.get(url)
        assert first.status_code == 200
        assert "X-Page-Cache" not in first
        client.cookies.clear()
        assert "X-Page-Cache" not in client.get(url)


def test_invalidate_starts_a_new_generation(db):
    before = content_cache.generation()
    content_cache.invalidate()
    assert content_cache.generation() != before


def test_the_sitemap_is_cached_under_the_generation_without_the_page_cache(client, site_tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with override_settings(PAGE_CACHE_SECONDS=0):
        first = client.get("/sitemap.xml")
        with CaptureQueriesContext(connection) as ctx:
            again = client.get("/sitemap.xml")
        assert again.status_code == 200 and again.content == first.content
        assert len(ctx.captured_queries) == 0
        article = site_tree.sciatica_article
        article.slug = "sciatica-stretches-revised"
        article.save_revision().publish()
        assert b"sciatica-stretches-revised" in client.get("/sitemap.xml").content


# --- Stored compressed: one gzip per stored page, sent as is to clients that accept it ---------


def test_gzip_clients_get_the_stored_compressed_body_and_others_the_same_page_inflated(client, site_tree):
    import gzip

    url = site_tree.sciatica_article.url
    zipped_miss = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped_miss["X-Page-Cache"] == "miss"
    assert zipped_miss["Content-Encoding"] == "gzip"
    assert int(zipped_miss["Content-Length"]) == len(zipped_miss.content)
    page = gzip.decompress(zipped_miss.content)
    assert b"<html" in page and len(zipped_miss.content) < len(page) / 2

    zipped_hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped_hit["X-Page-Cache"] == "hit"
    assert zipped_hit["Content-Encoding"] == "gzip"
    assert zipped_hit.content == zipped_miss.content  # compressed once, when stored
    assert int(zipped_hit["Content-Length"]) == len(zipped_hit.content)

    for accept in (None, "identity", "gzip;q=0", "br"):
        plain = client.get(url, **({"HTTP_ACCEPT_ENCODING": accept} if accept else {}))
        assert plain["X-Page-Cache"] == "hit", accept
        assert "Content-Encoding" not in plain, accept
        assert plain.content == page, accept
        assert int(plain["Content-Length"]) == len(page)
    for response in (zipped_miss, zipped_hit, plain):
        assert "Accept-Encoding" in response["Vary"]


def test_a_plain_first_visitor_stores_the_page_compressed_too(client, site_tree):
    import gzip

    url = site_tree.home.url
    plain = client.get(url)
    assert plain["X-Page-Cache"] == "miss" and "Content-Encoding" not in plain
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="deflate, gzip;q=0.5")
    assert zipped["X-Page-Cache"] == "hit" and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content


def test_api_listings_keep_a_weak_etag_and_answer_304_when_compressed(client, site_tree):
    import gzip
    import json

    url = "/api/v2/pages/?type=blog.ArticlePage&fields=*"
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(first.content))["meta"]["total_count"] >= 1
    etag = first["ETag"]
    assert etag.startswith('W/"')
    hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Page-Cache"] == "hit" and hit["ETag"] == etag
    assert client.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag).status_code == 304


def _short(request):
    from django.http import HttpResponse

    return HttpResponse("<p>short</p>")


def _binary(request):
    from django.http import HttpResponse

    return HttpResponse(bytes(range(256)) * 20, content_type="application/octet-stream")


def _strong_etag(request):
    from django.http import HttpResponse

    response = HttpResponse("<p>" + "a long paragraph " * 200 + "</p>")
    response["ETag"] = '"v1"'
    return response


urlpatterns += [path("short/", _short), path("binary/", _binary), path("strong-etag/", _strong_etag)]


@override_settings(ROOT_URLCONF=__name__)
def test_short_and_binary_bodies_are_stored_as_they_are(client, db):
    for url in ("/short/", "/binary/"):
        for state in ("miss", "hit"):
            response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
            assert response["X-Page-Cache"] == state
            assert "Content-Encoding" not in response
            assert int(response["Content-Length"]) == len(response.content)


@override_settings(ROOT_URLCONF=__name__)
def test_a_strong_etag_becomes_weak_on_the_compressed_answer_only(client, db):
    assert client.get("/strong-etag/", HTTP_ACCEPT_ENCODING="gzip")["ETag"] == 'W/"v1"'
    assert client.get("/strong-etag/", HTTP_ACCEPT_ENCODING="gzip")["ETag"] == 'W/"v1"'
    assert client.get("/strong-etag/")["ETag"] == '"v1"'


def test_accepts_gzip_reads_quality_values(rf):
    from home.performance.middleware import accepts_gzip

    accepted = ("gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*", "GZIP", "deflate,gzip")
    refused = ("", "identity", "gzip;q=0", "gzip;q=0.0, br", "x-gzip", "br", "gzip;q=zero")
    for header in accepted:
        assert accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING=header)), header
    for header in refused:
        assert not accepts_gzip(rf.get("/", HTTP_ACCEPT_ENCODING=header)), header
