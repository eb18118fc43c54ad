"""Shared data and assertions for the content API tests.

:class:`ContentAPITestCase` builds the page tree once per class (Django's
``setUpTestData``; each test still runs in its own rolled-back transaction):
``build_site_tree`` from tests/conftest.py — live pages, a draft and a
password-protected article — plus an article that uses every kind of reference
the API has to resolve: a hero image, a figure with its own alt text, rich text
linking to another page, a recommended live treatment and a recommended *draft*
treatment (which must come out as null).
"""

from __future__ import annotations

import datetime
import json

from django.test import TestCase

from blog.factories import ArticlePageFactory
from home.factories import (
    ImageFactory,
    TreatmentPageFactory,
    figure,
    paragraph,
    recommended_treatment,
)
from tests.conftest import build_site_tree

API_VERSIONS = ["v2", "v3"]
FIGURE_ALT = "A client stretching her hamstrings on a mat"
DRAFT_TREATMENT_TITLE = "Hot stone massage (coming soon)"


def get_json(client, url: str, params: dict | None = None, status: int = 200, headers: dict | None = None) -> dict:
    response = client.get(url, params or {}, headers=headers or {})
    assert response.status_code == status, (url, response.status_code, response.content[:500])
    return response.json()


def listing_items(data: dict) -> list[dict]:
    """The items of a page listing, v2 (``meta.total_count``) or v3 (``count``) alike."""
    return data["items"]


def listing_count(data: dict) -> int:
    return data["meta"]["total_count"] if "meta" in data else data["count"]


def assert_front_end_html(payload) -> None:
    """No trace of Wagtail's database rich text format anywhere in a response."""
    text = json.dumps(payload)
    assert "<embed" not in text
    assert "linktype=" not in text


def assert_shape(data: dict, shape: dict[str, type | tuple[type, ...]]) -> None:
    missing = sorted(shape.keys() - data.keys())
    assert not missing, f"missing fields: {missing}"
    for name, expected in shape.items():
        assert isinstance(data[name], expected), (name, data[name])


RENDITION_SHAPE = {"url": str, "full_url": str, "width": int, "height": int}
IMAGE_SHAPE = {"id": int, "title": str, "alt": str, "width": int, "height": int, "renditions": list}
LINK_SHAPE = {
    "id": int,
    "type": str,
    "title": str,
    "slug": str,
    "html_path": str,
    "html_url": str,
    "detail_url": str,
}


def assert_image(data: dict) -> None:
    assert_shape(data, IMAGE_SHAPE)
    assert data["renditions"], "an image lists at least one rendition"
    for rendition in data["renditions"]:
        assert_shape(rendition, RENDITION_SHAPE)
        assert rendition["url"].startswith("/media/images/")
        assert rendition["full_url"].startswith("http")


def assert_link(data: dict, api: str) -> None:
    assert_shape(data, LINK_SHAPE)
    assert f"/api/{api}/pages/{data['id']}/" in data["detail_url"]
    assert data["html_url"].endswith(data["html_path"])


class ContentAPITestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.tree = build_site_tree()
        cls.hero_image = ImageFactory(title="Seated stretch", description="A seated figure-four stretch")
        cls.draft_treatment = TreatmentPageFactory(
            parent=cls.tree.treatment_index,
            title=DRAFT_TREATMENT_TITLE,
            live=False,
            topics=[cls.tree.sciatica],
            intensity="strong",
        )
        cls.rich_article = ArticlePageFactory(
            parent=cls.tree.blog_index,
            title="Sitting all day with sciatica",
            author="Dana Reyes",
            date=datetime.date(2026, 1, 20),
            summary="How to set up a chair so the nerve gets a break.",
            hero_image=cls.hero_image,
            topics=[cls.tree.sciatica],
            body=[
                figure(cls.hero_image, caption="Keep both hips level.", alt_text=FIGURE_ALT),
                paragraph(f'<p>Questions? Read <a linktype="page" id="{cls.tree.about.pk}">about the studio</a>.</p>'),
                recommended_treatment(cls.tree.deep_tissue),
                recommended_treatment(cls.draft_treatment, text="Not bookable yet."),
            ],
        )
