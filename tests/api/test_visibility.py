"""Drafts and private pages never leak: listings, details, find, search and filters, in v2 and v3.

"Private" here is a password-protected article. Neither a signed-in user's
session nor a session that has entered the page's password widens what the
public API shows: only a v3 bearer token does (Wagtail's own permission checks).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from .helpers import API_VERSIONS, ContentAPITestCase, get_json, listing_items


class VisibilityTests(ContentAPITestCase):
    def hidden_pages(self):
        return [self.tree.draft_article, self.tree.private_article, self.draft_treatment]

    def assert_nothing_hidden(self, data):
        ids = {item["id"] for item in listing_items(data)}
        for page in self.hidden_pages():
            assert page.pk not in ids, page.title
            assert page.title not in str(data), page.title

    def listing_queries(self, api):
        tree = self.tree
        queries = [
            {},
            {"type": "blog.ArticlePage"},
            {"type": "blog.ArticlePage", "order": "-date"},
            {"search": "sciatica"},
            {"search": "Staff only notes"},
            {"search": "Unfinished draft"},
            {"child_of": tree.blog_index.pk},
            {"descendant_of": tree.home.pk},
            {"type": "home.TreatmentPage", "intensity": "strong"},
        ]
        if api == "v2":
            queries += [{"topic": "sciatica"}, {"topic": "sciatica", "search": "sciatica"}]
        return queries

    def test_listings_and_search_show_live_public_pages_only(self):
        for api in API_VERSIONS:
            for params in self.listing_queries(api):
                with self.subTest(api=api, params=params):
                    self.assert_nothing_hidden(get_json(self.client, f"/api/{api}/pages/", params))

    def test_hidden_pages_have_no_detail_and_cannot_be_found(self):
        for api in API_VERSIONS:
            for page in self.hidden_pages():
                with self.subTest(api=api, page=page.title):
                    assert self.client.get(f"/api/{api}/pages/{page.pk}/").status_code == 404
                    assert self.client.get(f"/api/{api}/pages/find/", {"id": page.pk}).status_code == 404
                    path = page.get_url_parts()[2]
                    assert self.client.get(f"/api/{api}/pages/find/", {"html_path": path}).status_code == 404

    def test_live_pages_are_found_by_path(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                response = self.client.get(
                    f"/api/{api}/pages/find/", {"html_path": "/articles/five-stretches-for-sciatica/"}
                )

                assert response.status_code == 302
                assert f"/api/{api}/pages/{self.tree.sciatica_article.pk}/" in response["Location"]

    def test_signed_in_session_does_not_unlock_anything(self):
        admin = get_user_model().objects.create_superuser("api-admin", "api-admin@example.com", password=None)
        self.client.force_login(admin)
        for api in API_VERSIONS:
            with self.subTest(api=api):
                response = self.client.get(f"/api/{api}/pages/")

                self.assert_nothing_hidden(response.json())
                assert self.client.get(f"/api/{api}/pages/{self.tree.draft_article.pk}/").status_code == 404
                # The editor stays signed in: the API left their session alone.
                assert "sessionid" not in response.cookies
        assert self.client.get("/admin/").status_code == 200

    def test_session_that_entered_the_password_sees_no_private_page_in_the_api(self):
        restriction = PageViewRestriction.objects.get(page=self.tree.private_article)
        session = self.client.session
        session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
        session.save()
        # The HTML site lets this visitor in…
        assert self.client.get(self.tree.private_article.url).status_code == 200
        for api in API_VERSIONS:
            with self.subTest(api=api):
                # …the public API, whose responses CDNs may cache for everyone, does not.
                self.assert_nothing_hidden(get_json(self.client, f"/api/{api}/pages/"))
                assert self.client.get(f"/api/{api}/pages/{self.tree.private_article.pk}/").status_code == 404

    def test_anonymous_v3_draft_version_is_the_live_page(self):
        about = self.tree.about
        about.title = "About the studio (unpublished rewrite)"
        about.save_revision()

        data = get_json(self.client, f"/api/v3/pages/{about.pk}/", {"version": "draft"})

        assert data["title"] == "About the studio"

    def test_related_lists_skip_hidden_pages(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                treatment = get_json(self.client, f"/api/{api}/pages/{self.tree.deep_tissue.pk}/")
                self.assert_nothing_hidden({"items": treatment["related_articles"]})
                article = get_json(self.client, f"/api/{api}/pages/{self.tree.sciatica_article.pk}/")
                self.assert_nothing_hidden({"items": article["related_treatments"]})
