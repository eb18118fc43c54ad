"""An article's related treatments in a v2 listing (loaded for the whole listing at once,
home/api/loaders.py) are those the article page itself shows: live, public, sharing a topic,
by title; whether the treatments come from the prepared query or, past its number of topics, the ORM's."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from blog.models import ArticlePage
from home import selectors
from home.factories import TreatmentPageFactory

LISTING = "/api/v2/pages/?type=blog.ArticlePage&fields=related_treatments"


def expected() -> dict[int, list[str]]:
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    return {
        article.pk: [treatment.title for treatment in selectors.related_treatments(article, request)]
        for article in ArticlePage.objects.live().public()
    }


def listed(client) -> dict[int, list[str]]:
    response = client.get(LISTING)
    assert response.status_code == 200, response.content[:300]
    return {item["id"]: [card["title"] for card in item["related_treatments"]] for item in response.json()["items"]}


@pytest.mark.parametrize("prepared_up_to", [48, 1], ids=["prepared", "more topics than prepared"])
def test_each_articles_related_treatments_are_the_pages_own(client, site_tree, monkeypatch, prepared_up_to):
    monkeypatch.setattr(selectors._treatments_sharing(), "up_to", prepared_up_to)
    sciatica, piriformis = site_tree.sciatica, site_tree.piriformis
    for n, topics in enumerate([[sciatica], [piriformis], [sciatica, piriformis]]):
        TreatmentPageFactory(parent=site_tree.treatment_index, title=f"A{n} related treatment", topics=topics)

    found = listed(client)

    assert found == expected()
    assert any(len(titles) >= 3 for titles in found.values())
    assert all(titles == sorted(titles) for titles in found.values())
