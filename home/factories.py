"""Factories for the studio's pages, snippets and images, shared by the tests and the demo seed.

Defaults are small and predictable: pages get sequence titles ("Treatment 3") and
slugs derived from them, no hero image, and just enough content to pass
validation. Pass ``parent=`` for every page except the home page (which defaults
to the tree root). StreamField bodies are plain lists of ``(block_type, value)``
pairs; the helpers below (``heading``, ``paragraph``, ``callout``…) build those
pairs so callers don't have to remember each block's keys::

    ArticlePageFactory(
        parent=blog_index,
        title="Sitting and sciatica",
        body=[heading("Why sitting hurts"), paragraph("<p>…</p>"), doctor_callout()],
    )
"""

from __future__ import annotations

import copy
import random
from io import BytesIO
from urllib.parse import urlsplit

import factory
import wagtail_factories
from django.conf import settings
from django.core.files.images import ImageFile
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw, ImageFilter, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from .models import (
    BodyArea,
    HomePage,
    StandardPage,
    Testimonial,
    Therapist,
    Topic,
    TreatmentDuration,
    TreatmentIndexPage,
    TreatmentPage,
)

# --- Images ------------------------------------------------------------------------


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def make_image_file(
    *,
    name: str = "image.jpg",
    width: int = 320,
    height: int = 180,
    colors: tuple[str, str] = ("#efe9df", "#a9c2b4"),
    label: str = "",
    seed: int | str = 0,
) -> ImageFile:
    """A real JPEG (or PNG, by ``name``'s extension): a diagonal gradient with soft round shapes.

    The same arguments always give the same picture, so demo images are reproducible.
    """
    rng = random.Random(str(seed))  # noqa: S311 - decoration, not security
    # Drawn at a quarter of the size and scaled up: fast, and the upscale softens the shapes.
    small_w, small_h = max(8, width // 4), max(8, height // 4)
    vertical = PILImage.linear_gradient("L")
    diagonal = ImageChops.add(vertical, vertical.rotate(90), scale=2).resize((small_w, small_h))
    start = PILImage.new("RGB", (small_w, small_h), _rgb(colors[0]))
    end = PILImage.new("RGB", (small_w, small_h), _rgb(colors[1]))
    canvas = PILImage.composite(end, start, diagonal).convert("RGBA")

    overlay = PILImage.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for _ in range(5):
        radius = rng.randint(small_h // 6, small_h // 2)
        x, y = rng.randint(0, small_w), rng.randint(0, small_h)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, rng.randint(28, 60)))
    overlay = overlay.filter(ImageFilter.GaussianBlur(0.8))
    canvas = PILImage.alpha_composite(canvas, overlay).resize((width, height), PILImage.Resampling.BICUBIC)

    if label:
        # Dark text on a pale pill stays legible on any of the gradients.
        text_layer = PILImage.new("RGBA", canvas.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(text_layer)
        font = ImageFont.load_default(size=max(12, height // 14))
        margin = max(8, width // 24)
        left, top, right, bottom = draw.textbbox((margin * 2, height - margin * 2), label, font=font, anchor="ls")
        pad = max(4, (bottom - top) // 2)
        draw.rounded_rectangle(
            (left - pad, top - pad, right + pad, bottom + pad), radius=pad * 2, fill=(255, 255, 255, 170)
        )
        text_colour = tuple(channel // 3 for channel in _rgb(colors[1]))
        draw.text((margin * 2, height - margin * 2), label, font=font, fill=(*text_colour, 235), anchor="ls")
        canvas = PILImage.alpha_composite(canvas, text_layer)

    buffer = BytesIO()
    if name.lower().endswith(".png"):
        canvas.save(buffer, format="PNG")
    else:
        canvas.convert("RGB").save(buffer, format="JPEG", quality=82, optimize=True)
    buffer.seek(0)
    return ImageFile(buffer, name=name)


class ImageFactory(wagtail_factories.ImageFactory):
    """A Wagtail image in the root collection, with a real Pillow-made file (320×180 by default)."""

    class Meta:
        model = get_image_model()

    class Params:
        width = 320
        height = 180
        colors = ("#efe9df", "#a9c2b4")
        label = ""

    title = factory.Sequence(lambda n: f"Image {n}")
    description = factory.LazyAttribute(lambda o: f"Abstract soft gradient: {o.title}")
    collection = factory.LazyFunction(Collection.get_first_root_node)
    file = factory.LazyAttribute(
        lambda o: make_image_file(
            name=f"{slugify(o.title) or 'image'}.jpg",
            width=o.width,
            height=o.height,
            colors=o.colors,
            label=o.label,
            seed=o.title,
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        image = model_class(*args, **kwargs)
        # What Wagtail's upload form does: record size and hash (duplicate detection uses the hash).
        image._set_image_file_metadata()
        image.save()
        return image


# --- Snippets ------------------------------------------------------------------------


class TopicFactory(factory.django.DjangoModelFactory):
    """Get-or-create by slug, so ``TopicFactory(name="Sciatica")`` twice gives one topic."""

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    description = ""


class BodyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyArea
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Body area {n}")
    sort_order = 0


class TherapistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Therapist

    name = factory.Sequence(lambda n: f"Therapist {n}")
    role = "Licensed massage therapist"
    bio = "Works on lower backs, hips and legs, and checks the pressure as she goes."
    specialities = "Deep tissue work\nTrigger-point release"


class TestimonialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Testimonial

    quote = "My back has not locked up since my third session."
    name = factory.Sequence(lambda n: f"Client {n}.")
    detail = "Therapeutic massage, 5-session series"


# --- StreamField values ------------------------------------------------------------------
# Each helper returns one ``(block_type, value)`` pair for a BaseStreamBlock body.

Block = tuple[str, object]


def heading(text: str, level: str = "h2") -> Block:
    return ("heading", {"text": text, "level": level})


def paragraph(html: str) -> Block:
    return ("paragraph", html)


def bullet_list(items: list[str], style: str = "ul") -> Block:
    return ("list", {"style": style, "items": list(items)})


def figure(image, caption: str = "", alt_text: str | None = None) -> Block:
    # ImageBlock stores alt text on the image object itself, so each figure gets its own copy.
    return (
        "figure",
        {
            "image": {
                "image": copy.copy(image),
                "alt_text": alt_text if alt_text is not None else image.default_alt_text,
                "decorative": False,
            },
            "caption": caption,
        },
    )


def quote(text: str, attribution: str = "") -> Block:
    return ("quote", {"text": text, "attribution": attribution})


def callout(title: str, html: str, kind: str = "tip") -> Block:
    return ("callout", {"kind": kind, "title": title, "text": html})


def doctor_callout(
    title: str = "See your doctor first",
    html: str = "<p>A doctor should confirm that massage is safe for the cause of your pain before you book.</p>",
) -> Block:
    return callout(title, html, kind="doctor")


def faq(question: str, answer_html: str) -> Block:
    return ("faq", {"question": question, "answer": answer_html})


def recommended_treatment(treatment: TreatmentPage, text: str = "") -> Block:
    return ("recommended_treatment", {"treatment": treatment, "text": text})


def team(heading_text: str = "Our therapists", therapists=()) -> Block:
    """The team block: the given therapists, or (none given) every active one."""
    return ("team", {"heading": heading_text, "therapists": list(therapists)})


def testimonials(heading_text: str, items) -> Block:
    return ("testimonials", {"heading": heading_text, "testimonials": list(items)})


def default_body() -> list[Block]:
    return [
        heading("What to expect"),
        paragraph("<p>A short consultation first, then a session planned around what you tell us.</p>"),
    ]


# --- Pages ---------------------------------------------------------------------------------


class HomePageFactory(wagtail_factories.PageFactory):
    """A home page under the tree root (not yet any site's root: see ``make_site_root``)."""

    class Meta:
        model = HomePage

    parent = factory.LazyFunction(Page.get_first_root_node)
    title = "Home"
    # Wagtail's own welcome page already uses "home" under the root.
    slug = factory.Sequence(lambda n: f"home-{n}")
    hero_heading = "Relief for a tired back"
    hero_text = "Massage planned around your symptoms, after a short consultation."
    intro = "<p>A small studio for back pain, sciatica and everyday tension.</p>"


class TreatmentIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = TreatmentIndexPage

    title = "Treatments"
    intro = "<p>Three kinds of massage, each with its own pressure and focus.</p>"


class TreatmentPageFactory(wagtail_factories.PageFactory):
    """A treatment with one 60-minute, $95 duration unless ``prices=[(minutes, cents), …]`` says otherwise."""

    class Meta:
        model = TreatmentPage

    class Params:
        prices = ((60, 9500),)

    title = factory.Sequence(lambda n: f"Treatment {n}")
    summary = "Focused work on tight muscles of the lower back and hips."
    technique = "<p>Slow strokes that warm the muscles, then steady pressure on tight spots.</p>"
    intensity = TreatmentPage.Intensity.MEDIUM
    who_it_helps = "<p>People with muscle tension in the lower back.</p>"
    contraindications = "<p>Ask your doctor first if your pain has not been diagnosed.</p>"
    durations = factory.LazyAttribute(
        lambda o: [
            TreatmentDuration(minutes=minutes, price_minor=price, sort_order=index)
            for index, (minutes, price) in enumerate(o.prices)
        ]
    )


class TreatmentDurationFactory(factory.django.DjangoModelFactory):
    """An extra duration; the default 90 minutes does not clash with TreatmentPageFactory's 60."""

    class Meta:
        model = TreatmentDuration

    page = factory.SubFactory(TreatmentPageFactory, prices=())
    minutes = 90
    price_minor = 13500
    currency = "usd"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Sequence(lambda n: f"Page {n}")
    intro = ""
    body = factory.LazyFunction(default_body)


def make_site_root(page: Page, *, site_name: str | None = None) -> Site:
    """Make ``page`` the default site's root, with host and port taken from settings.SITE_URL."""
    url = urlsplit(settings.SITE_URL)
    hostname = url.hostname or "localhost"
    port = url.port or (443 if url.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
    site.hostname = hostname
    site.port = port
    site.root_page = page
    site.site_name = site_name or settings.WAGTAIL_SITE_NAME
    site.save()
    return site
