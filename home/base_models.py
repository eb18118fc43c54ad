"""Shared content models: the SEO mixin, topics, body areas and the studio settings.

The bottom of the content layers. Page models (home/models.py, blog/models.py),
the headless API's fields and the shop (the disclaimer, the studio's details in
emails) import these without loading any page model. This module imports no
other module of the project.
"""

from __future__ import annotations

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class SeoMixin(models.Model):
    """A share image on top of Wagtail's own SEO title and search description."""

    share_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when the page is shared on social media (1200×630 works best).",
    )

    promote_panels = [
        MultiFieldPanel(Page.promote_panels, "Common page configuration"),
        FieldPanel("share_image"),
    ]

    class Meta:
        abstract = True

    def get_share_image(self):
        return self.share_image or getattr(self, "hero_image", None)


@register_snippet
class Topic(index.Indexed, models.Model):
    """A condition or theme (sciatica, piriformis syndrome…) tying articles and treatments together."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="One or two sentences shown on the topic's listing.")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    api_fields = [APIField("name"), APIField("slug"), APIField("description")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@register_snippet
class BodyArea(models.Model):
    """A part of the body a treatment works on (lower back, glutes, legs…)."""

    name = models.CharField(max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [FieldPanel("name"), FieldPanel("sort_order")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = "body area"

    def __str__(self) -> str:
        return self.name


@register_setting(icon="site")
class StudioSettings(BaseSiteSetting):
    """The studio's details and the medical disclaimer shown on treatments and articles."""

    studio_name = models.CharField(max_length=100, default="Runway Massage Studio")
    tagline = models.CharField(max_length=160, blank=True)
    street_address = models.CharField(max_length=200, blank=True)
    locality = models.CharField("City", max_length=100, blank=True)
    region = models.CharField("State", max_length=50, blank=True, help_text="For the postal address, e.g. OR.")
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="Two-letter country code, e.g. US.")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    opening_hours = models.TextField(blank=True, help_text="One line per day or range, e.g. “Mon–Fri 9:00–19:00”.")
    booking_url = models.URLField(blank=True, help_text="Online booking page, if the studio has one.")
    booking_note = models.CharField(
        max_length=200, blank=True, help_text="How to book when there is no booking page, e.g. “Call or email us”."
    )
    instagram_url = models.URLField(blank=True)
    facebook_url = models.URLField(blank=True)
    medical_disclaimer = RichTextField(
        features=["bold", "italic", "link"],
        blank=True,
        help_text="Shown on every treatment and article page and at checkout.",
    )
    disclaimer_version = models.CharField(
        max_length=20,
        default="1",
        help_text="Change this whenever the disclaimer's meaning changes: orders record the version accepted.",
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("studio_name"), FieldPanel("tagline"), FieldPanel("phone"), FieldPanel("email")],
            "Studio",
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("locality"),
                FieldPanel("region"),
                FieldPanel("postal_code"),
                FieldPanel("country"),
                FieldPanel("opening_hours"),
            ],
            "Address and hours",
        ),
        MultiFieldPanel(
            [
                FieldPanel("booking_url"),
                FieldPanel("booking_note"),
                FieldPanel("instagram_url"),
                FieldPanel("facebook_url"),
            ],
            "Booking and social",
        ),
        MultiFieldPanel([FieldPanel("medical_disclaimer"), FieldPanel("disclaimer_version")], "Medical disclaimer"),
    ]

    class Meta:
        verbose_name = "studio settings"

    @property
    def opening_hours_lines(self) -> list[str]:
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]
