"""The demo studio's content, as ``home/demo/loader.py`` reads it: one name for every piece of text.

Plain data and text only, split by area (studio.py, treatments.py, articles*.py,
pages.py); the loader turns it into database rows and pages. Written for this
project from the facts in the domain notes (sciatica, its causes, what massage
can and cannot do, the studio's advice).

Article and page bodies are functions of a :class:`DemoContext`, because they
point at objects that only exist at load time: images, treatment pages, and
other pages linked from rich text.
"""

from .articles import ARTICLES, BLOG_INDEX
from .context import DemoContext
from .pages import DEMO_TEXT_NOTE, STANDARD_PAGES
from .people import PEOPLE_PAGES, TESTIMONIALS, THERAPISTS
from .studio import BODY_AREAS, HOME_SLUG, HOME_TITLE, IMAGE_SIZE, IMAGES, PORTRAIT_SIZE, STUDIO, TOPICS, home_fields
from .treatments import TREATMENT_INDEX, TREATMENTS

__all__ = [
    "ARTICLES",
    "BLOG_INDEX",
    "BODY_AREAS",
    "DEMO_TEXT_NOTE",
    "HOME_SLUG",
    "HOME_TITLE",
    "IMAGES",
    "IMAGE_SIZE",
    "PEOPLE_PAGES",
    "PORTRAIT_SIZE",
    "STANDARD_PAGES",
    "STUDIO",
    "TESTIMONIALS",
    "THERAPISTS",
    "TOPICS",
    "TREATMENTS",
    "TREATMENT_INDEX",
    "DemoContext",
    "home_fields",
]
