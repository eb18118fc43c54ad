"""The headless content API: Wagtail's API v2 at ``/api/v2/`` and API v3 at ``/api/v3/``.

A separate front end builds the public site from these alone:

* v2 (Django REST framework): ``pages`` (with ``?topic=`` on top of Wagtail's
  filters), ``images``, ``documents``, ``topics``, ``settings`` (studio details
  and the medical disclaimer) and ``page_preview`` (drafts, by preview token).
* v3 (django-ninja, OpenAPI schema at ``/api/v3/openapi.json``): Wagtail's own
  routers plus ``settings``, ``topics`` and ``page_preview`` routers.

What the page types expose is declared in their ``api_fields`` (home/api/fields.py has
the serializer fields). Every view is wrapped here so that:

* the public API is anonymous: a session cookie never widens what it shows
  (only a v3 bearer token does, through Wagtail's own permission checks), and
  v2 pages are live and public only, whatever the session has unlocked;
* anonymous GET responses carry ``Cache-Control`` and an ``ETag`` derived from
  the site's content generation (home/content_cache.py, bumped on publish,
  unpublish, moves, deletions, settings…), so a conditional GET costs a cache
  read and answers 304 until something changes;
* preview responses are never stored (``private, no-store``).
"""

from __future__ import annotations

import hashlib
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from ninja import Router, Schema
from ninja.errors import HttpError
from rest_framework.fields import CharField
from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from wagtail.api import APIField
from wagtail.api.rich_text import APIRichText
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError, parse_fields_parameter
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.api.v3.api import api as v3_api
from wagtail.api.v3.errors import problem_response
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.api.validators import SiteFilterValidator
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, Site, get_page_models

from home import content_cache, queries, selectors
from home.api.fields import (
    BATCH,
    PageCardDict,
    RenditionsField,
    StudioSettingsDict,
    page_card,
    studio_settings_representation,
)
from home.api.loaders import prepare_pages
from home.api.preview import PreviewTokenError, page_from_preview_token
from home.base_models import StudioSettings, Topic

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore

ONLY_HTML = "This API renders rich text as HTML only: leave out rich_text_format or set it to html."


# --- API v2 -----------------------------------------------------------------------------------


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


class ContentPagesAPIViewSet(PagesAPIViewSet):
    renderer_classes = [JSONRenderer]  # one representation per URL, so one ETag
    filter_backends = [TopicFilter, *PagesAPIViewSet.filter_backends]
    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(["topic"])

    def get_queryset(self):
        queryset = super().get_queryset()
        # One type asked for (?type=…): load what its api_fields read for every item up front
        # (the rest, renditions included, in prepare_pages once the page of results is known).
        fields = {field.name for field in queryset.model._meta.get_fields()}
        related = [name for name in ("hero_image", "share_image") if name in fields]
        queryset = queryset.select_related("locale", *related)
        if "topics" in fields:
            queryset = queryset.prefetch_related("topics")
        return queryset

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

    def paginate_queryset(self, queryset):
        # The page of results as a list, with what its fields read loaded for all items at once.
        pages = list(super().paginate_queryset(queryset))
        self._listing_batch = prepare_pages(pages, self.request)
        return pages

    def get_object(self):
        page = super().get_object()
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


class ContentImagesAPIViewSet(ImagesAPIViewSet):
    renderer_classes = [JSONRenderer]
    body_fields = [
        *ImagesAPIViewSet.body_fields,
        APIField("alt", serializer=CharField(source="default_alt_text", read_only=True)),
        APIField("renditions", serializer=RenditionsField()),
    ]


class ContentDocumentsAPIViewSet(DocumentsAPIViewSet):
    renderer_classes = [JSONRenderer]


class TopicsAPIViewSet(BaseAPIViewSet):
    """Topics (sciatica, piriformis syndrome…): filter pages with ``/api/v2/pages/?topic=<slug>``."""

    renderer_classes = [JSONRenderer]
    filter_backends = [FieldsFilter, OrderingFilter, SearchFilter]
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "name", "slug"]
    name = "topics"
    model = Topic

    def get_queryset(self):
        return Topic.objects.order_by("name")


class StudioSettingsAPIViewSet(BaseAPIViewSet):
    """The requested site's studio details and medical disclaimer, as one object."""

    renderer_classes = [JSONRenderer]
    name = "settings"
    model = StudioSettings

    def listing_view(self, request):
        site = Site.find_for_request(request)
        if site is None:
            raise Http404("No site is configured.")
        return Response(studio_settings_representation(StudioSettings.for_site(site)))

    @classmethod
    def get_urlpatterns(cls):
        return [path("", cls.as_view({"get": "listing_view"}), name="listing")]


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


v2_router = WagtailAPIRouter("wagtailapi_v2")
# "pages" first: the router links a page to the first endpoint serving its model.
v2_router.register_endpoint("pages", ContentPagesAPIViewSet)
v2_router.register_endpoint("images", ContentImagesAPIViewSet)
v2_router.register_endpoint("documents", ContentDocumentsAPIViewSet)
v2_router.register_endpoint("topics", TopicsAPIViewSet)
v2_router.register_endpoint("settings", StudioSettingsAPIViewSet)
v2_router.register_endpoint("page_preview", PagePreviewAPIViewSet)


# --- API v3 -----------------------------------------------------------------------------------

v3_api.description = (
    "Wagtail's v3 API for the Runway Massage Studio site: pages, images and documents, plus the "
    "studio settings, topics and draft previews. Without a bearer token it shows live, public "
    "content only. The shop (offers, checkout, order status) is a separate API: "
    "[/api/shop/docs](/api/shop/docs) (schema: /api/shop/openapi.json)."
)


class TopicOut(Schema):
    id: int
    name: str
    slug: str
    description: str


class TopicDetailOut(TopicOut):
    articles: list[PageCardDict]
    treatments: list[PageCardDict]


def _site_or_404(request) -> Site:
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("No site is configured.")
    return site


studio_router = Router(tags=["studio"])


@studio_router.get(
    "/",
    response=StudioSettingsDict,
    url_name="studio_settings",
    summary="Studio details and the medical disclaimer",
    operation_id="studio_settings",
)
def studio_settings(request):
    return studio_settings_representation(StudioSettings.for_site(_site_or_404(request)))


topics_router = Router(tags=["topics"])


@topics_router.get("/", response=list[TopicOut], url_name="list_topics", summary="Topics", operation_id="topics_list")
def list_topics(request):
    return Topic.objects.order_by("name")


@topics_router.get(
    "/{slug}/",
    response=TopicDetailOut,
    url_name="detail_topic",
    summary="A topic with its live articles (newest first) and treatments",
    operation_id="topics_detail",
)
def topic_detail(request, slug: str):
    topic = get_object_or_404(Topic, slug=slug)
    root = _site_or_404(request).root_page
    articles, treatments = selectors.topic_pages(topic, root)
    context = {"request": request}
    return {
        "id": topic.pk,
        "name": topic.name,
        "slug": topic.slug,
        "description": topic.description,
        "articles": [page_card(page, context) for page in articles.select_related("hero_image")],
        "treatments": [page_card(page, context) for page in treatments.select_related("hero_image")],
    }


preview_router = Router(tags=["preview"])


@preview_router.get(
    "/",
    response=PageDetailSchema,
    url_name="page_preview",
    summary="The draft an editor is previewing, by preview token",
    operation_id="page_preview",
)
def page_preview(request, content_type: str, token: str):
    try:
        return page_from_preview_token(content_type=content_type, token=token)
    except PreviewTokenError as error:
        raise HttpError(error.status, error.message) from error


v3_api.add_router("/settings/", studio_router)
v3_api.add_router("/topics/", topics_router)
v3_api.add_router("/page_preview/", preview_router)


# --- Caching, anonymity and previews for every view -------------------------------------------


def _etag(request) -> str:
    key = "\n".join((content_cache.generation(request), request.get_host(), request.get_full_path()))
    return f'W/"{hashlib.sha256(key.encode()).hexdigest()[:40]}"'


def _set_cache_headers(response, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.CONTENT_API_MAX_AGE, must_revalidate=True)
    patch_vary_headers(response, ["Authorization"])


def _serve(view, request, *args, **kwargs):
    if request.method not in ("GET", "HEAD") or request.GET.get("order") == "random":
        return view(request, *args, **kwargs)
    if "HTTP_AUTHORIZATION" in request.META:  # a v3 bearer token: content for that user only
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response
    etag = _etag(request)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        if not_modified.status_code == 304:
            _set_cache_headers(not_modified, etag)
        return not_modified
    response = view(request, *args, **kwargs)
    if response.status_code == 200:
        _set_cache_headers(response, etag)
    return response


def _anonymously(request, call):
    """``call()`` as an anonymous visitor without a session; then the request gets both back.

    Restored rather than replaced for good: the session middleware must still see the
    visitor's own session, or it would delete the cookie of an editor who is signed in.
    """
    user, session = getattr(request, "user", None), getattr(request, "session", None)
    request.user, request.session = AnonymousUser(), SessionStore()
    try:
        return call()
    finally:
        request.user, request.session = user, session


def _asks_for_database_rich_text(request) -> bool:
    # API v3 reads ?rich_text_format= in each field (v2 checks it in ContentPagesAPIViewSet).
    # Editors' tools with a bearer token may ask for the database format; nobody else.
    requested = request.GET.get("rich_text_format", APIRichText.FORMAT_HTML)
    return requested != APIRichText.FORMAT_HTML and "HTTP_AUTHORIZATION" not in request.META


def public_api_view(view, *, only_html_for_v3: bool = False):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if only_html_for_v3 and _asks_for_database_rich_text(request):
            return problem_response(status=400, detail=ONLY_HTML)
        return _anonymously(request, lambda: _serve(view, request, *args, **kwargs))

    return wrapper


def preview_api_view(view, *, only_html_for_v3: bool = False):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if only_html_for_v3 and _asks_for_database_rich_text(request):
            response = problem_response(status=400, detail=ONLY_HTML)
        else:
            response = _anonymously(request, lambda: view(request, *args, **kwargs))
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def _wrap(patterns, *, is_preview, **options):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):  # an included resolver (v2: one per endpoint)
            if is_preview(pattern):
                _wrap(pattern.url_patterns, is_preview=lambda p: True, **options)
            else:
                _wrap(pattern.url_patterns, is_preview=is_preview, **options)
        elif getattr(pattern, "callback", None):
            decorate = preview_api_view if is_preview(pattern) else public_api_view
            pattern.callback = decorate(pattern.callback, **options)
    return patterns


# Both are (patterns, app_name, namespace) triples for ``path("api/v2/", v2_urls)``.
v2_urls = (
    _wrap(v2_router.get_urlpatterns(), is_preview=lambda p: getattr(p, "namespace", None) == "page_preview"),
    "wagtailapi_v2",
    "wagtailapi_v2",
)
_v3_patterns, _v3_app_name, _v3_namespace = v3_api.urls
v3_urls = (
    _wrap(_v3_patterns, is_preview=lambda p: getattr(p, "name", None) == "page_preview", only_html_for_v3=True),
    _v3_app_name,
    _v3_namespace,
)
