"""What each endpoint returns: field names and types for every page type, in API v2 and v3.

A front end is written against these shapes, so a renamed or retyped field must
fail here before it breaks a client.
"""

from __future__ import annotations

import wagtail_factories
from django.contrib.auth import get_user_model
from wagtail.models import APIToken

from home.models import HomePageFeaturedTreatment
from tests.conftest import DISCLAIMER, STUDIO_NAME

from .helpers import (
    API_VERSIONS,
    DRAFT_TREATMENT_TITLE,
    FIGURE_ALT,
    ContentAPITestCase,
    assert_front_end_html,
    assert_image,
    assert_link,
    assert_shape,
    get_json,
    listing_count,
)

NONE = type(None)
IMAGE_OR_NULL = (dict, NONE)

PAGE_SHAPES = {
    "home": (
        "home.HomePage",
        {
            "title": str,
            "hero_heading": str,
            "hero_text": str,
            "hero_image": IMAGE_OR_NULL,
            "hero_cta_text": str,
            "hero_cta_page": (dict, NONE),
            "intro": str,
            "featured_treatments_heading": str,
            "featured_treatment_pages": list,
            "latest_articles_heading": str,
            "offers_heading": str,
            "share_image": IMAGE_OR_NULL,
        },
    ),
    "treatment_index": ("home.TreatmentIndexPage", {"title": str, "intro": str, "share_image": IMAGE_OR_NULL}),
    "deep_tissue": (
        "home.TreatmentPage",
        {
            "title": str,
            "summary": str,
            "hero_image": IMAGE_OR_NULL,
            "intensity": str,
            "intensity_display": str,
            "intensity_note": str,
            "durations": list,
            "technique": str,
            "who_it_helps": str,
            "contraindications": str,
            "body_areas": list,
            "topics": list,
            "related_articles": list,
            "disclaimer": dict,
            "share_image": IMAGE_OR_NULL,
        },
    ),
    "blog_index": ("blog.BlogIndexPage", {"title": str, "intro": str, "share_image": IMAGE_OR_NULL}),
    "sciatica_article": (
        "blog.ArticlePage",
        {
            "title": str,
            "author": str,
            "date": str,
            "summary": str,
            "hero_image": IMAGE_OR_NULL,
            "body": list,
            "topics": list,
            "reading_minutes": int,
            "related_treatments": list,
            "disclaimer": dict,
            "share_image": IMAGE_OR_NULL,
        },
    ),
    "about": ("home.StandardPage", {"title": str, "intro": str, "body": list, "share_image": IMAGE_OR_NULL}),
}
META_SHAPE = {"type": str, "detail_url": str, "html_url": str, "slug": str, "seo_title": str, "search_description": str}


class PageContractTests(ContentAPITestCase):
    def test_every_page_type_exposes_its_fields(self):
        for api in API_VERSIONS:
            for attr, (page_type, shape) in PAGE_SHAPES.items():
                page = getattr(self.tree, attr)
                with self.subTest(api=api, page=attr):
                    data = get_json(self.client, f"/api/{api}/pages/{page.pk}/")

                    assert data["id"] == page.pk
                    assert_shape(data["meta"], META_SHAPE)
                    assert data["meta"]["type"] == page_type
                    assert data["meta"]["detail_url"].endswith(f"/api/{api}/pages/{page.pk}/")
                    assert_shape(data, shape)
                    assert_front_end_html(data)

    def test_page_listing_shape(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                data = get_json(self.client, f"/api/{api}/pages/")

                assert listing_count(data) == len(self.tree.live_public_pages) + 1  # + the rich article
                for item in data["items"]:
                    assert_shape(item, {"id": int, "title": str, "meta": dict})
                    assert_shape(item["meta"], {"type": str, "detail_url": str, "html_url": str, "slug": str})

    def test_article_body_resolves_images_page_links_and_rich_text(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                data = get_json(self.client, f"/api/{api}/pages/{self.rich_article.pk}/")

                assert_front_end_html(data)
                assert_image(data["hero_image"])
                assert data["hero_image"]["id"] == self.hero_image.pk
                assert data["hero_image"]["alt"] == self.hero_image.description
                widths = [r["width"] for r in data["hero_image"]["renditions"]]
                assert widths == sorted(widths)
                assert data["share_image"]["id"] == self.hero_image.pk  # no share image of its own: the hero's

                assert all(isinstance(block["id"], str) for block in data["body"])
                blocks = {block["type"]: block["value"] for block in data["body"]}
                assert_image(blocks["figure"]["image"])
                assert blocks["figure"]["image"]["alt"] == FIGURE_ALT  # the block's own alt text
                assert blocks["figure"]["caption"] == "Keep both hips level."
                assert blocks["paragraph"] == '<p>Questions? Read <a href="/about/">about the studio</a>.</p>'

                live, draft = (b["value"] for b in data["body"] if b["type"] == "recommended_treatment")
                assert_link(live["treatment"], api)
                assert live["treatment"]["id"] == self.tree.deep_tissue.pk
                assert live["treatment"]["html_path"] == "/treatments/deep-tissue-massage/"
                assert live["treatment"]["summary"] == self.tree.deep_tissue.summary
                assert live["treatment"]["intensity"] == "strong"
                assert draft["treatment"] is None
                assert DRAFT_TREATMENT_TITLE not in str(data)

    def test_treatment_has_prices_topics_related_articles_and_disclaimer(self):
        tree = self.tree
        for api in API_VERSIONS:
            with self.subTest(api=api):
                data = get_json(self.client, f"/api/{api}/pages/{tree.deep_tissue.pk}/")

                assert [(d["minutes"], d["price_minor"], d["currency"]) for d in data["durations"]] == [
                    (60, 9500, "usd"),
                    (90, 13500, "usd"),
                ]
                assert [d["price_display"] for d in data["durations"]] == ["$95", "$135"]
                assert (data["intensity"], data["intensity_display"]) == ("strong", "Strong")
                assert data["intensity_note"].startswith("Deep pressure")
                assert {t["slug"] for t in data["topics"]} == {"sciatica", "piriformis-syndrome"}
                assert all(set(t) == {"id", "name", "slug"} for t in data["topics"])
                related = data["related_articles"]
                assert [a["title"] for a in related] == [
                    tree.sciatica_article.title,
                    tree.piriformis_article.title,
                    self.rich_article.title,
                ]
                for article in related:
                    assert_link(article, api)
                    assert_shape(article, {"summary": str, "date": str, "author": str})
                assert data["disclaimer"] == {"html": f"<p>{DISCLAIMER}</p>", "version": "1"}
                assert data["technique"].startswith("<p>")

    def test_article_lists_related_live_treatments_only(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                data = get_json(self.client, f"/api/{api}/pages/{self.tree.sciatica_article.pk}/")

                assert [t["title"] for t in data["related_treatments"]] == [self.tree.deep_tissue.title]
                assert data["topics"] == [{"id": self.tree.sciatica.pk, "name": "Sciatica", "slug": "sciatica"}]
                assert data["reading_minutes"] >= 1

    def test_home_features_live_treatments_and_links_only_public_pages(self):
        tree = self.tree
        home = tree.home
        HomePageFeaturedTreatment.objects.create(page=home, treatment=self.draft_treatment, sort_order=2)
        home.hero_cta_page = tree.draft_article
        home.save()
        for api in API_VERSIONS:
            with self.subTest(api=api, cta="draft"):
                data = get_json(self.client, f"/api/{api}/pages/{home.pk}/")

                assert [t["id"] for t in data["featured_treatment_pages"]] == [tree.deep_tissue.pk, tree.swedish.pk]
                assert data["hero_cta_page"] is None  # a draft: no title, no path

        home.hero_cta_page = tree.about
        home.save()
        for api in API_VERSIONS:
            with self.subTest(api=api, cta="about"):
                data = get_json(self.client, f"/api/{api}/pages/{home.pk}/")

                assert data["hero_cta_page"]["html_path"] == "/about/"
                assert data["hero_cta_page"]["detail_url"].endswith(f"/api/{api}/pages/{tree.about.pk}/")

    def test_studio_settings(self):
        for url in ["/api/v2/settings/", "/api/v3/settings/"]:
            with self.subTest(url=url):
                data = get_json(self.client, url)

                assert_shape(
                    data,
                    {
                        "studio_name": str,
                        "phone": str,
                        "email": str,
                        "address": dict,
                        "opening_hours": list,
                        "booking_url": str,
                        "medical_disclaimer": dict,
                    },
                )
                assert data["studio_name"] == STUDIO_NAME
                assert data["opening_hours"] == ["Mon–Fri 9:00–19:00", "Sat 10:00–14:00"]
                assert data["medical_disclaimer"] == {"html": f"<p>{DISCLAIMER}</p>", "version": "1"}
                assert set(data["address"]) == {"street_address", "locality", "region", "postal_code", "country"}

    def test_topics_v2(self):
        data = get_json(self.client, "/api/v2/topics/")

        assert [t["slug"] for t in data["items"]] == ["piriformis-syndrome", "sciatica"]
        detail = get_json(self.client, f"/api/v2/topics/{self.tree.sciatica.pk}/")
        assert (detail["name"], detail["description"]) == ("Sciatica", "Pain along the sciatic nerve.")
        assert get_json(self.client, "/api/v2/topics/", {"slug": "sciatica"})["meta"]["total_count"] == 1

    def test_topics_v3_lists_topics_and_their_live_pages(self):
        topics = get_json(self.client, "/api/v3/topics/")
        assert [t["slug"] for t in topics] == ["piriformis-syndrome", "sciatica"]

        data = get_json(self.client, "/api/v3/topics/sciatica/")

        assert data["name"] == "Sciatica"
        # Newest first; neither the draft nor the password-protected article.
        assert [a["title"] for a in data["articles"]] == [self.tree.sciatica_article.title, self.rich_article.title]
        assert [t["title"] for t in data["treatments"]] == [self.tree.deep_tissue.title]  # not the draft one
        assert_link(data["articles"][0], "v3")
        assert self.client.get("/api/v3/topics/no-such-topic/").status_code == 404

    def test_images_and_documents(self):
        document = wagtail_factories.DocumentFactory(title="Consent form")

        images = get_json(self.client, "/api/v2/images/")
        assert [i["id"] for i in images["items"]] == [self.hero_image.pk]
        image = get_json(self.client, f"/api/v2/images/{self.hero_image.pk}/")
        assert image["alt"] == self.hero_image.description
        assert image["renditions"] and all(r["url"].startswith("/media/images/") for r in image["renditions"])
        assert get_json(self.client, f"/api/v3/images/{self.hero_image.pk}/")["id"] == self.hero_image.pk

        documents = get_json(self.client, "/api/v2/documents/")
        assert [d["title"] for d in documents["items"]] == [document.title]
        assert get_json(self.client, "/api/v3/documents/")["count"] == 1

    def test_database_rich_text_format_is_refused(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                url = f"/api/{api}/pages/{self.tree.deep_tissue.pk}/"

                assert self.client.get(url, {"rich_text_format": "db_html"}).status_code == 400
                assert self.client.get(url, {"rich_text_format": "html"}).status_code == 200

    def test_v3_bearer_token_may_ask_for_database_html(self):
        home = self.tree.home
        home.intro = f'<p>See <a linktype="page" id="{self.tree.about.pk}">about us</a>.</p>'
        home.save()
        admin = get_user_model().objects.create_superuser("api-admin", "api-admin@example.com", password=None)
        _, key = APIToken.create_token(user=admin, name="editor tool")
        url = f"/api/v3/pages/{home.pk}/"

        anonymous = get_json(self.client, url)
        editor_tool = get_json(
            self.client, url, {"rich_text_format": "db_html"}, headers={"Authorization": f"Bearer {key}"}
        )

        assert anonymous["intro"] == '<p>See <a href="/about/">about us</a>.</p>'
        assert 'linktype="page"' in editor_tool["intro"]

    def test_renditions_made_once_are_reused(self):
        # Listings prefetch hero renditions; a second request must reuse the ones the first made
        # (a prefetch missing a spec once made Wagtail try to create an existing rendition).
        for url in [f"/api/v2/pages/{self.rich_article.pk}/", "/api/v2/pages/?type=blog.ArticlePage&fields=*"]:
            with self.subTest(url=url):
                first = self.client.get(url)
                second = self.client.get(url)

                assert (first.status_code, second.status_code) == (200, 200)
                assert first.json() == second.json()
