"""Every rendition spec the public templates and the content API use, in one module.

Templates name a set (``{% responsive_image page.hero_image "hero" %}``,
home/templatetags/image_tags.py) and never write a spec themselves (a test reads them
all); listings prefetch exactly what their cards render (home/performance/queries.py),
and the API's fields read the same sets (home/api/fields.py).

:func:`filters` hands out one ``Filter`` per spec for the whole process: Wagtail parses
a spec's operations (with ``inspect``) once per ``Filter`` object, which was a third of
the time of a full API listing when every image made its own.
"""

from __future__ import annotations

import functools
import html

from django.apps import apps
from django.conf import settings
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from wagtail.images.models import Filter

# Server-rendered cards (includes/*_card.html) and figure blocks (blocks/figure_block.html).
CARD = ("fill-400x250|format-webp", "fill-800x500|format-webp")
FIGURE = ("width-400|format-webp", "width-800|format-webp", "width-1200|format-webp")
# The content API: hero images, figures, social sharing (also the templates' og:image).
HERO = ("fill-640x360|format-webp", "fill-1024x576|format-webp", "fill-1600x900|format-webp")
SHARE = ("fill-1200x630|format-jpeg",)
# The home page's hero (home/home_page.html).
HOME_HERO = ("fill-600x450|format-webp", "fill-900x675|format-webp", "fill-1200x900|format-webp")
# A treatment's own hero (home/treatment_page.html); an article's is HERO (blog/article_page.html).
TREATMENT_HERO = ("fill-640x300|format-webp", "fill-1024x480|format-webp", "fill-1600x750|format-webp")
# An offer's picture in the shop (shop/includes/offer_card.html, shop/offer_detail.html).
OFFER = ("fill-480x270|format-webp",)
# A therapist's photo (blocks/team_block.html).
THERAPIST = ("fill-320x320|format-webp",)

# The names templates use: {% responsive_image page.hero_image "hero" … %} (home/templatetags/image_tags.py).
SETS: dict[str, tuple[str, ...]] = {
    "card": CARD,
    "figure": FIGURE,
    "hero": HERO,
    "share": SHARE,
    "home_hero": HOME_HERO,
    "treatment_hero": TREATMENT_HERO,
    "offer": OFFER,
    "therapist": THERAPIST,
}

_FILTERS: dict[str, Filter] = {}


def named(name: str) -> tuple[str, ...]:
    """The specs of the set called ``name`` in :data:`SETS`."""
    try:
        return SETS[name]
    except KeyError:
        raise ValueError(f"No rendition set is called {name!r}; the sets are {', '.join(sorted(SETS))}") from None


def filters(specs: tuple[str, ...]) -> list[Filter]:
    """One shared ``Filter`` per spec (Filters hold no per-image state)."""
    out = []
    for spec in specs:
        found = _FILTERS.get(spec)
        if found is None:
            found = _FILTERS.setdefault(spec, Filter(spec=spec))
        out.append(found)
    return out


def full_url(url: str) -> str:
    """A rendition's absolute URL from its URL, as Wagtail's ``Rendition.full_url`` builds it."""
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", None)
    return base + url if base is not None and url.startswith("/") else url


# --- Renditions as HTML -----------------------------------------------------------------------------


def _escaped(value) -> str:
    """``conditional_escape(value)``, without its lazy-text wrapper: safe text as it is, else escaped."""
    if type(value) is int:
        return str(value)  # a width or height: nothing to escape
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@functools.lru_cache(maxsize=256)
def _escaped_name(name: str) -> str:
    return _escaped(name)  # attribute names: a few, over and over


def _name(key) -> str:
    return _escaped_name(key) if type(key) is str else _escaped(key)


def _attributes(attrs: dict) -> str:
    """Django's ``flatatt``: ``key="value"`` pairs sorted by key, then the true boolean ones."""
    pairs = sorted((key, value) for key, value in attrs.items() if value is not None and not isinstance(value, bool))
    flags = sorted(key for key, value in attrs.items() if value is True)
    return "".join([f' {_name(key)}="{_escaped(value)}"' for key, value in pairs]) + "".join(
        [f" {_name(key)}" for key in flags]
    )


@functools.cache
def _images_app():
    return apps.get_app_config("wagtailimages")


def img_html(renditions: list, attrs: dict | None = None) -> SafeString:
    """The ``<img>`` Wagtail's ``ResponsiveImage`` renders for ``renditions`` (``Rendition.img_tag``
    for one): the first is the ``src``, all of them the ``srcset`` when there are several. The same
    bytes (tests/home/test_image_tags.py compares them), with Django's ``format_html`` per attribute
    (a fifth of a listing of twenty cards) replaced by one join."""
    first = renditions[0]
    urls = [rendition.url for rendition in renditions]
    merged = {"src": urls[0], "width": first.width, "height": first.height, "alt": first.alt}
    merged.update(_images_app().default_attrs)
    if attrs:
        merged.update(attrs)
    if len(renditions) > 1:
        merged["srcset"] = ", ".join([f"{url} {r.width}w" for url, r in zip(urls, renditions, strict=True)])
    return SafeString(f"<img{_attributes(merged)}>")
