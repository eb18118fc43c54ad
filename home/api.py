"""What the headless content API (site/api.py) says about the studio's pages.

Serializer fields named in the page models' ``api_fields``. Wagtail's API v2
binds them with a context holding the request and the v2 router; API v3 reuses
the same fields through its compatibility shim, without a context. The output
is the same either way, except that links to other pages point at the API the
client is reading (v2 when a v2 router is in the context, else v3).

The rules every field follows:

* images come out as renditions (URL, size) plus alt text, never as bare ids;
* page references come out as links (title, path, public URL, API URL), and a
  page that is not live and public comes out as ``null``;
* rich text is rendered to front-end HTML, in StreamField bodies as well.

Also here: the preview mixin that sends Wagtail's Preview button to a headless
front end when one is configured, and the look-up of a preview token.
"""

from __future__ import annotations

import secrets
from typing import Any, NotRequired, TypedDict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import prefetch_related_objects
from django.urls import NoReverseMatch, reverse
from rest_framework.fields import Field
from wagtail import blocks
from wagtail.api.rich_text import APIRichText
from wagtail.api.utils import get_full_url
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.images.models import SourceImageIOError
from wagtail.models import Site
from wagtail_headless_preview.models import HeadlessPreviewMixin as LibraryHeadlessPreviewMixin
from wagtail_headless_preview.settings import headless_preview_settings

from . import content_cache, queries
from .base_models import StudioSettings

# Rendition sets, matching the sizes the server-rendered templates use.
HERO_SPECS = ("fill-640x360|format-webp", "fill-1024x576|format-webp", "fill-1600x900|format-webp")
FIGURE_SPECS = ("width-400|format-webp", "width-800|format-webp", "width-1200|format-webp")
SHARE_SPECS = ("fill-1200x630|format-jpeg",)


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


class StreamBlockDict(TypedDict):
    type: str
    id: str | None
    value: Any


# --- Building blocks --------------------------------------------------------------------


def rich_text_html(source: str | None) -> str:
    """Front-end HTML: internal links and embeds expanded, no ``linktype=`` left."""
    return APIRichText.serialize(source or "", format=APIRichText.FORMAT_HTML)


def image_representation(image, specs: tuple[str, ...]) -> ImageDict | None:
    if image is None:
        return None
    if getattr(image, "decorative", False):
        alt = ""
    else:
        alt = getattr(image, "contextual_alt_text", None) or image.default_alt_text
    return ImageDict(
        id=image.pk,
        title=image.title,
        alt=alt or "",
        width=image.width,
        height=image.height,
        renditions=renditions_for(image, specs),
    )


def renditions_for(image, specs: tuple[str, ...]) -> list[RenditionDict]:
    """The image's renditions for ``specs``, smallest first."""
    try:
        renditions = image.get_renditions(*specs)
    except SourceImageIOError:  # the original file is missing: keep the shape, list no sizes
        return []
    return [
        RenditionDict(url=r.url, full_url=r.full_url, width=r.width, height=r.height)
        for r in sorted(renditions.values(), key=lambda r: r.width)
    ]


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
            path = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
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
    page = page.specific_deferred if type(page) is not page.specific_class else page
    card = PageCardDict(**page_link(page, context))
    for name in ("summary", "author", "intensity"):
        if hasattr(page, name):
            card[name] = getattr(page, name)
    if hasattr(page, "date"):
        card["date"] = page.date.isoformat()
    if hasattr(page, "hero_image"):
        card["hero_image"] = image_representation(page.hero_image, HERO_SPECS)
    return card


def block_representation(block, value, context: dict) -> Any:
    """A StreamField value as JSON, resolving what Wagtail's default leaves as ids or database HTML."""
    if isinstance(block, ImageBlock | ImageChooserBlock):  # ImageBlock is a StructBlock: test it first
        return image_representation(value, FIGURE_SPECS)
    if isinstance(block, blocks.PageChooserBlock):
        return page_card(value, context) if value is not None and page_is_public(value, context) else None
    if isinstance(block, blocks.RichTextBlock):
        source = value.source if value is not None else ""
        batch = context.get(BATCH)
        if batch is not None and source in batch.rich_text:
            return batch.rich_text[source]
        return rich_text_html(source)
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_representation(child, value.get(name), context) for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [block_representation(block.child_block, item, context) for item in value]
    if isinstance(block, blocks.StreamBlock):
        return [
            StreamBlockDict(
                type=child.block_type, id=child.id, value=block_representation(child.block, child.value, context)
            )
            for child in value
        ]
    return block.get_api_representation(value, context)


# --- Loading what a listing's fields read, for all its pages at once ------------------------

# Serializer context key of the ListingBatch (API v2 listings and details; absent elsewhere).
BATCH = "listing_batch"
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

    def is_public(self, page) -> bool:
        if not page.live:
            return False
        if self.alias_paths and page.path.startswith(self.alias_paths):
            return not page.get_view_restrictions().exists()  # an alias's restrictions are its source's
        return self.is_public_descendant(page)

    def is_public_descendant(self, page) -> bool:
        """As ``.public()`` decides (by path only), for pages already known to be live."""
        return not (self.restricted_paths and page.path.startswith(self.restricted_paths))


def _convert_streams(stream_values) -> None:
    """Convert the raw blocks of all ``stream_values`` with one ``bulk_to_python`` per block type.

    What Wagtail does per stream (one query per chooser block type and page), done
    across the pages of a listing: one query per chooser block type in all.
    """
    pending: dict[tuple[int, str], list] = {}
    for stream in stream_values:
        raw_data = getattr(stream, "_raw_data", None)
        bound = getattr(stream, "_bound_blocks", None)
        if raw_data is None or bound is None:
            continue
        for i, item in enumerate(raw_data):
            if bound[i] is None and item is not None and item.get("type") in stream.stream_block.child_blocks:
                pending.setdefault((id(stream.stream_block), item["type"]), []).append((stream, i, item))
    for entries in pending.values():
        stream = entries[0][0]
        child_block = stream.stream_block.child_blocks[entries[0][2]["type"]]
        converted = child_block.bulk_to_python([item["value"] for _, _, item in entries])
        for (stream, i, item), value in zip(entries, converted, strict=True):
            stream._bound_blocks[i] = StreamValue.StreamChild(child_block, value, id=item.get("id"))


def _collect(block, value, images: list, pages: list) -> None:
    """The images and linked pages in a block value (as ``block_representation`` walks it)."""
    if value is None:
        return
    if isinstance(block, ImageBlock | ImageChooserBlock):
        images.append(value)
    elif isinstance(block, blocks.PageChooserBlock):
        pages.append(value)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _collect(child, value.get(name), images, pages)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _collect(block.child_block, item, images, pages)
    elif isinstance(block, blocks.StreamBlock):
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


def _related_treatments(articles, batch: ListingBatch) -> list:
    """Each article's ``related_treatments`` (live, public, sharing a topic; by title), in one query."""
    from .models import TreatmentPage

    topic_ids = {article.pk: [topic.pk for topic in article.topics.all()] for article in articles}
    wanted = {pk for ids in topic_ids.values() for pk in ids}
    if not wanted:
        for article in articles:
            batch.page_lists[(article.pk, "related_treatments")] = []
        return []
    through = TreatmentPage.topics.through
    rows = (
        through.objects.filter(topic_id__in=wanted, treatmentpage__live=True)
        .select_related("treatmentpage", "treatmentpage__hero_image")
        .order_by("treatmentpage__title", "treatmentpage_id")
    )
    treatments: dict[int, object] = {}
    by_topic: dict[int, list[int]] = {}
    for row in rows:
        treatment = treatments.setdefault(row.treatmentpage_id, row.treatmentpage)
        if batch.is_public_descendant(treatment):
            by_topic.setdefault(row.topic_id, []).append(treatment.pk)
    order = {pk: n for n, pk in enumerate(treatments)}
    for article in articles:
        pks = {pk for topic_id in topic_ids[article.pk] for pk in by_topic.get(topic_id, ())}
        batch.page_lists[(article.pk, "related_treatments")] = [treatments[pk] for pk in sorted(pks, key=order.get)]
    return list(treatments.values())


def prepare_pages(pages, request) -> ListingBatch:
    """Load what the api_fields of ``pages`` read, for all of them at once (a fixed number of queries).

    Expects the pages' own hero and share images selected and their topics prefetched
    (site/api.py's queryset does that). Loads: the images and linked pages in their
    StreamFields (one query per chooser block type), the linked pages' hero images,
    articles' related treatments, and the renditions of every image (one query).
    """
    from blog.models import ArticlePage

    batch = ListingBatch(request)
    pages = [page for page in pages if page is not None]
    streams = [
        getattr(page, field.attname)
        for page in pages
        for field in type(page)._meta.concrete_fields
        if isinstance(field, StreamField)
    ]
    _convert_streams(streams)
    images: list = []
    linked: list = []
    for stream in streams:
        if isinstance(stream, StreamValue):
            _collect(stream.stream_block, stream, images, linked)
    batch.rich_text = _expand_rich_text_together(streams)
    images.extend(_hero_images_of(linked))
    articles = [page for page in pages if isinstance(page, ArticlePage)]
    if articles:
        images.extend(treatment.hero_image for treatment in _related_treatments(articles, batch))
    for page in pages:
        images.append(getattr(page, "hero_image", None))
        if hasattr(page, "get_share_image"):
            images.append(page.get_share_image())
    queries.attach_renditions(images, ALL_SPECS)
    return batch


def _rich_text_sources(block, value, out: list[str]) -> None:
    if value is None or isinstance(block, ImageBlock | ImageChooserBlock):  # ImageBlock's value is an Image
        return
    if isinstance(block, blocks.RichTextBlock):
        out.append(value.source)
    elif isinstance(block, blocks.StructBlock):
        for name, child in block.child_blocks.items():
            _rich_text_sources(child, value.get(name), out)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            _rich_text_sources(block.child_block, item, out)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            _rich_text_sources(child.block, child.value, out)


def _expand_rich_text_together(streams) -> dict[str, str]:
    """Expand every rich text that links to pages or embeds, in one pass over all of them.

    Wagtail resolves the links of one rich text in one query (per link type); joined
    with a separator that the rewriter leaves alone, the whole listing's rich text
    takes that one query instead of one per paragraph.
    """
    sources: list[str] = []
    for stream in streams:
        if isinstance(stream, StreamValue):
            _rich_text_sources(stream.stream_block, stream, sources)
    sources = [source for source in dict.fromkeys(sources) if "linktype=" in source or "<embed" in source]
    if not sources:
        return {}
    separator = f"<!--rich-text-{secrets.token_hex(8)}-->"
    parts = rich_text_html(separator.join(sources)).split(separator)
    return dict(zip(sources, parts, strict=True)) if len(parts) == len(sources) else {}


# --- Serializer fields for api_fields ------------------------------------------------------


class StreamBodyField(Field):
    """A StreamField as ``[{"type", "id", "value"}]`` with images, page links and rich text resolved."""

    def to_representation(self, value) -> list[StreamBlockDict]:
        return block_representation(value.stream_block, value, self.context)


class ImageRenditionsField(Field):
    """An image as its renditions for ``specs`` (smallest first), alt text and original size."""

    def __init__(self, specs: tuple[str, ...] = HERO_SPECS, **kwargs):
        self.specs = specs
        super().__init__(**kwargs)

    def to_representation(self, image) -> ImageDict | None:
        return image_representation(image, self.specs)


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
        return image_representation(page.get_share_image(), SHARE_SPECS)


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


class TopicListField(Field):
    def to_representation(self, topics) -> list[TopicDict]:
        return [TopicDict(id=topic.pk, name=topic.name, slug=topic.slug) for topic in topics.all()]


class NameListField(Field):
    def to_representation(self, objects) -> list[str]:
        return [obj.name for obj in objects.all()]


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


# --- Studio settings -------------------------------------------------------------------------


class AddressDict(TypedDict):
    street_address: str
    locality: str
    postal_code: str
    country: str


class MedicalDisclaimerDict(TypedDict):
    html: str
    version: str


class StudioSettingsDict(TypedDict):
    studio_name: str
    tagline: str
    phone: str
    email: str
    address: AddressDict
    opening_hours: list[str]
    booking_url: str
    booking_note: str
    instagram_url: str
    facebook_url: str
    medical_disclaimer: MedicalDisclaimerDict


def studio_settings_representation(studio) -> StudioSettingsDict:
    return StudioSettingsDict(
        studio_name=studio.studio_name,
        tagline=studio.tagline,
        phone=studio.phone,
        email=studio.email,
        address=AddressDict(
            street_address=studio.street_address,
            locality=studio.locality,
            postal_code=studio.postal_code,
            country=studio.country,
        ),
        opening_hours=studio.opening_hours_lines,
        booking_url=studio.booking_url,
        booking_note=studio.booking_note,
        instagram_url=studio.instagram_url,
        facebook_url=studio.facebook_url,
        medical_disclaimer=MedicalDisclaimerDict(
            html=rich_text_html(studio.medical_disclaimer), version=studio.disclaimer_version
        ),
    )


# --- Headless preview -----------------------------------------------------------------------


def headless_preview_enabled() -> bool:
    return bool(headless_preview_settings.CLIENT_URLS)


class HeadlessPreviewMixin(LibraryHeadlessPreviewMixin):
    """wagtail-headless-preview's mixin, active only when a front end is configured.

    With ``HEADLESS_PREVIEW_URL`` set, Preview stores the edited page under a
    signed token and shows the front end's preview URL with that token. Unset,
    the page previews as Wagtail renders it.
    """

    def serve_preview(self, request, preview_mode):
        if not headless_preview_enabled():
            # Skip the library's override: the next serve_preview in the MRO is Wagtail's own.
            return super(LibraryHeadlessPreviewMixin, self).serve_preview(request, preview_mode)
        return super().serve_preview(request, preview_mode)


class PreviewTokenError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def page_from_preview_token(*, content_type: str, token: str):
    """The previewed (unsaved) page for a token from the admin's Preview.

    Raises PreviewTokenError: 404 for an unknown page type or an unknown or forged
    token, 410 once the token is older than HEADLESS_PREVIEW_TOKEN_MAX_AGE.
    """
    app_label, _, model_name = content_type.partition(".")
    try:
        model = ContentType.objects.get_by_natural_key(app_label, model_name.lower()).model_class()
    except ContentType.DoesNotExist:
        model = None
    if model is None or not issubclass(model, LibraryHeadlessPreviewMixin):
        raise PreviewTokenError(404, "No previewable page type of that name.")
    try:
        model.get_preview_signer().unsign(token, max_age=settings.HEADLESS_PREVIEW_TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise PreviewTokenError(410, "This preview token has expired: press Preview again.") from error
    except signing.BadSignature as error:
        raise PreviewTokenError(404, "No preview for this token.") from error
    page = model.get_page_from_preview_token(token)
    if page is None:
        raise PreviewTokenError(404, "No preview for this token.")
    return page
