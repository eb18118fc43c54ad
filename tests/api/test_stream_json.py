"""A listing's StreamField bodies represented from their stored JSON (home/api/stream_json.py): the
same JSON as walking the converted blocks (``fields.block_representation``), block kind by block
kind, odd stored shapes included; the blocks it reads as JSON are never converted."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail import blocks

from home import factories as make
from home.api import stream_json
from home.api.stream_json import CONVERT, ListingStreams, raw_kind
from home.blocks import CalloutBlock, FAQBlock, HeadingBlock, ListBlock, QuoteBlock, TeamBlock
from home.models import StandardPage

LISTING = "/api/v2/pages/?type=home.StandardPage&fields=*"


def _store(page, raw: list) -> None:
    """Put ``raw`` in the page's body column as it is (shapes the editor would not make today)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE home_standardpage SET body = %s WHERE page_ptr_id = %s", [json.dumps(raw), page.pk])


@pytest.fixture
def pages(site_tree, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    image = make.ImageFactory(title="Stretching on a mat", width=400, height=300)
    draft = make.TreatmentPageFactory(parent=site_tree.treatment_index, title="Not yet offered", live=False)
    therapist = make.TherapistFactory(name="Dana Reyes")
    link = f'<p>See <a linktype="page" id="{site_tree.deep_tissue.pk}">deep tissue</a>.</p>'
    everything = make.StandardPageFactory(
        parent=site_tree.home,
        slug="everything",
        body=[
            make.heading("What to expect"),
            make.heading("Smaller", level="h3"),
            make.paragraph(link),
            make.paragraph("<p>Plain words.</p>"),
            make.bullet_list(["One", "Two"]),
            make.figure(image, caption="A mat", alt_text="Someone stretching"),
            make.figure(image),
            make.quote("It helped.", "A client"),
            make.callout("See your doctor", link, kind="doctor"),
            make.faq("Does it hurt?", "<p>It should not.</p>"),
            make.recommended_treatment(site_tree.deep_tissue, "Good for sciatica."),
            make.recommended_treatment(draft),
            make.team("Who works here", [therapist]),
            make.team(),
            make.testimonials("Clients say", [make.TestimonialFactory(quote="Much better.")]),
        ],
    )
    raw = list(StandardPage.objects.get(pk=everything.pk).body.raw_data)
    by_type: dict[str, list] = {}
    for item in raw:
        by_type.setdefault(item["type"], []).append(item)
    del by_type["quote"][0]["value"]["attribution"]  # a struct child the JSON lacks: its default
    by_type["list"][0]["value"]["items"] = ["Old", "format"]  # list items stored before Wagtail 2.16
    by_type["figure"][0]["value"]["image"]["decorative"] = True
    by_type["recommended_treatment"][1]["value"]["treatment"] = 999_999  # a page since deleted
    by_type["paragraph"][1]["value"] = None
    _store(everything, raw)
    second = make.StandardPageFactory(
        parent=site_tree.home,
        slug="second",
        body=[
            make.figure(image, alt_text="Again"),
            make.recommended_treatment(site_tree.deep_tissue),
            make.heading("More"),
        ],
    )
    return everything, second


def _python_path(monkeypatch):
    monkeypatch.setattr(ListingStreams, "representation", lambda self, stream, context: None)


def test_the_same_listing_and_detail_json_as_the_converted_blocks(client, pages, monkeypatch):
    everything, _second = pages
    detail = f"/api/v2/pages/{everything.pk}/"
    ours = client.get(LISTING, HTTP_HOST="localhost").json(), client.get(detail, HTTP_HOST="localhost").json()
    _python_path(monkeypatch)
    theirs = client.get(LISTING, HTTP_HOST="localhost").json(), client.get(detail, HTTP_HOST="localhost").json()
    assert ours == theirs
    # The odd stored shapes were there to be read.
    by_type: dict[str, list] = {}
    for item in ours[1]["body"]:
        by_type.setdefault(item["type"], []).append(item["value"])
    assert set(by_type["quote"][0]) == {"text", "attribution"}  # the missing child, from its default
    assert by_type["list"][0]["items"] == ["Old", "format"]
    assert by_type["figure"][0]["image"]["alt"] == "" and by_type["figure"][1]["image"]["alt"]
    assert [value["treatment"] is None for value in by_type["recommended_treatment"]] == [False, True]
    assert by_type["paragraph"][1] == ""
    assert 'href="/treatments/deep-tissue-massage/"' in by_type["paragraph"][0]
    assert [len(value["therapists"]) >= 1 for value in by_type["team"]] == [True, True]


def test_blocks_read_as_json_are_never_converted(client, pages, monkeypatch):
    for block_class in (HeadingBlock, QuoteBlock, CalloutBlock, FAQBlock, ListBlock, blocks.RichTextBlock):

        def refuse(self, values, _name=block_class.__name__):
            raise AssertionError(f"{_name} converted")

        monkeypatch.setattr(block_class, "bulk_to_python", refuse)
        monkeypatch.setattr(block_class, "to_python", refuse)
    assert client.get(LISTING, HTTP_HOST="localhost").status_code == 200


def test_no_more_queries_than_converting_the_blocks(client, pages, monkeypatch):
    client.get(LISTING, HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as ours:
        client.get(LISTING, HTTP_HOST="localhost")
    _python_path(monkeypatch)
    with CaptureQueriesContext(connection) as theirs:
        client.get(LISTING, HTTP_HOST="localhost")
    assert len(ours) <= len(theirs)


def test_each_block_class_is_read_as_json_or_converted():
    assert raw_kind(HeadingBlock) == "struct"
    assert raw_kind(blocks.CharBlock) == "stored"
    assert raw_kind(blocks.ChoiceBlock) == "to_python"  # a choice normalised to its key
    assert raw_kind(blocks.DateBlock) == "to_python"
    assert raw_kind(blocks.RichTextBlock) == "rich_text"
    assert raw_kind(blocks.ListBlock) == "list"
    assert raw_kind(blocks.StreamBlock) == "stream"
    assert raw_kind(TeamBlock) == CONVERT  # whom it shows is worked out from the snippets
    assert raw_kind(blocks.PageChooserBlock) == CONVERT

    class OwnRepresentation(blocks.CharBlock):
        def get_api_representation(self, value, context=None):
            return value.upper()

    assert raw_kind(OwnRepresentation) == CONVERT
    assert stream_json._kind(HeadingBlock(), "not a dict") == CONVERT
