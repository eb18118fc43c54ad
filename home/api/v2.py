"""Wagtail's API v2 at ``/api/v2/`` (Django REST framework), as the studio serves it.

``pages`` (with ``?topic=`` on top of Wagtail's filters), ``images``,
``documents``, ``topics``, ``settings`` (studio details, hours, booking and the
medical disclaimer), ``team``, ``testimonials``, ``faq`` (questions and answers
by page) and ``page_preview`` (drafts, by preview token). What the page types
expose is declared in their ``api_fields`` (home/api/fields.py has the
serializer fields); a page of results has what those fields read loaded at once
(home/api/loaders.py). home/api/urls.py wraps every view (anonymity, ETags).
"""

from __future__ import annotations

import copy
import functools
from collections import OrderedDict

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Subquery, Window
from django.http import Http404
from django.urls import NoReverseMatch, path
from rest_framework.fields import CharField
from rest_framework.filters import BaseFilterBackend
from rest_framework.response import Response
from wagtail.api import APIField
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageHtmlUrlField, PageLocaleField, PageSerializer
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site, get_page_models

from home import selectors
from home.api.fields import (
    BATCH,
    RenditionsField,
    testimonial_representation,
    therapist_representation,
)
from home.api.loaders import prepare_pages
from home.api.preview import PreviewTokenError, page_from_preview_token
from home.api.renderers import CompactJSON
from home.api.studio import page_questions, studio_settings_representation
from home.base_models import StudioSettings, Testimonial, Therapist, Topic
from home.performance import generation as content_cache
from home.performance import page_urls, queries

ONLY_HTML = "This API renders rich text as HTML only: leave out rich_text_format or set it to html."


def tagged_with_topics(model: type[Page], slugs: list[str]) -> Q:
    """Pages of ``model`` (or its subclasses) tagged with any of the topics ``slugs``."""
    condition = Q(pk__in=[])
    for page_model in get_page_models():
        if issubclass(page_model, model) and hasattr(page_model, "topics"):
            condition |= Q(pk__in=page_model.objects.filter(topics__slug__in=slugs).values("pk"))
    return condition


class TopicFilter(BaseFilterBackend):
    """``?topic=sciatica`` (several: ``?topic=sciatica,piriformis-syndrome``): pages tagged with any of them."""

    def filter_queryset(self, request, queryset, view):
        if "topic" not in request.GET:
            return queryset
        slugs = [slug for slug in request.GET["topic"].split(",") if slug]
        # A pk subquery rather than a join: no duplicates, and search can still run on the result.
        return queryset.filter(tagged_with_topics(queryset.model, slugs))


class RequestPageHtmlUrlField(PageHtmlUrlField):
    """A page's ``html_url`` (``meta``) as Wagtail's field gives it, found with the request: Wagtail's
    reads ``page.full_url``, which looks the sites' root paths up in the cache once per page."""

    def to_representation(self, page) -> str | None:
        try:
            return page.get_full_url(self.context.get("request"))
        except NoReverseMatch:
            return None


# A listing's pages carry their locale's language code (home/api/v2.py ``_content_queryset``).
LOCALE_CODE = "_locale_code"


class LocaleCodeField(PageLocaleField):
    """A page's ``locale`` (``meta``) as Wagtail's field gives it, read from the code the listing's
    query selected, where it did (a Locale made per page was a twentieth of a listing's objects)."""

    def to_representation(self, page) -> str:
        code = page.__dict__.get(LOCALE_CODE)
        return code if code is not None else super().to_representation(page)


class ContentPageSerializer(PageSerializer):
    html_url = RequestPageHtmlUrlField(read_only=True)
    locale = LocaleCodeField(read_only=True)

    def get_fields(self):
        # What a serializer class's fields are does not change (they come from its Meta and declared
        # fields, never the context): DRF builds them per serializer (the model fields' kwargs worked
        # out again each time), here once per class and copied as DRF copies declared fields.
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)


def _frozen(fields_config):
    """``parse_fields_parameter``'s answer as nested tuples (a memo key)."""
    if fields_config is None:
        return None
    return tuple((name, negated, _frozen(sub_fields)) for name, negated, sub_fields in fields_config)


@functools.lru_cache(maxsize=256)
def _serializer_class(cls, router, model, fields_config, show_details, nested):
    return super(ContentPagesAPIViewSet, cls)._get_serializer_class(
        router, model, fields_config, show_details=show_details, nested=nested
    )


class _PreparedListings:
    """A page of a pages listing as a query compiled once (home/performance/prepared.py), with its total
    as a subquery column (read from the first row): what Wagtail's view built (the type, the site,
    the view restrictions, the URL's filters, ordering and slice) and its count, per answer.

    The SQL is made from the URL, the host and the content (a restriction, a topic's id), so a
    listing is kept per content generation, host and full path (the last 256); its rows are read on
    every request. A search, a random order or a page past the end is built as Wagtail builds it.
    """

    TOTAL = "_listing_total"

    def __init__(self, size: int = 256):
        self.size = size
        self._kept: OrderedDict[tuple, tuple[QuerySet, queries.PreparedQuery]] = OrderedDict()

    @staticmethod
    def key(request) -> tuple | None:
        if "search" in request.GET or request.GET.get("order") == "random":
            return None
        return (content_cache.generation(request), request.get_host(), request.get_full_path())

    def get(self, key) -> tuple[QuerySet, queries.PreparedQuery] | None:
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def keep(self, key, base: QuerySet, page: QuerySet) -> queries.PreparedQuery | None:
        """Keep the listing ``page`` (a sliced queryset) for ``key``; ``base`` gives the serializer's model."""
        query = page.query
        if query.distinct or query.combinator or query.is_sliced is False:
            return None  # a window over distinct or combined rows would not count the results
        start, stop = query.low_mark, query.high_mark
        rows = page._chain()
        rows.query.clear_limits()
        # The total as a scalar subquery (run once): a window over the page's own query would work
        # out every column of every row (each article's topics) before the slice.
        total = rows.order_by().annotate(n=Window(Count("pk"))).values("n")[:1]
        counted = rows.annotate(**{self.TOTAL: Subquery(total)})[start:stop]
        prepared = queries.PreparedQuery(lambda: counted)
        self._kept[key] = (base, prepared)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)
        return prepared


_LISTINGS = _PreparedListings()


class ContentPagesAPIViewSet(CompactJSON, PagesAPIViewSet):
    base_serializer_class = ContentPageSerializer
    filter_backends = [TopicFilter, *PagesAPIViewSet.filter_backends]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["topic"])

    @classmethod
    def _get_serializer_class(cls, router, model, fields_config, show_details=False, nested=False):
        # Wagtail builds a serializer class (fields, child serializers) per request: the same class
        # for the same model and ?fields=, so kept (a few hundred, least recently used dropped).
        return _serializer_class(cls, router, model, _frozen(fields_config), show_details, nested)

    def get_queryset(self):
        # Wagtail asks twice per listing (the second time for the model of the serializer).
        if getattr(self, "_base_queryset", None) is None:
            self._base_queryset = self._content_queryset()
        return self._base_queryset

    def _content_queryset(self):
        queryset = super().get_queryset()
        # One type asked for (?type=…): load what its api_fields read for every item up front
        # (the rest, renditions included, in prepare_pages once the page of results is known).
        # The pages' images are read by id with the listing's other images (prepare_pages): one
        # instance per image, where joining them made one per page and image.
        fields = {field.name for field in queryset.model._meta.get_fields()}
        queryset = queryset.annotate(**{LOCALE_CODE: F("locale__language_code")})
        if "topics" in fields:  # folded into the listing's own query (home/performance/folded.py)
            queryset = queryset.annotate(**queries.folded(queryset.model, "topics").column())
        return queryset

    def _loaded(self, pages: list) -> list:
        """``pages`` given what their query folded in: their topics' values (the fields read them;
        a Topic made per topic of every article was a sixth of a listing's objects)."""
        for page in pages:
            if page is not None and hasattr(type(page), "topics"):
                queries.folded(type(page), "topics").keep_values(page)
        return pages

    def get_base_queryset(self):
        # Wagtail's get_public_pages_queryset, but without any restricted page: Wagtail's lets a
        # session that entered a page's password (or a signed-in user) see that page, the public
        # API shows only pages without any view restriction. The restricted paths are read once
        # (and kept in the content cache), not once per call.
        request = self.request
        queryset = queries.public(Page.objects.all().live(), request)
        try:
            site = SiteFilterValidator(site=request.GET.get("site"), request=request).site_obj
        except ValueError as error:
            raise BadRequestError(str(error)) from error
        if not site:
            return queryset.none()
        base_queryset = queryset
        queryset = base_queryset.descendant_of(site.root_page, inclusive=True)
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            for translation in site.root_page.get_translations():
                queryset |= base_queryset.descendant_of(translation, inclusive=True)
        return queryset

    def listing_view(self, request):
        # A listing served before for this generation, host and URL: its prepared query, without
        # building the queryset or counting it again (_PreparedListings).
        key = _LISTINGS.key(request)
        kept = _LISTINGS.get(key) if key is not None else None
        if kept is not None:
            base, prepared = kept
            pages = prepared()
            if pages:
                self._base_queryset = base  # the serializer's model
                self.paginator.view = self
                self.paginator.total_count = self._take_total(pages)
                serializer = self.get_serializer(self._with_batch(pages), many=True)
                return self.get_paginated_response(serializer.data)
        self._listing_key = key
        return super().listing_view(request)

    @staticmethod
    def _take_total(pages: list) -> int:
        total = getattr(pages[0], _PreparedListings.TOTAL)
        for page in pages:
            del page.__dict__[_PreparedListings.TOTAL]
        return total

    def _with_batch(self, pages: list) -> list:
        """``pages`` given what their query folded in, with what their fields read loaded at once."""
        pages = self._loaded(pages)
        self._listing_batch = prepare_pages(pages, self.request)
        return pages

    def paginate_queryset(self, queryset):
        # The page of results as a list, with what its fields read loaded for all items at once.
        page = super().paginate_queryset(queryset)
        key = getattr(self, "_listing_key", None)
        prepared = _LISTINGS.keep(key, self.get_queryset(), page) if key is not None else None
        if prepared is not None:
            pages = prepared()
            if pages:
                self._take_total(pages)
            return self._with_batch(pages)
        return self._with_batch(list(page))

    def get_object(self):
        page = self._loaded([super().get_object()])[0]
        if getattr(self, "_listing_batch", None) is None:
            self._listing_batch = prepare_pages([page], self.request)
        return page

    def get_serializer_context(self):
        context = super().get_serializer_context()
        batch = getattr(self, "_listing_batch", None)
        if batch is not None:
            context[BATCH] = batch
        return context

    def resolve_rich_text_format(self):
        rich_text_format = super().resolve_rich_text_format()
        if rich_text_format != APIRichText.FORMAT_HTML:
            raise BadRequestError(ONLY_HTML)
        return rich_text_format


class ContentImagesAPIViewSet(CompactJSON, ImagesAPIViewSet):
    body_fields = [
        *ImagesAPIViewSet.body_fields,
        APIField("alt", serializer=CharField(source="default_alt_text", read_only=True)),
        APIField("renditions", serializer=RenditionsField()),
    ]


class ContentDocumentsAPIViewSet(CompactJSON, DocumentsAPIViewSet):
    pass


class TopicsAPIViewSet(CompactJSON, BaseAPIViewSet):
    """Topics (sciatica, piriformis syndrome…): filter pages with ``/api/v2/pages/?topic=<slug>``."""

    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "name", "slug"]
    name = "topics"
    model = Topic

    def get_queryset(self):
        return Topic.objects.order_by("name")


def _site_or_404(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured.")
    return site


class OneViewAPIViewSet(CompactJSON, BaseAPIViewSet):
    """An endpoint with one URL (no detail view), answering what ``items(request)`` returns."""

    def listing_view(self, request):
        return Response(self.items(request))

    def items(self, request):
        raise NotImplementedError

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]


def _listing(items: list) -> dict:
    return {"meta": {"total_count": len(items)}, "items": items}


class StudioSettingsAPIViewSet(OneViewAPIViewSet):
    """The requested site's studio details, hours, booking and medical disclaimer, as one object."""

    name = "settings"
    model = StudioSettings

    def items(self, request):
        return studio_settings_representation(StudioSettings.for_site(_site_or_404(request)))


class TeamAPIViewSet(OneViewAPIViewSet):
    """The active therapists in their order, with photo renditions, bio and specialities."""

    name = "team"
    model = Therapist

    def items(self, request):
        therapists = Therapist.objects.filter(active=True).select_related("photo")
        return _listing([therapist_representation(therapist) for therapist in therapists])


class TestimonialsAPIViewSet(OneViewAPIViewSet):
    """What clients say, in their order; ``show_on_home`` marks the home page's picks."""

    name = "testimonials"
    model = Testimonial

    def items(self, request):
        return _listing([testimonial_representation(testimonial) for testimonial in Testimonial.objects.all()])


class FAQAPIViewSet(OneViewAPIViewSet):
    """Questions and answers: each live, public page that has some (its "faq" blocks), in site order."""

    name = "faq"
    model = Page

    def items(self, request):
        root = _site_or_404(request).root_page
        context = {"request": request, "router": request.wagtailapi_router}

        def build():
            return _listing(page_questions(selectors.pages_with_questions(root, request), context))

        return content_cache.cached(f"api:v2:faq:{request.get_host()}", build, request=request)


class PagePreviewAPIViewSet(ContentPagesAPIViewSet):
    """``?content_type=<app.model>&token=<token>`` from the admin's Preview: the draft, as a page detail."""

    name = "page_preview"
    known_query_parameters = ContentPagesAPIViewSet.known_query_parameters.union(["content_type", "token"])

    def get_object(self):
        if not hasattr(self, "_preview_page"):
            content_type = self.request.GET.get("content_type")
            token = self.request.GET.get("token")
            if not content_type or not token:
                raise PreviewTokenError(400, "Both content_type and token are required.")
            self._preview_page = page_from_preview_token(content_type=content_type, token=token)
        return self._preview_page

    def get_serializer_class(self):
        try:
            fields_config = parse_fields_parameter(self.request.GET["fields"]) if "fields" in self.request.GET else []
        except ValueError as error:
            raise BadRequestError(f"fields error: {error}") from error
        return self._get_serializer_class(
            self.request.wagtailapi_router, type(self.get_object()), fields_config, show_details=True
        )

    def listing_view(self, request):
        serializer = self.get_serializer(self.get_object())
        return Response(serializer.data)

    def handle_exception(self, exc):
        if isinstance(exc, PreviewTokenError):
            return Response({"message": exc.message}, status=exc.status)
        return super().handle_exception(exc)

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]


class ContentAPIRouter(WagtailAPIRouter):
    """Wagtail's router, its detail URLs (every item's ``meta.detail_url``, every linked page's)
    reversed once per endpoint rather than once per object (page_urls.reverse_with_id)."""

    def get_object_detail_urlpath(self, model, pk):
        endpoint = self.get_model_endpoint(model)
        if endpoint is None:
            return None
        name, endpoint_class = endpoint
        if endpoint_class.get_object_detail_urlpath.__func__ is not BaseAPIViewSet.get_object_detail_urlpath.__func__:
            return super().get_object_detail_urlpath(model, pk)  # an endpoint with its own detail URLs
        return page_urls.reverse_with_id(f"{self.url_namespace}:{name}:detail", pk)


v2_router = ContentAPIRouter("wagtailapi_v2")
# "pages" first: the router links a page to the first endpoint serving its model.
v2_router.register_endpoint("pages", ContentPagesAPIViewSet)
v2_router.register_endpoint("images", ContentImagesAPIViewSet)
v2_router.register_endpoint("documents", ContentDocumentsAPIViewSet)
v2_router.register_endpoint("topics", TopicsAPIViewSet)
v2_router.register_endpoint("settings", StudioSettingsAPIViewSet)
v2_router.register_endpoint("team", TeamAPIViewSet)
v2_router.register_endpoint("testimonials", TestimonialsAPIViewSet)
v2_router.register_endpoint("faq", FAQAPIViewSet)
v2_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
