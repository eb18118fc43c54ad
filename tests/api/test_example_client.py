"""examples/content_client.py, the standard-library client, run against the API through Django's test client."""

from __future__ import annotations

import importlib.util
import io
import urllib.error
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

from django.conf import settings

from tests.conftest import DISCLAIMER

from .helpers import FIGURE_ALT, ContentAPITestCase

spec = importlib.util.spec_from_file_location(
    "content_client", Path(settings.BASE_DIR) / "examples" / "content_client.py"
)
content_client = importlib.util.module_from_spec(spec)
spec.loader.exec_module(content_client)


class FakeHTTPResponse(io.BytesIO):
    def __init__(self, response):
        super().__init__(response.content)
        self.headers = response.headers


class ExampleClientTests(ContentAPITestCase):
    def setUp(self):
        self.statuses = []

        def urlopen(request, timeout):
            url = urlsplit(request.full_url)
            headers = (
                {"If-None-Match": request.get_header("If-none-match")} if request.has_header("If-none-match") else {}
            )
            response = self.client.get(f"{url.path}?{url.query}", headers=headers)
            self.statuses.append(response.status_code)
            if response.status_code >= 300:
                raise urllib.error.HTTPError(request.full_url, response.status_code, "", response.headers, None)
            return FakeHTTPResponse(response)

        patcher = mock.patch.object(content_client.urllib.request, "urlopen", urlopen)
        patcher.start()
        self.addCleanup(patcher.stop)

    def test_lists_articles_newest_first(self):
        listing = content_client.ContentClient("http://testserver").articles(topic="sciatica")

        text = content_client.render_article_list(listing)

        assert text.splitlines()[0] == "2 articles"
        assert text.index(self.tree.sciatica_article.title) < text.index(self.rich_article.title)
        assert "(Sciatica)" in text

    def test_renders_one_article_and_revalidates_with_its_etag(self):
        client = content_client.ContentClient("http://testserver")

        text = content_client.render_article(client.article(self.rich_article.pk))
        again = content_client.render_article(client.article(self.rich_article.pk))

        assert again == text
        assert self.statuses == [200, 304]
        assert text.startswith(self.rich_article.title)
        assert f"[image: {FIGURE_ALT} — /media/images/" in text
        assert "Questions? Read about the studio." in text
        assert f"→ Recommended: {self.tree.deep_tissue.title} (/treatments/deep-tissue-massage/)" in text
        assert "Not bookable yet" not in text  # the draft treatment's block is skipped
        assert "<" not in text
        assert text.rstrip().endswith(DISCLAIMER)

    def test_refuses_non_http_urls(self):
        with self.assertRaises(ValueError):
            content_client.ContentClient("file:///etc/passwd")
