"""What the v2 pages listing works out once: its serializer class per model and ?fields=, its
base queryset per request, and each block class's kind (home/api/v2.py, home/api/fields.py)."""

from __future__ import annotations

import pytest
import wagtail.api.v2.views as wagtail_views
from wagtail import blocks
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.serializers import PageSerializer
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from blog.models import ArticlePage
from home.api import v2
from home.api.fields import block_kind, rich_text_html
from home.blocks import TeamBlock
from home.models import HomePage, StandardPage, TreatmentPage

LISTING = "/api/v2/pages/?type=blog.ArticlePage&fields=*"


@pytest.fixture
def serializer_builds(monkeypatch):
    v2._serializer_class.cache_clear()
    built = []
    original = wagtail_views.get_serializer_class
    monkeypatch.setattr(
        wagtail_views, "get_serializer_class", lambda model, *a, **kw: built.append(model) or original(model, *a, **kw)
    )
    yield built
    v2._serializer_class.cache_clear()


def test_the_serializer_class_is_built_once_per_model_and_fields(site_tree, client, serializer_builds):
    first = client.get(LISTING, HTTP_HOST="localhost")
    builds = len(serializer_builds)
    assert builds >= 1
    second = client.get(LISTING + "&offset=1", HTTP_HOST="localhost")
    assert len(serializer_builds) == builds  # the same class for the same model and fields
    assert second.json()["items"] == first.json()["items"][1:]
    fewer = client.get("/api/v2/pages/?type=blog.ArticlePage&fields=title,date", HTTP_HOST="localhost")
    assert len(serializer_builds) > builds  # other fields, another class
    assert set(fewer.json()["items"][0]) == {"id", "meta", "title", "date"}


def test_unknown_fields_are_refused_every_time(site_tree, client, serializer_builds):
    for _ in range(2):
        response = client.get("/api/v2/pages/?type=blog.ArticlePage&fields=nonsense", HTTP_HOST="localhost")
        assert response.status_code == 400
        assert "unknown fields: nonsense" in response.json()["message"]


def test_a_listing_builds_its_queryset_once(site_tree, client, monkeypatch):
    built = []
    original = v2.ContentPagesAPIViewSet._content_queryset
    monkeypatch.setattr(v2.ContentPagesAPIViewSet, "_content_queryset", lambda self: built.append(1) or original(self))
    response = client.get(LISTING, HTTP_HOST="localhost")
    assert response.status_code == 200 and response.json()["items"]
    assert len(built) == 1


def _block_classes() -> set[type]:
    found: set[type] = set()

    def walk(block):
        if type(block) in found:
            return
        found.add(type(block))
        for child in getattr(block, "child_blocks", {}).values():
            walk(child)
        if hasattr(block, "child_block"):
            walk(block.child_block)

    for model in (ArticlePage, TreatmentPage, StandardPage, HomePage):
        for field in model._meta.concrete_fields:
            if hasattr(field, "stream_block"):
                walk(field.stream_block)
    return found


def _by_isinstance(block_class: type) -> str:
    checks = [
        (TeamBlock, "team"),
        (SnippetChooserBlock, "snippet"),
        (ImageBlock | ImageChooserBlock, "image"),
        (blocks.PageChooserBlock, "page"),
        (blocks.RichTextBlock, "rich_text"),
        (blocks.StructBlock, "struct"),
        (blocks.ListBlock, "list"),
        (blocks.StreamBlock, "stream"),
    ]
    return next((kind for types, kind in checks if issubclass(block_class, types)), "other")


def test_each_block_class_of_the_page_types_has_the_kind_isinstance_gives():
    classes = _block_classes()
    assert {block_kind(c) for c in classes} >= {"image", "page", "rich_text", "struct", "list", "stream", "other"}
    for block_class in classes:
        assert block_kind(block_class) == _by_isinstance(block_class), block_class


def test_a_serializer_classs_fields_are_built_once(site_tree, client, monkeypatch):
    v2._serializer_class.cache_clear()
    builds = []
    original = PageSerializer.get_fields
    monkeypatch.setattr(PageSerializer, "get_fields", lambda self: builds.append(type(self)) or original(self))
    first = client.get(LISTING, HTTP_HOST="localhost").json()
    count = len(builds)
    assert count >= 1
    second = client.get(LISTING, HTTP_HOST="localhost").json()
    assert len(builds) == count  # the second listing copied what the first built
    assert second == first
    # Each serializer gets its own bound copies, as DRF's own fields.
    serializer_class = v2.ContentPagesAPIViewSet._get_serializer_class(
        v2.v2_router, ArticlePage, [("title", False, None)], show_details=False
    )
    one, two = serializer_class(), serializer_class()
    assert one.fields["title"] is not two.fields["title"]
    assert one.fields["title"].parent is one and two.fields["title"].parent is two
    v2._serializer_class.cache_clear()


@pytest.mark.parametrize(
    "source",
    [
        "<p>Plain words, <b>bold</b> and <abbr>abbr.</abbr></p>",
        '<p><a href="https://example.com/">out</a> and <a href="mailto:x@example.com">mail</a></p>',
        '<p><A linktype="page" id="1">upper case, as Wagtail leaves it</A></p>',
        '<p><a linktype="page" id="999999">gone</a></p>',
        '<embed embedtype="media" url="https://example.com/video"/>',
        "",
    ],
)
def test_rich_text_without_links_or_embeds_is_its_source(db, source, monkeypatch):
    expected = APIRichText.serialize(source, format=APIRichText.FORMAT_HTML)
    assert rich_text_html(source) == expected
    if "<a" not in source and "<embed" not in source:
        monkeypatch.setattr(APIRichText, "serialize", lambda *a, **k: pytest.fail("expanded"))
        assert rich_text_html(source) == source
