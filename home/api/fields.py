"""The serializer fields named in the page models' ``api_fields``, and the shapes they return.

Wagtail's API v2 binds them with a context holding the request and the v2 router;
API v3 reuses the same fields through its compatibility shim, without a context.
The output is the same either way, except that links to other pages point at the
API the client is reading (v2 when a v2 router is in the context, else v3).

The rules every field follows:

* images come out as renditions (URL, size) plus alt text, never as bare ids;
* page references come out as links (title, path, public URL, API URL), and a
  page that is not live and public comes out as ``null``;
* rich text is rendered to front-end HTML, in StreamField bodies as well;
* the team's and clients' snippets (therapists, testimonials) come out with their
  fields, photos as renditions; a team block lists whom the page shows.

Below the page models: this module imports only the shared content models
(home/base_models.py, home/blocks.py), never a page model. What a listing's fields read is loaded
for all its pages at once by home/api/loaders.py, which hands it over in the
serializer context under ``BATCH``.
"""

from __future__ import annotations

import functools
from typing import Any, NotRequired, TypedDict

from django.urls import NoReverseMatch
from rest_framework.fields import Field
from wagtail import blocks
from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_full_url
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.images.models import SourceImageIOError
from wagtail.models import Site
from wagtail.snippets.blocks import SnippetChooserBlock

from home.base_models import StudioSettings, Testimonial, Therapist
from home.blocks import TeamBlock
from home.performance import generation as content_cache
from home.performance import page_urls
from home.performance import renditions as renditions_module
from home.performance.prepared import given, given_values

# Rendition sets, matching the sizes the server-rendered templates use (home/performance/renditions.py).
HERO_SPECS = renditions_module.HERO
FIGURE_SPECS = renditions_module.FIGURE
SHARE_SPECS = renditions_module.SHARE
# Therapists' photos: square, as the team block shows them (blocks/team_block.html), and twice that.
PORTRAIT_SPECS = ("fill-320x320|format-webp", "fill-640x640|format-webp")


# --- Shapes (also the types API v3 publishes in its OpenAPI schema) -----------------------


class RenditionDict(TypedDict):
    url: str
    full_url: str
    width: int
    height: int


class ImageDict(TypedDict):
    id: int
    title: str
    alt: str
    width: int
    height: int
    renditions: list[RenditionDict]


class PageLinkDict(TypedDict):
    id: int
    type: str
    title: str
    slug: str
    html_path: str | None
    html_url: str | None
    detail_url: str | None


class PageCardDict(PageLinkDict):
    summary: NotRequired[str]
    hero_image: NotRequired[ImageDict | None]
    date: NotRequired[str]
    author: NotRequired[str]
    intensity: NotRequired[str]


class TopicDict(TypedDict):
    id: int
    name: str
    slug: str


class DisclaimerDict(TypedDict):
    html: str
    version: str


class TherapistDict(TypedDict):
    id: int
    name: str
    role: str
    photo: ImageDict | None
    bio: str
    specialities: list[str]


class TestimonialDict(TypedDict):
    id: int
    quote: str
    name: str
    detail: str
    show_on_home: bool


class StreamBlockDict(TypedDict):
    type: str
    id: str | None
    value: Any


# Serializer context key of the ListingBatch (home/api/loaders.py: API v2 listings and details;
# absent elsewhere).
BATCH = "listing_batch"


# --- Building blocks --------------------------------------------------------------------


def rich_text_html(source: str | None) -> str:
    """Front-end HTML: internal links and embeds expanded, no ``linktype=`` left."""
    source = source or ""
    if "<a" not in source and "<embed" not in source:
        # Wagtail's rewriters only touch <a …> and <embed …/> tags (their patterns start so): without
        # either the HTML is the source, and most paragraphs of a listing have neither.
        return source
    return APIRichText.serialize(source, format=APIRichText.FORMAT_HTML)


def _once(context: dict | None, key: tuple, build):
    """``build()``, once per listing for ``key`` (the batch's memo); every time outside a listing.

    A listing repeats the same treatment cards and images article after article: each is
    built once and the same (read-only) dict is serialised again.
    """
    batch = (context or {}).get(BATCH)
    memo = getattr(batch, "memo", None)
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]


def image_representation(image, specs: tuple[str, ...], context: dict | None = None) -> ImageDict | None:
    if image is None:
        return None
    if getattr(image, "decorative", False):
        alt = ""
    else:
        alt = getattr(image, "contextual_alt_text", None) or image.default_alt_text
    return _once(
        context,
        ("image", image.pk, specs, alt),
        lambda: ImageDict(
            id=image.pk,
            title=image.title,
            alt=alt or "",
            width=image.width,
            height=image.height,
            renditions=renditions_for(image, specs),
        ),
    )


def renditions_for(image, specs: tuple[str, ...]) -> list[RenditionDict]:
    """The image's renditions for ``specs``, smallest first."""
    try:
        # Shared Filter objects: Wagtail parses a spec's operations once per process, not per image.
        renditions = image.get_renditions(*renditions_module.filters(specs))
    except SourceImageIOError:  # the original file is missing: keep the shape, list no sizes
        return []
    out = []
    for r in sorted(renditions.values(), key=lambda r: r.width):
        url = r.url  # the storage builds it once; full_url as Wagtail's Rendition.full_url does
        full_url = renditions_module.full_url(url)
        out.append(RenditionDict(url=url, full_url=full_url, width=r.width, height=r.height))
    return out


def page_is_public(page, context: dict | None = None) -> bool:
    batch = (context or {}).get(BATCH)
    if batch is not None:
        return batch.is_public(page)
    return bool(page.live) and not page.get_view_restrictions().exists()


def api_detail_url(page, context: dict) -> str | None:
    request = context.get("request")
    router = context.get("router")
    if router is not None:  # API v2
        path = router.get_object_detail_urlpath(type(page), page.pk)
    else:
        try:
            path = page_urls.reverse_with_id("wagtailapi_v3:detail_page", page.pk, kwarg="page_id")
        except NoReverseMatch:
            path = None
    return get_full_url(request, path) if path else None


def page_link(page, context: dict) -> PageLinkDict:
    request = context.get("request")
    url_parts = page.get_url_parts(request)
    specific_class = page.specific_class or type(page)
    return PageLinkDict(
        id=page.pk,
        type=specific_class._meta.label,
        title=page.title,
        slug=page.slug,
        html_path=url_parts[2] if url_parts else None,
        html_url=page.get_full_url(request),
        detail_url=api_detail_url(page, context),
    )


def page_card(page, context: dict) -> PageCardDict:
    """A link plus what a listing card shows (summary, hero image, date…), where the page type has it."""
    return _once(context, ("card", page.pk), lambda: _page_card(page, context))


def _page_card(page, context: dict) -> PageCardDict:
    page = page.specific_deferred if type(page) is not page.specific_class else page
    card = PageCardDict(**page_link(page, context))
    for name in ("summary", "author", "intensity"):
        if hasattr(page, name):
            card[name] = getattr(page, name)
    if hasattr(page, "date"):
        card["date"] = page.date.isoformat()
    if hasattr(page, "hero_image"):
        card["hero_image"] = image_representation(page.hero_image, HERO_SPECS, context)
    return card


def therapist_representation(therapist, context: dict | None = None) -> TherapistDict:
    return TherapistDict(
        id=therapist.pk,
        name=therapist.name,
        role=therapist.role,
        photo=image_representation(therapist.photo, PORTRAIT_SPECS, context),
        bio=therapist.bio,
        specialities=therapist.speciality_list,
    )


def testimonial_representation(testimonial) -> TestimonialDict:
    return TestimonialDict(
        id=testimonial.pk,
        quote=testimonial.quote,
        name=testimonial.name,
        detail=testimonial.detail,
        show_on_home=testimonial.show_on_home,
    )


@functools.cache
def block_kind(block_class: type) -> str:
    """What the walkers over a stream do with a block of this class (one ``isinstance`` chain per
    class, not per block: a listing of twenty articles walks several hundred blocks three times)."""
    if issubclass(block_class, TeamBlock):
        return "team"
    if issubclass(block_class, SnippetChooserBlock):
        return "snippet"
    if issubclass(block_class, ImageBlock | ImageChooserBlock):  # ImageBlock is a StructBlock: first
        return "image"
    if issubclass(block_class, blocks.PageChooserBlock):
        return "page"
    if issubclass(block_class, blocks.RichTextBlock):
        return "rich_text"
    if issubclass(block_class, blocks.StructBlock):
        return "struct"
    if issubclass(block_class, blocks.ListBlock):
        return "list"
    if issubclass(block_class, blocks.StreamBlock):
        return "stream"
    return "other"


def rich_text_representation(source: str, context: dict) -> str:
    """Rich text's front-end HTML: from the listing's one expansion of its links, else expanded here."""
    batch = context.get(BATCH)
    if batch is not None and source in batch.rich_text:
        return batch.rich_text[source]
    return rich_text_html(source)


def block_representation(block, value, context: dict) -> Any:
    """A StreamField value as JSON, resolving what Wagtail's default leaves as ids or database HTML."""
    kind = block_kind(type(block))
    if kind == "team":  # who the page shows: the active ones chosen, else the whole team
        return {
            "heading": value["heading"],
            "therapists": [therapist_representation(t, context) for t in block.therapists_to_show(value)],
        }
    if kind == "snippet" and isinstance(value, Therapist):
        return therapist_representation(value, context)
    if kind == "snippet" and isinstance(value, Testimonial):
        return testimonial_representation(value)
    if kind == "image":
        return image_representation(value, FIGURE_SPECS, context)
    if kind == "page":
        return page_card(value, context) if value is not None and page_is_public(value, context) else None
    if kind == "rich_text":
        return rich_text_representation(value.source if value is not None else "", context)
    if kind == "struct":
        return {
            name: block_representation(child, value.get(name), context) for name, child in block.child_blocks.items()
        }
    if kind == "list":
        return [block_representation(block.child_block, item, context) for item in value]
    if kind == "stream":
        return [
            StreamBlockDict(
                type=child.block_type, id=child.id, value=block_representation(child.block, child.value, context)
            )
            for child in value
        ]
    return block.get_api_representation(value, context)


# --- Serializer fields for api_fields ------------------------------------------------------


class StreamBodyField(Field):
    """A StreamField as ``[{"type", "id", "value"}]`` with images, page links and rich text resolved."""

    def to_representation(self, value) -> list[StreamBlockDict]:
        # In a listing, from the stored JSON (home/api/stream_json.py, through the batch).
        streams = getattr(self.context.get(BATCH), "streams", None)
        found = streams.representation(value, self.context) if streams is not None else None
        return found if found is not None else block_representation(value.stream_block, value, self.context)


class ImageRenditionsField(Field):
    """An image as its renditions for ``specs`` (smallest first), alt text and original size."""

    def __init__(self, specs: tuple[str, ...] = HERO_SPECS, **kwargs):
        self.specs = specs
        super().__init__(**kwargs)

    def to_representation(self, image) -> ImageDict | None:
        return image_representation(image, self.specs, self.context)


class RenditionsField(Field):
    """An image's renditions for ``specs``, smallest first (for the images endpoint)."""

    def __init__(self, specs: tuple[str, ...] = FIGURE_SPECS, **kwargs):
        self.specs = specs
        super().__init__(source="*", **kwargs)

    def to_representation(self, image) -> list[RenditionDict]:
        return renditions_for(image, self.specs)


class ShareImageField(Field):
    """The image for social sharing: the page's share image, else its hero image."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page) -> ImageDict | None:
        return image_representation(page.get_share_image(), SHARE_SPECS, self.context)


class PageLinkField(Field):
    """A page reference as a link; ``null`` when the page is not live and public."""

    def to_representation(self, page) -> PageLinkDict | None:
        return page_link(page, self.context) if page_is_public(page, self.context) else None


class PageCardListField(Field):
    """Pages (already filtered to live and public by the model) as listing cards."""

    def get_attribute(self, instance):
        batch = self.context.get(BATCH)
        if batch is not None:
            pages = batch.page_lists.get((instance.pk, self.source))
            if pages is not None:  # loaded for the whole listing by prepare_pages()
                return pages
        return super().get_attribute(instance)

    def to_representation(self, pages) -> list[PageCardDict]:
        return [page_card(page, self.context) for page in pages]


class _RelationField(Field):
    """A relation of the instance, read as given to it (``prepared.given``: no manager made)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def objects(self, instance) -> list:
        return given(instance, self.field_name)


class TopicListField(_RelationField):
    def to_representation(self, instance) -> list[TopicDict]:
        # The topics' values: a listing keeps only those (no Topic made per article).
        topics = given_values(instance, self.field_name)
        return [TopicDict(id=topic["id"], name=topic["name"], slug=topic["slug"]) for topic in topics]


class NameListField(_RelationField):
    def to_representation(self, instance) -> list[str]:
        return [obj.name for obj in self.objects(instance)]


class DisclaimerField(Field):
    """The medical disclaimer from the studio settings of the page's site."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    def to_representation(self, page) -> DisclaimerDict:
        request = self.context.get("request")
        if request is not None:
            # API v2: read once per request (cached per host until the settings change), not per page.
            def build() -> DisclaimerDict:
                studio = StudioSettings.for_request(request)
                return DisclaimerDict(html=rich_text_html(studio.medical_disclaimer), version=studio.disclaimer_version)

            return content_cache.cached(f"api:disclaimer:{request.get_host()}", build, request=request)
        studio = StudioSettings.for_site(page.get_site() or Site.objects.filter(is_default_site=True).first())
        return DisclaimerDict(html=rich_text_html(studio.medical_disclaimer), version=studio.disclaimer_version)
