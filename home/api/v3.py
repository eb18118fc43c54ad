"""Wagtail's API v3 at ``/api/v3/`` (django-ninja; OpenAPI schema at ``/api/v3/openapi.json``).

Wagtail's own routers (pages, images, documents) plus the studio's ``settings``
(details, hours, booking), ``team``, ``testimonials``, ``faq``, ``topics`` and
``page_preview`` routers, added here to Wagtail's v3 API object.
The page fields are the same serializer fields as v2's (home/api/fields.py,
through Wagtail's compatibility shim). home/api/urls.py wraps every view.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from wagtail.api.v3.api import api as v3_api
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.models import Site

from home import selectors
from home.api.fields import (
    PageCardDict,
    TestimonialDict,
    TherapistDict,
    page_card,
    testimonial_representation,
    therapist_representation,
)
from home.api.preview import PreviewTokenError, page_from_preview_token
from home.api.studio import PageQuestionsDict, StudioSettingsDict, page_questions, studio_settings_representation
from home.base_models import StudioSettings, Testimonial, Therapist, Topic
from home.performance import generation as content_cache

v3_api.description = (
    "Wagtail's v3 API for the Runway Massage Studio site: pages, images and documents, plus the "
    "studio's details, hours and booking link, its team, testimonials and questions and answers, "
    "topics and draft previews. Without a bearer token it shows live, public "
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
    summary="Studio details, opening hours, booking and the medical disclaimer",
    operation_id="studio_settings",
)
def studio_settings(request):
    return studio_settings_representation(StudioSettings.for_site(_site_or_404(request)))


team_router = Router(tags=["studio"])


@team_router.get(
    "/",
    response=list[TherapistDict],
    url_name="team",
    summary="The team: active therapists in their order, with photo, bio and specialities",
    operation_id="team_list",
)
def list_team(request):
    therapists = Therapist.objects.filter(active=True).select_related("photo")
    return [therapist_representation(therapist) for therapist in therapists]


testimonials_router = Router(tags=["studio"])


@testimonials_router.get(
    "/",
    response=list[TestimonialDict],
    url_name="testimonials",
    summary="What clients say, in their order (show_on_home: the home page's picks)",
    operation_id="testimonials_list",
)
def list_testimonials(request):
    return [testimonial_representation(testimonial) for testimonial in Testimonial.objects.all()]


faq_router = Router(tags=["studio"])


@faq_router.get(
    "/",
    response=list[PageQuestionsDict],
    url_name="faq",
    summary="Questions and answers: every live, public page with some, in site order",
    operation_id="faq_list",
)
def list_faq(request):
    root = _site_or_404(request).root_page

    def build():
        return page_questions(selectors.pages_with_questions(root, request), {"request": request})

    return content_cache.cached(f"api:v3:faq:{request.get_host()}", build, request=request)


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
v3_api.add_router("/team/", team_router)
v3_api.add_router("/testimonials/", testimonials_router)
v3_api.add_router("/faq/", faq_router)
v3_api.add_router("/topics/", topics_router)
v3_api.add_router("/page_preview/", preview_router)
