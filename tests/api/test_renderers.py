"""The content API's JSON (home/api/renderers.py): compact, and REST framework's bytes, faster.

Every v2 view answers unindented JSON (Wagtail indents by four spaces) rendered by
orjson; for the site's real answers and for values orjson has its own form for
(dates and times, decimals, lazy text, the two line separators JavaScript strings
may not hold), the bytes are exactly ``JSONRenderer``'s.
"""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from home.api import renderers
from home.api.renderers import FastJSONRenderer

from .helpers import ContentAPITestCase

V2_URLS = [
    "/api/v2/pages/?type=blog.ArticlePage&fields=*",
    "/api/v2/pages/?fields=*",
    "/api/v2/images/",
    "/api/v2/topics/",
    "/api/v2/settings/",
    "/api/v2/team/",
]


def both(data, accepted_media_type=None) -> tuple[bytes, bytes]:
    return (
        FastJSONRenderer().render(data, accepted_media_type, {}),
        JSONRenderer().render(data, accepted_media_type, {}),
    )


class TestSameBytes(ContentAPITestCase):
    def test_every_v2_view_renders_with_it_and_writes_the_standard_bytes(self):
        urls = [*V2_URLS, f"/api/v2/pages/{self.rich_article.pk}/", f"/api/v2/pages/{self.tree.home.pk}/"]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)

                assert response.status_code == 200, (url, response.content[:300])
                assert isinstance(response.accepted_renderer, FastJSONRenderer)
                assert response.content == JSONRenderer().render(response.data, "application/json", {})
                assert b"\n" not in response.content  # compact: no indent, no line breaks

    def test_an_indented_answer_is_the_standard_one(self):
        url = "/api/v2/pages/?type=blog.ArticlePage&fields=*"
        response = self.client.get(url, headers={"Accept": "application/json; indent=4"})

        assert response.status_code == 200
        assert response.content == JSONRenderer().render(response.data, "application/json; indent=4", {})
        assert response.json() == self.client.get(url).json()

    def test_pretty_printing_is_still_offered(self):
        response = self.client.get("/api/v2/topics/", headers={"Accept": "application/json; indent=4"})

        assert response.status_code == 200
        assert b'\n    "meta": {\n' in response.content


def test_values_with_their_own_json_form_come_out_as_rest_frameworks():
    data = {
        "published": datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC),
        "naive": datetime.datetime(2026, 3, 1, 9, 30),
        "date": datetime.date(2026, 3, 1),
        "time": datetime.time(17, 45, 5, 250000),
        "length": datetime.timedelta(minutes=50),
        "price": decimal.Decimal("79.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "label": gettext_lazy("Sciatica"),
        "text": "Ends a line\u2028and a paragraph\u2029 — in any language: Ischiasschmerz, 坐骨神经痛",
        "nested": [{"ints": [1, -2, 3], "flag": True, "nothing": None, "float": 1.5}],
        "set": {3},
    }

    fast, standard = both(data)

    assert fast == standard
    assert b"\\u2028" in fast and b"\\u2029" in fast


def test_what_orjson_refuses_is_left_to_rest_framework():
    for data in ({"big": 2**70}, {1: "a key that is not text"}):
        fast, standard = both(data)

        assert fast == standard


def test_no_data_is_no_body_and_indent_is_honoured():
    assert both(None) == (b"", b"")
    fast, standard = both({"a": [1, 2]}, "application/json; indent=2")
    assert fast == standard == b'{\n  "a": [\n    1,\n    2\n  ]\n}'


@pytest.mark.parametrize(
    "text",
    [
        "café © 2026 ¨",  # the bytes A9 and A8 inside other characters
        "an em dash — and curly “quotes” … and\u2028one separator",
        "\u2029",
        "\u2028\u2029\u2028 é\u2029",
        "nothing special",
    ],
)
def test_line_separators_are_escaped_wherever_they_are(text):
    fast, standard = both({"text": text, "list": [text, {"again": text}]})
    assert fast == standard


def test_text_without_a_line_separators_last_byte_is_not_searched(monkeypatch):
    class Refuse:
        def sub(self, *args):
            raise AssertionError("searched a body that cannot hold a line separator")

    monkeypatch.setattr(renderers, "_LINE_SEPARATOR", Refuse())
    text = "Sciatica — a “pinched” nerve … " * 2000  # em dashes and quotes share the first two bytes
    fast, standard = both({"text": text})
    assert fast == standard
