"""Templates name a rendition set (home/performance/renditions.py); no template writes a spec.

``{% responsive_image %}``, ``{% image_of %}`` and ``{% rendition_of %}`` (home/templatetags/
image_tags.py) render what Wagtail's ``{% srcset_image %}`` and ``{% image %}`` render for the
set's specs, with the renditions prefetched for the set and one shared ``Filter`` per spec.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from home.factories import ImageFactory
from home.performance import queries
from home.performance import renditions as specs

ROOT = Path(__file__).resolve().parents[2]
# Wagtail's tags that take specs written in the template.
SPEC_TAGS = re.compile(r"{%\s*(image|srcset_image|picture|image_url)\s")


@pytest.fixture
def image(settings, tmp_path, db):
    settings.MEDIA_ROOT = str(tmp_path)
    return ImageFactory(width=1600, height=1000)


def render(source: str, **context) -> str:
    return Template("{% load image_tags wagtailimages_tags %}" + source).render(Context(context))


def test_no_template_writes_a_rendition_spec():
    templates = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    assert len(templates) > 20
    offenders = [str(path.relative_to(ROOT)) for path in templates if SPEC_TAGS.search(path.read_text())]
    assert offenders == [], "name a set of home/performance/renditions.py instead"


def test_every_set_a_template_names_exists():
    named = set()
    for path in ROOT.glob("templates/**/*.html"):
        named |= set(re.findall(r'{%\s*(?:responsive_image|image_of|rendition_of)\s+\S+\s+"(\w+)"', path.read_text()))
    assert named and named <= set(specs.SETS), named - set(specs.SETS)


def test_responsive_image_is_wagtails_srcset_image_for_the_set(image):
    ours = render('{% responsive_image img "card" sizes="50vw" class="card__image" loading="lazy" %}', img=image)
    wagtails = render(
        '{% srcset_image img fill-{400x250,800x500} format-webp sizes="50vw" class="card__image" loading="lazy" %}',
        img=image,
    )
    assert ours == wagtails
    assert "srcset=" in ours and ".webp 800w" in ours


def test_image_of_and_rendition_of_are_wagtails_image_for_a_set_of_one(image):
    assert render('{% image_of img "offer" class="c" alt="" %}', img=image) == render(
        '{% image img fill-480x270 format-webp class="c" alt="" %}', img=image
    )
    html = render('{% rendition_of img "share" as og %}{{ og.width }}x{{ og.height }} {{ og.url }}', img=image)
    assert html.startswith("1200x630 ") and ".jpg" in html


def test_prefetched_renditions_are_used_as_they_are(image):
    render('{% responsive_image img "figure" %}', img=image)  # made once
    fresh = type(image).objects.get(pk=image.pk)
    queries.attach_renditions([fresh], specs.FIGURE)
    with CaptureQueriesContext(connection) as ctx:
        html = render('{% responsive_image img "figure" alt="A stretch" %}', img=fresh)
    assert ctx.captured_queries == []
    assert html.count("w,") == 2 and 'alt="A stretch"' in html


def test_no_image_renders_nothing(db):
    assert render('{% responsive_image img "hero" %}|{% image_of img "offer" %}', img=None) == "|"
    assert render('{% rendition_of img "share" as og %}{{ og|default:"none" }}', img=None) == "none"


def test_an_unknown_set_or_a_set_of_several_for_one_image_is_a_clear_error(image):
    with pytest.raises(ValueError, match="No rendition set is called 'banner'; the sets are card, "):
        render('{% responsive_image img "banner" %}', img=image)
    with pytest.raises(ValueError, match="'card' has 2 specs: use responsive_image"):
        render('{% image_of img "card" %}', img=image)


def test_the_img_is_the_one_wagtail_renders_whatever_the_attributes(image, monkeypatch):
    from django.apps import apps
    from django.utils.functional import lazy
    from django.utils.safestring import mark_safe
    from wagtail.images.models import ResponsiveImage

    image.title = 'Tom & Jerry\'s "room" <b>'
    image.description = ""
    image.save()
    renditions = image.get_renditions(*specs.filters(specs.named("card")))
    one = image.get_rendition(specs.filters(specs.named("offer"))[0])
    lazy_text = lazy(lambda: "lazy & <text>", str)()
    cases = [
        {},
        {"sizes": "50vw", "class": "card__image", "loading": "lazy", "decoding": "async"},
        {"alt": "", "class": 'a "quoted" & <odd> class'},
        {"alt": mark_safe("<already safe>"), "data-x": lazy_text, "hidden": True, "inert": False, "title": None},
        {"srcset": "ignored.jpg 1w", "width": 10, "z-index": 3, "aria-hidden": "true"},
    ]
    for default_attrs in ({}, {"decoding": "async", "loading": "lazy"}):
        monkeypatch.setattr(apps.get_app_config("wagtailimages"), "default_attrs", default_attrs)
        for attrs in cases:
            theirs = ResponsiveImage(renditions, dict(attrs)).__html__()
            assert specs.img_html(list(renditions.values()), dict(attrs)) == theirs, attrs
            assert specs.img_html([one], dict(attrs)) == one.img_tag(dict(attrs)), attrs
