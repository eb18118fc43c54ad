"""Loading what a page listing's API fields read, for all its pages at once.

API v2 listings (and details) call :func:`prepare_pages` with the page of results;
the fields in home/api/fields.py then find what they need in the returned
:class:`ListingBatch` (serializer context key ``BATCH``) instead of querying page
by page. A listing costs a fixed number of queries whatever its length.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import FieldDoesNotExist
from django.db.models import prefetch_related_objects
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField

from home import selectors
from home.api.fields import FIGURE_SPECS, HERO_SPECS, SHARE_SPECS, block_kind, rich_text_html
from home.api.stream_json import ListingStreams
from home.performance import queries

# Every spec the fields read, loaded together: a prefetched set is taken as complete.
ALL_SPECS = tuple(dict.fromkeys(HERO_SPECS + SHARE_SPECS + FIGURE_SPECS))


class ListingBatch:
    """What the fields of a page listing look up, loaded once for every page in it.

    * ``is_public``: live and without view restrictions, from the restricted and alias
      paths read once per request (an alias, or a page under one, is checked as Wagtail does);
    * ``page_lists``: ``(page pk, attribute) -> pages`` for list fields (an article's
      related treatments).
    """

    def __init__(self, request):
        self.restricted_paths = queries.restricted_paths(request)
        self.alias_paths = queries.alias_paths(request)
        self.page_lists: dict[tuple[int, str], list] = {}
        # Rich text with internal links or embeds, expanded for all pages in one pass.
        self.rich_text: dict[str, str] = {}
        # Representations built once per listing (home/api/fields.py ``_once``): cards, images.
        self.memo: dict[tuple, object] = {}
        # The StreamField bodies, represented from their stored JSON (home/api/stream_json.py).
        self.streams = ListingStreams()

    def is_public(self, page) -> bool:
        if not page.live:
            return False
        if self.alias_paths and page.path.startswith(self.alias_paths):
            return not page.get_view_restrictions().exists()  # an alias's restrictions are its source's
        return self.is_public_descendant(page)

    def is_public_descendant(self, page) -> bool:
        """As ``.public()`` decides (by path only), for pages already known to be live."""
        return not (self.restricted_paths and page.path.startswith(self.restricted_paths))


def _collect(block, value, images: list, pages: list) -> None:
    """The images and linked pages in a block value (as ``block_representation`` walks it)."""
    if value is None:
        return
    kind = block_kind(type(block))
    if kind == "image":
        images.append(value)
    elif kind == "page":
        pages.append(value)
    elif kind in ("struct", "team"):  # the team is a StructBlock too
        for name, child in block.child_blocks.items():
            _collect(child, value.get(name), images, pages)
    elif kind == "list":
        for item in value:
            _collect(block.child_block, item, images, pages)
    elif kind == "stream":
        for child in value:
            _collect(child.block, child.value, images, pages)


def _hero_images_of(pages) -> list:
    by_model: dict[type, list] = {}
    for page in pages:
        if any(field.name == "hero_image" for field in type(page)._meta.concrete_fields):
            by_model.setdefault(type(page), []).append(page)
    images = []
    for model_pages in by_model.values():
        prefetch_related_objects(model_pages, "hero_image")
        images.extend(page.hero_image for page in model_pages)
    return images


def prepare_pages(pages, request) -> ListingBatch:
    """Load what the api_fields of ``pages`` read, for all of them at once (a fixed number of queries).

    Expects the pages' own hero and share images selected and their topics given (folded in)
    (the v2 pages endpoint's queryset does that, home/api/v2.py). Reads their StreamFields' stored JSON
    (home/api/stream_json.py) and loads: the images and linked pages in them (one query per chooser
    block), the linked pages' hero images,
    articles' related treatments, and the renditions of every image (one query).
    """
    batch = ListingBatch(request)
    pages = [page for page in pages if page is not None]
    streams = [
        getattr(page, field.attname)
        for page in pages
        for field in type(page)._meta.concrete_fields
        if isinstance(field, StreamField)
    ]
    for stream in streams:
        if isinstance(stream, StreamValue):
            batch.streams.add(stream)
    images: list = []
    linked: list = []
    sources = list(batch.streams.rich_text_sources)
    for block, value in batch.streams.convert():  # choosers, snippets: one bulk_to_python per block
        _collect(block, value, images, linked)
        _rich_text_sources(block, value, sources)
    batch.rich_text = _expand_rich_text_together(sources)
    images.extend(_hero_images_of(linked))
    holders: list = []  # (instance, foreign key) whose image is read by id below
    articles = selectors.articles_among(pages)
    if articles:
        # Each article's related treatments (live, public, sharing a topic; by title), in one query.
        by_article, treatments = selectors.related_treatments_of_articles(articles, batch.is_public_descendant)
        for pk, related in by_article.items():
            batch.page_lists[(pk, "related_treatments")] = related
        for treatment in treatments:
            _image_of(treatment, "hero_image", holders, images)
    for page in pages:
        for name in ("hero_image", "share_image"):
            _image_of(page, name, holders, images)
    # Every image once, by id, with every rendition the fields show: one query.
    found = queries.images_with_renditions(
        [getattr(holder, field.attname) for holder, field in holders]
        + [image.pk for image in images if image is not None],
        ALL_SPECS,
    )
    for holder, field in holders:
        field.set_cached_value(holder, found.get(getattr(holder, field.attname)))
    for image in images:
        if image is not None:
            queries.give_renditions_of(image, found.get(image.pk))
    queries.attach_renditions([*images, *found.values()], ALL_SPECS)  # any the query could not fold
    return batch


def _image_of(instance, name: str, holders: list, images: list) -> None:
    """The image ``instance`` has at the foreign key ``name``: to read by id (``holders``), or the
    instance it was loaded with (``images``)."""
    try:
        field = type(instance)._meta.get_field(name)
    except FieldDoesNotExist:
        return
    if field.is_cached(instance):
        images.append(field.get_cached_value(instance))
    elif getattr(instance, field.attname) is not None:
        holders.append((instance, field))


def _rich_text_sources(block, value, out: list[str]) -> None:
    kind = block_kind(type(block))
    if value is None or kind == "image":  # ImageBlock's value is an Image
        return
    if kind == "rich_text":
        out.append(value.source)
    elif kind in ("struct", "team"):  # the team is a StructBlock too
        for name, child in block.child_blocks.items():
            _rich_text_sources(child, value.get(name), out)
    elif kind == "list":
        for item in value:
            _rich_text_sources(block.child_block, item, out)
    elif kind == "stream":
        for child in value:
            _rich_text_sources(child.block, child.value, out)


def _expand_rich_text_together(sources: list[str]) -> dict[str, str]:
    """Expand every rich text that links to pages or embeds, in one pass over all of them.

    Wagtail resolves the links of one rich text in one query (per link type); joined
    with a separator that the rewriter leaves alone, the whole listing's rich text
    takes that one query instead of one per paragraph.
    """
    sources = [source for source in dict.fromkeys(sources) if "linktype=" in source or "<embed" in source]
    if not sources:
        return {}
    separator = f"<!--rich-text-{secrets.token_hex(8)}-->"
    parts = rich_text_html(separator.join(sources)).split(separator)
    return dict(zip(sources, parts, strict=True)) if len(parts) == len(sources) else {}
