"""Shared content models: the SEO mixin, topics, body areas and the studio settings.

The bottom of the content layers. Page models (home/models.py, blog/models.py),
the headless API's fields and the shop (the disclaimer, the studio's details in
emails) import these without loading any page model. This module imports no
other module of the project.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlencode

import orjson
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from .blocks import OpeningHoursBlock, opening_hours_line, opening_hours_specification


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


@register_snippet
class Therapist(index.Indexed, models.Model):
    """A member of the team, shown on the team page (a "team" block) with photo, bio and specialities."""

    name = models.CharField(max_length=100)
    role = models.CharField(max_length=120, blank=True, help_text="E.g. “Licensed massage therapist”.")
    photo = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    bio = models.TextField(help_text="Two or three sentences in the first or third person.")
    specialities = models.TextField(blank=True, help_text="One per line, e.g. “Trigger-point release”.")
    sort_order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    active = models.BooleanField(default=True, help_text="Untick when someone leaves: they disappear from the site.")

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("specialities"),
        FieldPanel("sort_order"),
        FieldPanel("active"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def speciality_list(self) -> list[str]:
        return [line.strip() for line in self.specialities.splitlines() if line.strip()]


@register_snippet
class Testimonial(models.Model):
    """A client's words about the studio, shown by a "testimonials" block and on the home page."""

    quote = models.TextField(help_text="The client's words, with their permission.")
    name = models.CharField(max_length=80, help_text="As the client agreed to be named, e.g. “Dana K.”.")
    detail = models.CharField(
        max_length=120, blank=True, help_text="What they came for, e.g. “Therapeutic massage, 5-session series”."
    )
    show_on_home = models.BooleanField(default=False, help_text="Show on the home page (the first three).")
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("quote"),
        FieldPanel("name"),
        FieldPanel("detail"),
        FieldPanel("show_on_home"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.quote[:40]}"


@functools.lru_cache(maxsize=32)
def _hours_lines(stored: bytes) -> tuple[str, ...]:
    """The lines of the hours stored as ``stored`` (their JSON): what converting the rows gives."""
    rows = StudioSettings._meta.get_field("hours").to_python(orjson.loads(stored))
    return tuple(opening_hours_line(block.value) for block in rows)


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
    opening_hours = models.TextField(
        blank=True,
        help_text="Free text, used only while the structured hours below are empty: one line per day or range, "
        "e.g. “Mon–Fri 9:00–19:00”.",
    )
    hours = StreamField(
        [("hours", OpeningHoursBlock())],
        blank=True,
        verbose_name="Opening hours",
        help_text="One row per group of days with the same hours (shown in the footer and given to search engines).",
    )
    map_url = models.URLField(
        "Map link",
        blank=True,
        help_text="A map of the studio, e.g. a link from OpenStreetMap. Empty: a map search for the address.",
    )
    booking_url = models.URLField(
        blank=True,
        help_text="The studio's online booking tool: every “Book” button opens it, and customers are sent there "
        "after a purchase. Empty: the buttons call or email the studio instead.",
    )
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
                FieldPanel("map_url"),
                FieldPanel("hours"),
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
        """The hours as lines ("Mon–Fri 9:00–19:00"): the structured rows, else the free text.

        Every page's footer shows them: worked out once per stored value (the rows converted from
        their JSON took about 0.1 ms a page)."""
        if self.hours:
            try:
                stored = orjson.dumps(list(self.hours.raw_data), option=orjson.OPT_SORT_KEYS)
            except TypeError:  # not as stored (set in Python with values JSON has no form for)
                return [opening_hours_line(block.value) for block in self.hours]
            return list(_hours_lines(stored))
        return [line.strip() for line in self.opening_hours.splitlines() if line.strip()]

    @property
    def opening_hours_specification(self) -> list[dict]:
        """schema.org OpeningHoursSpecification objects for the structured rows (none for free text)."""
        return [spec for block in self.hours for spec in opening_hours_specification(block.value)]

    @property
    def address_line(self) -> str:
        region = " ".join(part for part in (self.region, self.postal_code) if part)
        return ", ".join(part for part in (self.street_address, self.locality, region) if part)

    @property
    def map_link(self) -> str:
        """The editor's map link, else an OpenStreetMap search for the address ("" without an address)."""
        if self.map_url:
            return self.map_url
        if not (self.street_address and self.locality):
            return ""
        query = ", ".join(part for part in (self.address_line, self.country) if part)
        return f"https://www.openstreetmap.org/search?{urlencode({'query': query})}"

    @property
    def booking(self) -> dict[str, str]:
        """Where "Book" goes: the booking tool, else a call, else an email ({} when the studio has none).

        ``how`` is "online", "phone" or "email"; ``detail`` says it in words for the link's
        accessible name and for emails ("call (503) 555-0142").
        """
        if self.booking_url:
            return {"url": self.booking_url, "how": "online", "detail": "book online"}
        if self.phone:
            digits = re.sub(r"\D", "", self.phone)
            url = f"tel:+{digits}" if self.phone.strip().startswith("+") else f"tel:{digits}"
            return {"url": url, "how": "phone", "detail": f"call {self.phone}"}
        if self.email:
            return {"url": f"mailto:{self.email}", "how": "email", "detail": f"email {self.email}"}
        return {}
