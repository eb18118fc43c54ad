"""Images by the name of a rendition set (home/performance/renditions.py): every spec is written once.

* ``{% responsive_image page.hero_image "hero" sizes="…" class="…" %}`` — Wagtail's
  ``{% srcset_image %}`` for the set's specs (the first is the ``src``);
* ``{% image_of offer.image "offer" class="…" alt="" %}`` — Wagtail's ``{% image %}`` for a
  set of one spec;
* ``{% rendition_of share_image "share" as og_image %}`` — that rendition itself.

Each spec's ``Filter`` is shared by the whole process (Wagtail's tags build and parse theirs
on every render), renditions prefetched for the set are used as they are, and the ``<img>`` is
the one Wagtail's tags render, written by ``renditions.img_html``. No image
renders nothing (and ``as`` gives None), as Wagtail's tags do.
"""

from __future__ import annotations

from django import template
from wagtail.images.shortcuts import get_rendition_or_not_found, get_renditions_or_not_found

from home.performance import renditions as specs

register = template.Library()


@register.simple_tag
def responsive_image(image, name: str, **attrs):
    if not image:
        return ""
    return specs.img_html(list(get_renditions_or_not_found(image, specs.filters(specs.named(name))).values()), attrs)


@register.simple_tag
def rendition_of(image, name: str):
    if not image:
        return None
    return get_rendition_or_not_found(image, _single(name))


@register.simple_tag
def image_of(image, name: str, **attrs):
    if not image:
        return ""
    return specs.img_html([get_rendition_or_not_found(image, _single(name))], attrs)


def _single(name: str):
    named = specs.named(name)
    if len(named) != 1:
        raise ValueError(f"The rendition set {name!r} has {len(named)} specs: use responsive_image")
    return specs.filters(named)[0]
