"""The content API's JSON: compact, and REST framework's bytes encoded by orjson.

Wagtail's API v2 asks for every answer indented by four spaces, which the standard
library can only write with its pure-Python encoder: encoding was a tenth of an
uncached ``/api/v2/pages/?fields=*`` (20 articles, about 860 KB, a third of it
indentation). :class:`CompactJSON` drops the indent (a client may still ask for it
with ``Accept: application/json; indent=4``) and renders with :class:`FastJSONRenderer`:
orjson writes the same compact UTF-8 JSON in C, and whatever it has no native form
for — or a form other than REST framework's, such as dates and times — goes to REST
framework's own encoder (``default``), so the bytes are those of ``JSONRenderer``
(tests/api/test_renderers.py compares them). Indented output and anything orjson
refuses (integers past 64 bits, keys that are not strings) are left to
``JSONRenderer`` itself. One difference: a float that is not a finite number is
written ``null``, where ``JSONRenderer`` raises; nothing the API sends is a float.
"""

from __future__ import annotations

import re

import orjson
from rest_framework import renderers
from rest_framework.utils.encoders import JSONEncoder

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# REST framework escapes U+2028 and U+2029, so that the JSON is also a JavaScript string literal.
# Their UTF-8 ends in the byte A8 or A9, which a memchr finds in microseconds; only then is the
# text searched for them (a search for the three bytes took 0.3 ms on a 460 KB listing, and
# every listing has an em dash or a curly quote starting with the same two bytes).
_LINE_SEPARATOR = re.compile(b"\xe2\x80([\xa8\xa9])")
_ESCAPED = {b"\xa8": b"\\u2028", b"\xa9": b"\\u2029"}


def _escape_line_separators(encoded: bytes) -> bytes:
    if b"\xa8" not in encoded and b"\xa9" not in encoded:
        return encoded
    return _LINE_SEPARATOR.sub(lambda match: _ESCAPED[match.group(1)], encoded)


_default = JSONEncoder().default


class FastJSONRenderer(renderers.JSONRenderer):
    """``JSONRenderer``'s bytes for the settings it runs with here (compact, UTF-8, strict)."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if (
            data is None
            or not (self.compact and not self.ensure_ascii and self.strict)
            or self.get_indent(accepted_media_type, renderer_context or {}) is not None
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            encoded = orjson.dumps(data, default=_default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        return _escape_line_separators(encoded)


class CompactJSON:
    """For a Wagtail API viewset: JSON without the four-space indent Wagtail asks for on every
    answer (pretty printing is the standard library's Python encoder, and a third of the bytes).
    A client that wants it indented still asks with ``Accept: application/json; indent=4``.
    One renderer, so one representation per URL and one ETag."""

    renderer_classes = [FastJSONRenderer]

    def get_renderer_context(self):
        context = super().get_renderer_context()
        context.pop("indent", None)
        return context
