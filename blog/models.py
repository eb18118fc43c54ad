"""Articles: the journal index, articles, and topic listings."""

from __future__ import annotations

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from home import queries, selectors
from home.api.fields import (
    DisclaimerField,
    ImageRenditionsField,
    PageCardListField,
    ShareImageField,
    StreamBodyField,
    TopicListField,
)
from home.api.preview import HeadlessPreviewMixin
from home.base_models import SeoMixin, Topic
from home.blocks import BaseStreamBlock
from home.performance import renditions as specs
from home.performance import text
from home.performance.instances import NoChildScanOnLoad
from home.performance.page_routing import OneQueryRouting

ARTICLES_PER_PAGE = 10


class BlogIndexPage(HeadlessPreviewMixin, RoutablePageMixin, OneQueryRouting, SeoMixin, Page, NoChildScanOnLoad):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("share_image", serializer=ShareImageField())]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["blog.ArticlePage"]

    def articles(self, request=None, topic=None):
        """The live, public articles under the journal (tagged with ``topic``), newest first."""
        articles = queries.public(ArticlePage.objects.child_of(self).live(), request)
        if topic is not None:
            articles = articles.filter(topics=topic)
        return articles.order_by("-date", "-pk")

    def paginate(self, request, name, topic=None):
        """One page of the articles (of ``topic``), its total kept in the content cache as ``name``.

        The page number is checked against that total (past the end: 404); the articles
        themselves are only loaded when the template shows them, which a cached listing does
        not, by a prepared query (home/selectors.py ``articles_under``).
        """
        topic_id = topic.pk if topic is not None else None
        articles = queries.PagedListing(
            count=lambda: selectors.articles_count(self, request, topic_id),
            page=lambda start, stop: selectors.articles_under(self, request, start, stop, topic_id=topic_id),
        )
        paginator = queries.CachedCountPaginator(articles, ARTICLES_PER_PAGE, name=name, request=request)
        try:
            return paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            return paginator.page(1)
        except EmptyPage:
            raise Http404("No such page of articles.") from None

    @path("")
    def index_route(self, request):
        return self.render(request, context_overrides={"articles": self.paginate(request, f"articles:{self.pk}")})

    @path("topic/<slug:slug>/", name="topic")
    def topic_route(self, request, slug):
        """One topic: its articles and the treatments that help with it."""
        topic = selectors.topic_by_slug(slug, request)
        if topic is None:
            raise Http404("No such topic.")
        return self.render(
            request,
            context_overrides={
                "topic": topic,
                "articles": self.paginate(request, f"articles:{self.pk}:topic:{topic.pk}", topic=topic),
            },
            template="blog/topic_page.html",
        )


class ArticlePage(HeadlessPreviewMixin, OneQueryRouting, SeoMixin, Page, NoChildScanOnLoad):
    author = models.CharField(max_length=100, help_text="Shown as the article's author.")
    date = models.DateField("Publication date", default=timezone.localdate)
    summary = models.TextField(help_text="One or two sentences for listings, feeds and search results.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(BaseStreamBlock())
    topics = ParentalManyToManyField(Topic, blank=True, related_name="articles")
    # The body's words, counted whenever the body is validated or saved (the reading time):
    # counting them on every request was an eighth of the uncached v2 listing. None: not
    # counted yet (a revision saved before the field existed), so counted when read.
    body_words = models.PositiveIntegerField(null=True, editable=False)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("author"), FieldPanel("date")], "About the article"),
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("date"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]
    api_fields = [
        APIField("author"),
        APIField("date"),
        APIField("summary"),
        APIField("hero_image", serializer=ImageRenditionsField()),
        APIField("body", serializer=StreamBodyField()),
        APIField("topics", serializer=TopicListField()),
        APIField("reading_minutes"),
        APIField("related_treatments", serializer=PageCardListField()),
        APIField("disclaimer", serializer=DisclaimerField()),
        APIField("share_image", serializer=ShareImageField()),
    ]
    parent_page_types = ["blog.BlogIndexPage"]
    served_hero_renditions = specs.HERO
    served_related = ("topics",)
    served_streams = ("body",)
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article"

    @property
    def related_treatments(self):
        """Live, public treatments sharing a topic with this article (the API's related treatments)."""
        return selectors.related_treatments(self)

    @property
    def reading_minutes(self) -> int:
        words = self.body_words if self.body_words is not None else text.word_count(self.body)
        return max(1, round(words / 220))

    def full_clean(self, *args, **kwargs):
        # Also what a preview goes through: the draft shows its own reading time.
        super().full_clean(*args, **kwargs)
        self.body_words = text.word_count(self.body)

    def save(self, *args, **kwargs):
        self.body_words = text.word_count(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_words"}
        return super().save(*args, **kwargs)
