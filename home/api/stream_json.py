"""StreamField bodies of an API v2 listing, represented from their stored JSON.

``fields.block_representation`` walks a stream's blocks as Python values, so every block is
converted first (Wagtail's ``bulk_to_python``: a StructValue per struct, a RichText per
paragraph, a ListValue per list), only for the walk to turn them back into JSON: about a
quarter of a twenty-article listing with every field. :class:`ListingStreams` walks the stored
JSON instead:

* a field block whose API representation is its Python value (``get_api_representation`` and
  ``get_prep_value`` are Wagtail's own) gives its stored value, or what its ``to_python`` makes
  of it where that is all the block changes (a choice);
* rich text gives its source to the listing's one expansion of links and embeds;
* structs, lists and streams are walked child by child, a struct child missing from the JSON
  represented from its default as Wagtail's conversion would;
* everything else (choosers of images, pages and snippets, the team, a block with its own
  conversion or representation) is converted as before, all the listing's values of one block
  at once (one query per chooser block), and represented by ``block_representation``.

The same output as ``block_representation`` over the converted stream, tested block kind by
block kind (tests/api/test_stream_json.py).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from wagtail import blocks
from wagtail.blocks.base import Block

from home.api.fields import StreamBlockDict, block_kind, block_representation, rich_text_representation
from home.performance import wagtail_internals as internals

CONVERT = "convert"  # converted with the listing's other values of the block, walked as Python


def _own(block_class: type, name: str, base: type) -> bool:
    """Whether ``block_class`` has ``base``'s ``name`` (not one of its own)."""
    return getattr(block_class, name) is getattr(base, name)


@functools.cache
def raw_kind(block_class: type) -> str:
    """How the stored JSON of a block of this class becomes its API representation."""
    kind = block_kind(block_class)
    if kind == "rich_text":
        return "rich_text" if _own(block_class, "to_python", blocks.RichTextBlock) else CONVERT
    if kind == "struct":
        same = all(_own(block_class, name, blocks.StructBlock) for name in ("to_python", "bulk_to_python"))
        return "struct" if same else CONVERT
    if kind == "list":
        same = all(_own(block_class, name, blocks.ListBlock) for name in ("to_python", "bulk_to_python"))
        return "list" if same else CONVERT
    if kind == "stream":
        same = all(_own(block_class, name, blocks.StreamBlock) for name in ("to_python", "bulk_to_python"))
        return "stream" if same else CONVERT
    if kind == "other" and all(_own(block_class, name, Block) for name in ("get_api_representation", "get_prep_value")):
        return "stored" if _own(block_class, "to_python", Block) else "to_python"
    return CONVERT  # choosers, snippets, the team, images


def _kind(block, raw) -> str:
    kind = raw_kind(type(block))
    if (kind == "struct" and not isinstance(raw, dict)) or (kind in ("list", "stream") and not isinstance(raw, list)):
        return CONVERT  # not the shape the walk knows: as Wagtail converts it
    return kind


# Stored values whose to_python may be kept per listing: immutable, compared by value.
_PLAIN = (str, int, bool, type(None))


class ListingStreams:
    """The streams of a listing: :meth:`add` each, :meth:`convert` once, then :meth:`representation`."""

    def __init__(self):
        self._pending: dict[int, tuple[Any, list]] = {}  # id(block) -> (block, stored values)
        self._converted: dict[int, list] = {}
        # id(stream) -> (stream, its stored blocks, where its converted values are, in walk order)
        self._streams: dict[int, tuple[Any, list, list[tuple[int, int]]]] = {}
        self.rich_text_sources: list[str] = []
        # (block, type, stored value) -> to_python's value, for plain stored values (a choice's key)
        self._plain_values: dict[tuple, Any] = {}

    def add(self, stream) -> None:
        raw = list(stream.raw_data)
        slots: list[tuple[int, int]] = []
        self._gather(stream.stream_block, raw, slots)
        self._streams[id(stream)] = (stream, raw, slots)

    def convert(self) -> list[tuple[Any, Any]]:
        """Convert what the walk does not represent from JSON, per block: ``(block, value)`` pairs."""
        converted = []
        for key, (block, values) in self._pending.items():
            self._converted[key] = list(block.bulk_to_python(values))
            converted += [(block, value) for value in self._converted[key]]
        self._pending.clear()
        return converted

    def representation(self, stream, context: dict) -> list | None:
        """The API representation of ``stream`` (one :meth:`add` ed), or None for another stream."""
        entry = self._streams.get(id(stream))
        if entry is None or entry[0] is not stream:
            return None
        _stream, raw, slots = entry
        return self._represent(stream.stream_block, raw, iter(slots), context)

    def _gather(self, block, raw, slots: list) -> None:
        kind = _kind(block, raw)
        if kind == CONVERT:
            pending = self._pending.setdefault(id(block), (block, []))[1]
            slots.append((id(block), len(pending)))
            pending.append(raw)
        elif kind == "rich_text":
            if raw:
                self.rich_text_sources.append(raw)
        elif kind == "struct":
            for name, child in block.child_blocks.items():
                if name in raw:
                    self._gather(child, raw[name], slots)
        elif kind == "list":
            for item in raw:
                self._gather(block.child_block, internals.list_item_value(block, item), slots)
        elif kind == "stream":
            for item in raw:
                child = block.child_blocks.get(item["type"])
                if child is not None:
                    self._gather(child, item["value"], slots)

    def _represent(self, block, raw, slots: Iterator[tuple[int, int]], context: dict) -> Any:
        kind = _kind(block, raw)
        if kind == CONVERT:
            key, index = next(slots)
            return block_representation(block, self._converted[key][index], context)
        if kind == "stored":
            return raw
        if kind == "to_python":
            if type(raw) not in _PLAIN:
                return block.to_python(raw)
            key = (id(block), type(raw), raw)
            found = self._plain_values.get(key, self)
            if found is self:  # a choice is normalized by scanning its choices: once per listing
                found = self._plain_values[key] = block.to_python(raw)
            return found
        if kind == "rich_text":
            return rich_text_representation(raw or "", context)
        if kind == "struct":
            return {
                name: self._represent(child, raw[name], slots, context)
                if name in raw
                else block_representation(child, child.get_default(), context)
                for name, child in block.child_blocks.items()
            }
        if kind == "list":
            child = block.child_block
            return [self._represent(child, internals.list_item_value(block, item), slots, context) for item in raw]
        return [  # a stream
            StreamBlockDict(
                type=item["type"],
                id=item.get("id"),
                value=self._represent(block.child_blocks[item["type"]], item["value"], slots, context),
            )
            for item in raw
            if item["type"] in block.child_blocks
        ]
