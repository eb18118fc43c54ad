"""Caching headers: every public response has Cache-Control and an ETag that changes when content is published.

A conditional GET (If-None-Match) answers 304 until something is published,
unpublished or otherwise changed; then 200 with the new content and a new ETag.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import APIToken

from .helpers import API_VERSIONS, ContentAPITestCase, listing_items


class CachingTests(ContentAPITestCase):
    def urls(self):
        about = self.tree.about.pk
        return [
            "/api/v2/pages/",
            f"/api/v2/pages/{about}/",
            "/api/v2/settings/",
            "/api/v2/topics/",
            "/api/v2/team/",
            "/api/v2/faq/",
            "/api/v3/pages/",
            f"/api/v3/pages/{about}/",
            "/api/v3/settings/",
            "/api/v3/topics/sciatica/",
            "/api/v3/team/",
            "/api/v3/testimonials/",
            "/api/v3/faq/",
            "/api/v3/openapi.json",
        ]

    def test_public_responses_carry_cache_control_and_etag(self):
        etags = set()
        for url in self.urls():
            with self.subTest(url=url):
                response = self.client.get(url)

                assert response.status_code == 200
                assert response["ETag"].startswith('W/"')
                assert response["Cache-Control"] == "public, max-age=0, must-revalidate"
                assert "Authorization" in response["Vary"]
                etags.add(response["ETag"])
        assert len(etags) == len(self.urls())  # one per URL

    @override_settings(CONTENT_API_MAX_AGE=300)
    def test_max_age_comes_from_settings(self):
        assert self.client.get("/api/v2/pages/")["Cache-Control"] == "public, max-age=300, must-revalidate"

    def test_conditional_get_is_304_until_a_publish(self):
        about = self.tree.about
        for number, api in enumerate(API_VERSIONS):
            with self.subTest(api=api):
                url = f"/api/{api}/pages/{about.pk}/"
                first = self.client.get(url)
                etag = first["ETag"]

                again = self.client.get(url, headers={"If-None-Match": etag})
                assert again.status_code == 304
                assert again["ETag"] == etag
                assert again.content == b""
                assert "public" in again["Cache-Control"]

                about.title = f"About us, take {number}"
                about.save_revision().publish()

                after = self.client.get(url, headers={"If-None-Match": etag})
                assert after.status_code == 200
                assert after.json()["title"] == f"About us, take {number}"
                assert after["ETag"] != etag
                assert self.client.get(url, headers={"If-None-Match": after["ETag"]}).status_code == 304

    def test_unpublishing_invalidates_listings(self):
        url = "/api/v2/pages/"
        etag = self.client.get(url)["ETag"]

        self.tree.piriformis_article.unpublish()

        response = self.client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200
        assert self.tree.piriformis_article.pk not in {item["id"] for item in listing_items(response.json())}

    def test_changed_settings_invalidate(self):
        url = "/api/v3/settings/"
        etag = self.client.get(url)["ETag"]

        self.tree.settings.phone = "+1 555 0199"
        self.tree.settings.save()

        response = self.client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200
        assert response.json()["phone"] == "+1 555 0199"

    def test_errors_and_token_requests_are_not_cached_publicly(self):
        missing = self.client.get("/api/v2/pages/999999/")
        assert missing.status_code == 404
        assert not missing.has_header("ETag")

        admin = get_user_model().objects.create_superuser("api-admin", "api-admin@example.com", password=None)
        _, key = APIToken.create_token(user=admin, name="front-end build")
        with_token = self.client.get("/api/v3/pages/", headers={"Authorization": f"Bearer {key}"})
        assert with_token.status_code == 200
        assert "private" in with_token["Cache-Control"]
        assert "no-store" in with_token["Cache-Control"]
        assert not with_token.has_header("ETag")


CONTENT_CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-answers"}}


@override_settings(CONTENT_CACHE_SECONDS=300, CACHES=CONTENT_CACHES)
class ContentCachedAnswerTests(ContentAPITestCase):
    """With the content cache on, an answer is rendered once per content generation (home/performance/responses.py)."""

    def setUp(self):
        super().setUp()
        from django.core.cache import cache

        cache.clear()

    def get(self, url, **kwargs):
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url, **kwargs)
        return response, len(ctx.captured_queries)

    def test_the_second_answer_runs_no_query_and_is_the_same(self):
        for url in ("/api/v2/pages/?type=blog.ArticlePage&fields=*", "/api/v3/pages/", "/api/v3/topics/sciatica/"):
            with self.subTest(url=url):
                first, first_queries = self.get(url)
                second, second_queries = self.get(url)
                assert first.status_code == second.status_code == 200
                assert first_queries > 0 and second_queries == 0
                assert second.content == first.content
                assert second["Content-Type"] == first["Content-Type"]
                assert second["ETag"] == first["ETag"]
                assert second["Cache-Control"] == "public, max-age=0, must-revalidate"

    def test_a_publish_renders_it_again(self):
        url = f"/api/v2/pages/{self.tree.about.pk}/"
        self.get(url)
        self.tree.about.title = "About the two of us"
        self.tree.about.save_revision().publish()
        response, queries = self.get(url)
        assert queries > 0
        assert response.json()["title"] == "About the two of us"

    def test_a_signed_in_editor_gets_the_same_public_answer(self):
        url = "/api/v2/pages/?type=blog.ArticlePage"
        anonymous, _ = self.get(url)
        editor = get_user_model().objects.create_superuser("api-editor", "api-editor@example.com", password=None)
        self.client.force_login(editor)
        signed_in, queries = self.get(url)
        assert queries <= 2  # the session and the user, read by their middleware; no content query
        assert signed_in.content == anonymous.content
        ids = {item["id"] for item in listing_items(signed_in.json())}
        assert self.tree.private_article.pk not in ids and self.tree.draft_article.pk not in ids

    def test_errors_and_token_requests_are_not_kept(self):
        for _ in range(2):
            missing, queries = self.get("/api/v2/pages/999999/")
            assert missing.status_code == 404 and queries > 0
        admin = get_user_model().objects.create_superuser("api-admin2", "api-admin2@example.com", password=None)
        _, key = APIToken.create_token(user=admin, name="front-end build")
        self.get("/api/v3/pages/")
        with_token, queries = self.get("/api/v3/pages/", headers={"Authorization": f"Bearer {key}"})
        assert with_token.status_code == 200 and queries > 0
        assert "no-store" in with_token["Cache-Control"]
