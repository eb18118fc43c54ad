"""A v2 pages listing served again is its prepared query (home/api/v2.py ``_PreparedListings``): the
same JSON as Wagtail's view builds, without building or compiling the queryset or counting it
apart; kept per content generation, host and URL. Also what a listing reads once: a choice's
value per listing (home/api/stream_json.py), the locale's code from the listing's own query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.blocks import ChoiceBlock
from wagtail.images.models import Image
from wagtail.models import Locale

from blog.factories import ArticlePageFactory
from blog.models import ArticlePage
from home.api import v2
from home.base_models import Topic
from home.factories import ImageFactory, heading, paragraph
from home.models import TreatmentPage
from tests.conftest import instances_made

LISTING = "/api/v2/pages/?type=blog.ArticlePage&fields=*"
URLS = [
    LISTING,
    LISTING + "&offset=1&limit=2",
    "/api/v2/pages/?type=blog.ArticlePage&fields=title,topics&order=-date",
    "/api/v2/pages/?type=home.TreatmentPage&fields=*",
    "/api/v2/pages/",
    "/api/v2/pages/?type=blog.ArticlePage&topic=sciatica",
    "/api/v2/pages/?child_of=3&fields=title",
]


@pytest.fixture(autouse=True)
def fresh_listings():
    v2._LISTINGS._kept.clear()
    yield
    v2._LISTINGS._kept.clear()


def _get(client, url):
    response = client.get(url, HTTP_HOST="localhost")
    return response.status_code, response.json()


@pytest.mark.parametrize("url", URLS)
def test_a_listing_served_again_is_the_same_json(site_tree, client, url):
    first = _get(client, url)
    assert first[0] == 200 and first[1]["items"] or "child_of" in url
    assert _get(client, url) == first
    v2._LISTINGS._kept.clear()
    assert _get(client, url) == first  # and the same as building it again


def test_served_again_it_builds_and_compiles_nothing_and_counts_with_the_rows(
    site_tree, client, compiled_sql, monkeypatch
):
    _get(client, LISTING)  # warms the site, the prepared queries of what the fields read
    v2._LISTINGS._kept.clear()
    with CaptureQueriesContext(connection) as first:
        _get(client, LISTING)
    built = []
    original = v2.ContentPagesAPIViewSet._content_queryset
    monkeypatch.setattr(v2.ContentPagesAPIViewSet, "_content_queryset", lambda self: built.append(1) or original(self))
    compiled = compiled_sql()
    with CaptureQueriesContext(connection) as again:
        status, data = _get(client, LISTING)
    assert status == 200 and data["meta"]["total_count"] == len(data["items"]) > 1
    assert built == []  # Wagtail's view did not build the queryset
    assert not [sql for sql in compiled if '"blog_articlepage"' in sql]  # nor compile the listing
    assert len(again.captured_queries) == len(first.captured_queries) - 1  # the total came with the rows


def test_new_content_is_a_new_listing(site_tree, client):
    status, before = _get(client, LISTING)
    ArticlePageFactory(
        parent=site_tree.blog_index, title="Sitting with sciatica", body=[paragraph("<p>Stand up often.</p>")]
    )
    status, after = _get(client, LISTING)
    assert after["meta"]["total_count"] == before["meta"]["total_count"] + 1
    assert "Sitting with sciatica" in {item["title"] for item in after["items"]}


def test_a_page_past_the_end_and_a_search_are_built_as_wagtail_builds_them(site_tree, client):
    _get(client, LISTING)
    total = _get(client, LISTING)[1]["meta"]["total_count"]
    for _ in range(2):
        status, data = _get(client, f"{LISTING}&offset={total + 5}")
        assert status == 200 and data == {"meta": {"total_count": total}, "items": []}
    for _ in range(2):
        status, data = _get(client, "/api/v2/pages/?search=sciatica&fields=title")
        assert status == 200 and data["items"]
    assert all("search=" not in key[2] for key in v2._LISTINGS._kept)


def test_the_listings_kept_are_bounded(site_tree, client, monkeypatch):
    monkeypatch.setattr(v2._LISTINGS, "size", 2)
    for offset in range(4):
        _get(client, f"{LISTING}&offset={offset}")
    assert [key[2] for key in v2._LISTINGS._kept] == [f"{LISTING}&offset=2", f"{LISTING}&offset=3"]


def test_a_choice_is_converted_once_per_listing(site_tree, client, monkeypatch):
    for n in range(3):
        ArticlePageFactory(
            parent=site_tree.blog_index,
            title=f"Stretch {n}",
            body=[heading("Why", "h2"), paragraph("<p>Gently.</p>"), heading("How", "h3"), heading("When", "h2")],
        )
    calls = []
    original = ChoiceBlock.to_python
    monkeypatch.setattr(ChoiceBlock, "to_python", lambda self, value: calls.append(value) or original(self, value))
    status, data = _get(client, LISTING)
    levels = [block["value"]["level"] for item in data["items"] for block in item["body"] if block["type"] == "heading"]
    assert len(levels) > len(set(levels))  # the listing repeats heading levels…
    assert sorted(calls) == sorted(set(calls)) and set(levels) <= set(calls)  # …each converted once


def test_the_locale_is_read_with_the_listing_and_no_locale_is_made(site_tree, client):
    _get(client, LISTING)
    with instances_made() as made:
        status, data = _get(client, LISTING)
    assert {item["meta"]["locale"] for item in data["items"]} == {Locale.get_default().language_code}
    assert Locale not in {type(obj) for obj in made}
    # A page read without the code (a detail, a preview): Wagtail's own reading.
    assert v2.LocaleCodeField().to_representation(site_tree.sciatica_article) == Locale.get_default().language_code


def test_the_topics_are_given_as_values_and_no_topic_is_made(site_tree, client):
    _get(client, LISTING)
    with instances_made() as made:
        status, data = _get(client, LISTING)
    article = next(item for item in data["items"] if item["id"] == site_tree.sciatica_article.pk)
    expected = [{"id": t.pk, "name": t.name, "slug": t.slug} for t in site_tree.sciatica_article.topics.all()]
    assert article["topics"] == expected and expected
    assert article["related_treatments"]  # found by the same topics' ids
    assert Topic not in {type(obj) for obj in made}


def test_each_image_is_made_once_with_every_rendition_the_fields_show(site_tree, client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    shared, other = ImageFactory(title="Shared"), ImageFactory(title="Other")
    ArticlePage.objects.update(hero_image=shared, share_image=shared)
    ArticlePage.objects.filter(pk=site_tree.sciatica_article.pk).update(share_image=other)
    TreatmentPage.objects.update(hero_image=shared)
    for article in ArticlePage.objects.all():  # no chooser in the bodies: their blocks make their own
        article.body = [paragraph("<p>Move a little every hour.</p>")]
        article.save(update_fields=["body"])
    _get(client, LISTING)
    with instances_made() as made:
        status, data = _get(client, LISTING)
    made = [obj.pk for obj in made if isinstance(obj, Image)]
    shown = set()

    def walk(value):
        if isinstance(value, dict):
            if "renditions" in value and value.get("id") is not None:
                shown.add(value["id"])
                assert value["renditions"], value  # each with its renditions, read with the images
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    walk(data["items"])
    assert shown == {shared.pk, other.pk}
    # Each image once: the articles' heroes and share images and the related treatments' heroes.
    assert sorted(made) == sorted(shown)
