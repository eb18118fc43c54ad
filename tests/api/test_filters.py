"""Finding content: topic, intensity, full-text search, ordering by date and pagination."""

from __future__ import annotations

from .helpers import API_VERSIONS, ContentAPITestCase, get_json, listing_count, listing_items


def ids(data) -> list[int]:
    return [item["id"] for item in listing_items(data)]


class FilterTests(ContentAPITestCase):
    def test_topic_filter_v2(self):
        tree = self.tree
        pages = "/api/v2/pages/"

        assert set(ids(get_json(self.client, pages, {"topic": "sciatica"}))) == {
            tree.deep_tissue.pk,
            tree.sciatica_article.pk,
            self.rich_article.pk,
        }
        articles = get_json(self.client, pages, {"type": "blog.ArticlePage", "topic": "sciatica", "order": "-date"})
        assert ids(articles) == [tree.sciatica_article.pk, self.rich_article.pk]
        both = get_json(self.client, pages, {"type": "blog.ArticlePage", "topic": "sciatica,piriformis-syndrome"})
        assert listing_count(both) == 3
        assert ids(get_json(self.client, pages, {"topic": "no-such-topic"})) == []
        # Search runs on the filtered pages: the treatment is tagged but does not mention the word.
        searched = get_json(self.client, pages, {"topic": "piriformis-syndrome", "search": "piriformis"})
        assert ids(searched) == [tree.piriformis_article.pk]

    def test_topic_filter_v3_by_topic_id(self):
        params = {"type": "blog.ArticlePage", "topics": self.tree.piriformis.pk}

        assert ids(get_json(self.client, "/api/v3/pages/", params)) == [self.tree.piriformis_article.pk]

    def test_treatments_by_intensity(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                strong = get_json(
                    self.client, f"/api/{api}/pages/", {"type": "home.TreatmentPage", "intensity": "strong"}
                )
                mild = get_json(self.client, f"/api/{api}/pages/", {"type": "home.TreatmentPage", "intensity": "mild"})

                assert ids(strong) == [self.tree.deep_tissue.pk]  # the strong draft treatment stays hidden
                assert ids(mild) == [self.tree.swedish.pk]

    def test_full_text_search(self):
        for api in API_VERSIONS:
            with self.subTest(api=api):
                found = get_json(self.client, f"/api/{api}/pages/", {"search": "zygapophyseal"})

                assert ids(found) == [self.tree.sciatica_article.pk]  # the word is in its body only

    def test_articles_ordered_by_date_and_paginated(self):
        tree = self.tree
        newest_first = [tree.sciatica_article.pk, tree.piriformis_article.pk, self.rich_article.pk]
        for api in API_VERSIONS:
            with self.subTest(api=api):
                url = f"/api/{api}/pages/"
                params = {"type": "blog.ArticlePage", "order": "-date"}

                assert ids(get_json(self.client, url, params)) == newest_first
                assert ids(get_json(self.client, url, {**params, "order": "date"})) == newest_first[::-1]
                page_two = get_json(self.client, url, {**params, "limit": 2, "offset": 2})
                assert ids(page_two) == newest_first[2:]
                assert listing_count(page_two) == 3
                assert self.client.get(url, {"limit": 1000}).status_code == 400
