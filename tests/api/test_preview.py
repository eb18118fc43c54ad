"""Headless preview: the admin's Preview hands the front end a short-lived token for the draft.

With HEADLESS_PREVIEW_URL configured (WAGTAIL_HEADLESS_PREVIEW["CLIENT_URLS"]),
Preview shows the front end's preview URL with ``content_type`` and ``token``;
the front end fetches the unsaved draft from /api/v2/page_preview/ or
/api/v3/page_preview/ with them until the token is older than
HEADLESS_PREVIEW_TOKEN_MAX_AGE. Without it, Wagtail's own preview renders the page.
"""

from __future__ import annotations

import html
import re
import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from .helpers import API_VERSIONS, ContentAPITestCase, get_json

FRONT_END_PREVIEW = "https://front.runway-massage.example/api/preview"
HEADLESS = {"CLIENT_URLS": {"default": FRONT_END_PREVIEW}, "ENFORCE_TRAILING_SLASH": False}
DRAFT_TITLE = "About the studio (draft rewrite)"
DRAFT_HEADING = "Who we are now"


class PreviewTests(ContentAPITestCase):
    def setUp(self):
        editor = get_user_model().objects.create_user(username="preview-editor", email="editor@example.com")
        editor.groups.add(Group.objects.get(name="Editors"))
        self.client.force_login(editor)

    def press_preview(self):
        """What the editor's browser does: post the edit form to the preview view, then load the preview."""
        about = self.tree.about
        url = reverse("wagtailadmin_pages:preview_on_edit", args=[about.pk])
        form = nested_form_data(
            {
                "title": DRAFT_TITLE,
                "slug": about.slug,
                "intro": about.intro,
                "body": streamfield(
                    [("heading", {"text": DRAFT_HEADING, "level": "h2"}), ("paragraph", rich_text("<p>New text.</p>"))]
                ),
                "comments": inline_formset([]),
            }
        )
        posted = self.client.post(url, form)
        assert posted.json() == {"is_valid": True, "is_available": True}
        return self.client.get(url)

    def preview_params(self, response) -> dict[str, str]:
        match = re.search(r'<iframe src="([^"]+)"', response.content.decode())
        assert match, response.content[:500]
        preview_url = html.unescape(match.group(1))
        assert preview_url.startswith(FRONT_END_PREVIEW + "?")
        return {key: values[0] for key, values in parse_qs(urlsplit(preview_url).query).items()}

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=HEADLESS)
    def test_front_end_fetches_the_draft_with_the_token(self):
        params = self.preview_params(self.press_preview())
        assert params["content_type"] == "home.standardpage"
        self.client.logout()  # the front end has no admin session, only the token

        for api in API_VERSIONS:
            with self.subTest(api=api):
                response = self.client.get(f"/api/{api}/page_preview/", params)

                assert response.status_code == 200
                data = response.json()
                assert data["id"] == self.tree.about.pk
                assert data["title"] == DRAFT_TITLE
                assert data["meta"]["type"] == "home.StandardPage"
                assert data["body"][0]["value"] == {"text": DRAFT_HEADING, "level": "h2"}
                assert "no-store" in response["Cache-Control"]
                assert not response.has_header("ETag")
                # Nothing was published.
                assert get_json(self.client, f"/api/{api}/pages/{self.tree.about.pk}/")["title"] == "About the studio"

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=HEADLESS, HEADLESS_PREVIEW_TOKEN_MAX_AGE=15 * 60)
    def test_token_expires(self):
        params = self.preview_params(self.press_preview())
        now = time.time()
        for api in API_VERSIONS:
            url = f"/api/{api}/page_preview/"
            with self.subTest(api=api, minutes=14), mock.patch("time.time", return_value=now + 14 * 60):
                assert self.client.get(url, params).status_code == 200
            with self.subTest(api=api, minutes=16), mock.patch("time.time", return_value=now + 16 * 60):
                response = self.client.get(url, params)
                assert response.status_code == 410
                assert "expired" in response.content.decode()

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=HEADLESS)
    def test_forged_missing_or_mismatched_tokens_and_database_html_are_refused(self):
        params = self.preview_params(self.press_preview())
        forged = {**params, "token": params["token"][:-3] + "abc"}
        other_type = {**params, "content_type": "blog.articlepage"}
        for api in API_VERSIONS:
            url = f"/api/{api}/page_preview/"
            with self.subTest(api=api):
                assert self.client.get(url, forged).status_code == 404
                assert self.client.get(url, other_type).status_code == 404
                assert self.client.get(url, {**params, "content_type": "nonsense"}).status_code in (400, 404)
                assert self.client.get(url, {"content_type": params["content_type"]}).status_code in (400, 422)
                assert self.client.get(url, {**params, "rich_text_format": "db_html"}).status_code == 400

    def test_without_a_front_end_wagtail_renders_its_own_preview(self):
        response = self.press_preview()

        assert response.status_code == 200
        content = response.content.decode()
        assert DRAFT_HEADING in content
        assert "<iframe" not in content

    def test_every_page_type_can_be_previewed_through_both_apis(self):
        tree = self.tree
        for page in [tree.home, tree.treatment_index, tree.deep_tissue, tree.blog_index, self.rich_article, tree.about]:
            label, title = page.specific_class._meta.label, f"{page.title} (edited)"
            draft = page.get_latest_revision_as_object()
            draft.title = title
            preview = draft.create_page_preview()
            params = {"content_type": draft.get_content_type_str(), "token": preview.token}
            for api in API_VERSIONS:
                with self.subTest(api=api, page=page.title):
                    data = get_json(self.client, f"/api/{api}/page_preview/", params)

                    assert data["title"] == title
                    assert data["meta"]["type"] == label
