"""Every rendition spec the public templates and the content API use, in one module.

Listings prefetch exactly what their cards render (home/performance/queries.py), and
the API's fields read the same sets (home/api/fields.py). Keep in step with the
templates: a test renders them with the rendition cache off and counts queries, so a
spec missing here shows up there.

:func:`filters` hands out one ``Filter`` per spec for the whole process: Wagtail parses
a spec's operations (with ``inspect``) once per ``Filter`` object, which was a third of
the time of a full API listing when every image made its own.
"""

from __future__ import annotations

from django.conf import settings
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

_FILTERS: dict[str, Filter] = {}


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
