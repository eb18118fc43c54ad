"""The studio's own pages: home, treatments and standard pages.

The shared content models (SEO mixin, topics, body areas, studio settings) live in
home/base_models.py and are re-exported here, so ``from home.models import
StudioSettings`` keeps working; new code below the page layer imports them from
home.base_models.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework.fields import CharField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from . import queries, selectors
from .api.fields import (
    DisclaimerField,
    ImageRenditionsField,
    NameListField,
    PageCardListField,
    PageLinkField,
    ShareImageField,
    StreamBodyField,
    TopicListField,
)
from .api.preview import HeadlessPreviewMixin
from .base_models import BodyArea, SeoMixin, StudioSettings, Testimonial, Therapist, Topic
from .blocks import BaseStreamBlock
from .money import format_money
from .performance import renditions as specs
from .performance.instances import NoChildScanOnLoad
from .performance.page_routing import OneQueryRouting

__all__ = [
    "BodyArea",
    "HomePage",
    "HomePageFeaturedTreatment",
    "SeoMixin",
    "StandardPage",
    "StudioSettings",
    "Testimonial",
    "Therapist",
    "Topic",
    "TreatmentDuration",
    "TreatmentIndexPage",
    "TreatmentPage",
]


class HomePage(HeadlessPreviewMixin, OneQueryRouting, SeoMixin, Page, NoChildScanOnLoad):
    hero_heading = models.CharField(max_length=120)
    hero_text = models.TextField(blank=True)
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hero_cta_text = models.CharField("Call to action text", max_length=60, blank=True)
    hero_cta_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="Call to action page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)
    featured_treatments_heading = models.CharField(max_length=120, default="Treatments")
    latest_articles_heading = models.CharField(max_length=120, default="From our journal")
    offers_heading = models.CharField(max_length=120, default="Series, memberships and gift cards")
    testimonials_heading = models.CharField(
        max_length=120,
        default="What clients say",
        help_text="Above the testimonials ticked “Show on the home page” (Snippets › Testimonials).",
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("hero_text"),
                FieldPanel("hero_image"),
                FieldPanel("hero_cta_text"),
                PageChooserPanel("hero_cta_page"),
            ],
            "Hero",
        ),
        FieldPanel("intro"),
        FieldPanel("featured_treatments_heading"),
        InlinePanel("featured_treatments", label="Featured treatments", max_num=6),
        FieldPanel("latest_articles_heading"),
        FieldPanel("offers_heading"),
        FieldPanel("testimonials_heading"),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [index.SearchField("hero_text"), index.SearchField("intro")]
    api_fields = [
        APIField("hero_heading"),
        APIField("hero_text"),
        APIField("hero_image", serializer=ImageRenditionsField()),
        APIField("hero_cta_text"),
        APIField("hero_cta_page", serializer=PageLinkField()),
        APIField("intro"),
        APIField("featured_treatments_heading"),
        APIField("featured_treatment_pages", serializer=PageCardListField()),
        APIField("latest_articles_heading"),
        APIField("offers_heading"),
        APIField("share_image", serializer=ShareImageField()),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.TreatmentIndexPage", "blog.BlogIndexPage", "home.StandardPage"]
    # Loaded with the page when served (home/performance/page_routing.py): the hero, meta tags and JSON-LD.
    served_hero_renditions = specs.HOME_HERO
    served_joined = ("hero_cta_page",)
    max_count = 1

    @property
    def featured_treatment_pages(self) -> list[TreatmentPage]:
        """The featured treatments that are live and public, in the editor's order (the API's field)."""
        return selectors.featured_treatments(self)

    def known_children(self, request):
        """The sections (treatments, articles, about), already read for the nav: routed in one query."""
        return selectors.site_sections(request)


class HomePageFeaturedTreatment(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_treatments")
    treatment = models.ForeignKey("home.TreatmentPage", on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("treatment")]


class TreatmentIndexPage(HeadlessPreviewMixin, OneQueryRouting, SeoMixin, Page, NoChildScanOnLoad):
    intro = RichTextField(features=["bold", "italic", "link"], blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [index.SearchField("intro")]
    api_fields = [APIField("intro"), APIField("share_image", serializer=ShareImageField())]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["home.TreatmentPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Loaded when the template shows them: not when their content comes from the content cache.
        context["treatments"] = queries.Deferred(lambda: selectors.treatments_under(self, request))
        return context


class TreatmentPage(HeadlessPreviewMixin, OneQueryRouting, SeoMixin, Page, NoChildScanOnLoad):
    class Intensity(models.TextChoices):
        MILD = "mild", "Mild"
        MEDIUM = "medium", "Medium"
        STRONG = "strong", "Strong"

    INTENSITY_LABELS = dict(Intensity.choices)
    INTENSITY_NOTES = {
        "mild": "Gentle pressure throughout. You should feel only relaxation.",
        "medium": "Firm but comfortable pressure. Mild discomfort is normal; sharp pain is not — tell us.",
        "strong": "Deep pressure on tight areas. Some discomfort is normal; sharp pain is not — tell us at once.",
    }

    summary = models.TextField(help_text="One or two sentences for listings and search results.")
    hero_image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    technique = RichTextField(features=["bold", "italic", "link", "ul", "ol"], help_text="What happens in a session.")
    intensity = models.CharField(max_length=10, choices=Intensity.choices, default=Intensity.MEDIUM)
    who_it_helps = RichTextField(features=["bold", "italic", "link", "ul"], blank=True)
    contraindications = RichTextField(
        features=["bold", "italic", "link", "ul"],
        blank=True,
        help_text="When this treatment is not suitable or needs a doctor's approval first.",
    )
    body_areas = ParentalManyToManyField(BodyArea, blank=True, related_name="treatments")
    topics = ParentalManyToManyField(Topic, blank=True, related_name="treatments")

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("intensity"),
        InlinePanel("durations", label="Durations and single-session prices", min_num=1),
        FieldPanel("technique"),
        FieldPanel("who_it_helps"),
        FieldPanel("contraindications"),
        FieldPanel("body_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("technique"),
        index.SearchField("who_it_helps"),
        index.FilterField("intensity"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("hero_image", serializer=ImageRenditionsField()),
        APIField("intensity"),
        APIField("intensity_display", serializer=CharField(source="get_intensity_display", read_only=True)),
        APIField("intensity_note"),
        APIField("durations"),
        APIField("technique"),
        APIField("who_it_helps"),
        APIField("contraindications"),
        APIField("body_areas", serializer=NameListField()),
        APIField("topics", serializer=TopicListField()),
        APIField("related_articles", serializer=PageCardListField()),
        APIField("disclaimer", serializer=DisclaimerField()),
        APIField("share_image", serializer=ShareImageField()),
    ]
    parent_page_types = ["home.TreatmentIndexPage"]
    served_hero_renditions = specs.TREATMENT_HERO
    served_related = ("durations", "body_areas", "topics")
    subpage_types: list[str] = []

    @property
    def intensity_note(self) -> str:
        return self.INTENSITY_NOTES.get(self.intensity, "")

    def get_intensity_display(self) -> str:
        """The pressure's label ("Medium"), as Django's ``get_FOO_display`` gives it without building
        the choices' dict on every call (a card's dearest lookup)."""
        return self.INTENSITY_LABELS.get(self.intensity, self.intensity)

    @cached_property
    def related_articles(self):
        """Live articles sharing a topic with this treatment, newest first."""
        return selectors.related_articles(self)

    @property
    def lowest_price(self):
        """The cheapest duration: the one a listing's query read (``cheapest_duration``), else the
        least of the durations."""
        if "cheapest_duration" in vars(self):
            return self.cheapest_duration
        durations = queries.given(self, "durations")
        return min(durations, key=lambda d: d.price_minor) if durations else None


class TreatmentDuration(Orderable):
    page = ParentalKey(TreatmentPage, on_delete=models.CASCADE, related_name="durations")
    minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(10)])
    price_minor = models.PositiveIntegerField(
        "Price (cents)", help_text="Single-session price in cents, e.g. 9500 for $95.00."
    )
    currency = models.CharField(max_length=3, default="usd")

    panels = [FieldPanel("minutes"), FieldPanel("price_minor")]
    api_fields = [APIField("minutes"), APIField("price_minor"), APIField("currency"), APIField("price_display")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "minutes"], name="unique_duration_per_treatment")]

    def __str__(self) -> str:
        return f"{self.minutes} min — {self.price_display}"

    @property
    def price_display(self) -> str:
        return format_money(self.price_minor, self.currency)


class StandardPage(HeadlessPreviewMixin, OneQueryRouting, SeoMixin, Page, NoChildScanOnLoad):
    """About, terms, privacy and other plain pages."""

    intro = models.TextField(blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    promote_panels = SeoMixin.promote_panels
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    api_fields = [
        APIField("intro"),
        APIField("body", serializer=StreamBodyField()),
        APIField("share_image", serializer=ShareImageField()),
    ]
    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    served_streams = ("body",)  # its figures' renditions, loaded with the page (home/performance/page_routing.py)
