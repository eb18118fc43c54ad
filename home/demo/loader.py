"""Load the demo content (home/demo/content.py) idempotently.

Everything is matched on a natural key (page slug under its parent, topic slug,
body-area name, image title) and only written when it differs from the data,
so a second run creates nothing, publishes no new revisions and reports every
object as unchanged (the comparing and writing: home/demo/sync.py). New pages
are made with the shared factories and then published through a revision, as an
editor would.

The shop adds its offers from ``packages/demo.py``: when that module exists,
:func:`load` calls its ``load(stdout)`` after the site content is in place.
"""

from __future__ import annotations

import importlib
import importlib.util
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from blog.factories import ArticlePageFactory, BlogIndexPageFactory
from home.factories import (
    HomePageFactory,
    ImageFactory,
    StandardPageFactory,
    TreatmentIndexPageFactory,
    TreatmentPageFactory,
    make_site_root,
)
from home.models import (
    BodyArea,
    HomePage,
    StudioSettings,
    Testimonial,
    Therapist,
    Topic,
)

from . import art, content, legal
from .sync import Tally, sync_object, sync_page, upsert_page

# Modules that add their own demo data after the site content; each defines ``load(stdout)``.
EXTENSION_MODULES = ["packages.demo"]

WELCOME_TITLE = "Welcome to your new Wagtail site!"


def _ensure_home(tally: Tally) -> HomePage:
    """The one HomePage, created under the tree root with just enough content to exist."""
    home = HomePage.objects.first()
    if home is None:
        home = HomePageFactory(
            parent=Page.get_first_root_node(),
            title=content.HOME_TITLE,
            slug=content.HOME_SLUG,
            hero_heading="Runway Massage Studio",
        )
        home.save_revision().publish()
        tally.add("pages", "created")
    return home


def _point_site_at(home: HomePage, tally: Tally) -> Site:
    url = urlsplit(settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if (
        site is not None
        and site.root_page_id == home.pk
        and site.hostname == url.hostname
        and site.port == (url.port or (443 if url.scheme == "https" else 80))
        and site.site_name == settings.WAGTAIL_SITE_NAME
    ):
        tally.add("site", "unchanged")
        return site
    tally.add("site", "updated" if site else "created")
    return make_site_root(home)


def _delete_welcome_page(home: HomePage, tally: Tally) -> None:
    """Remove Wagtail's "Welcome to your new Wagtail site!" page once no site uses it as its root."""
    welcome_pages = Page.objects.filter(
        depth=2, title=WELCOME_TITLE, content_type=ContentType.objects.get_for_model(Page), numchild=0
    ).exclude(pk=home.pk)
    for page in welcome_pages:
        if not Site.objects.filter(root_page=page).exists():
            page.delete()
            tally.add("pages", "deleted")


# --- Everything else --------------------------------------------------------------------------------


def _load_topics(tally: Tally) -> dict[str, Topic]:
    topics = {}
    for name, slug, description in content.TOPICS:
        fields = {"name": name, "description": description}
        topic, created = Topic.objects.get_or_create(slug=slug, defaults=fields)
        sync_object(topic, fields, "topics", tally, created=created)
        topics[slug] = topic
    return topics


def _load_body_areas(tally: Tally) -> dict[str, BodyArea]:
    areas = {}
    for index, name in enumerate(content.BODY_AREAS, start=1):
        fields = {"sort_order": index}
        area, created = BodyArea.objects.get_or_create(name=name, defaults=fields)
        sync_object(area, fields, "body areas", tally, created=created)
        areas[name] = area
    return areas


def _load_images(tally: Tally) -> dict:
    Image = get_image_model()
    images = {}
    for key, spec in content.IMAGES.items():
        image = Image.objects.filter(title=spec["title"]).order_by("pk").first()
        if image is None:
            portrait = spec["scene"].startswith("portrait")
            width, height = content.PORTRAIT_SIZE if portrait else content.IMAGE_SIZE
            drawn = art.picture(spec["scene"], width=width, height=height, name=f"{key}.jpg")
            image = ImageFactory(title=spec["title"], description=spec["description"], file=drawn)
            tally.add("images", "created")
        else:
            sync_object(image, {"description": spec["description"]}, "images", tally)
        images[key] = image
    return images


def _load_people(images: dict, tally: Tally) -> dict:
    """The team and the testimonials (snippets), matched by name; returns both by name."""
    snippets = {}
    for spec in content.THERAPISTS:
        fields = {key: value for key, value in spec.items() if key not in ("name", "image")}
        fields["photo"] = images[spec["image"]]
        therapist, created = Therapist.objects.get_or_create(name=spec["name"], defaults=fields)
        sync_object(therapist, fields, "therapists", tally, created=created)
        snippets[spec["name"]] = therapist
    for spec in content.TESTIMONIALS:
        fields = {key: value for key, value in spec.items() if key != "name"}
        testimonial, created = Testimonial.objects.get_or_create(name=spec["name"], defaults=fields)
        sync_object(testimonial, fields, "testimonials", tally, created=created)
        snippets[spec["name"]] = testimonial
    return snippets


def _load_settings(site: Site, tally: Tally) -> None:
    studio = StudioSettings.for_site(site)
    sync_object(studio, content.STUDIO, "studio settings", tally)


def _load_extensions(stdout) -> list[str]:
    loaded = []
    for module_name in EXTENSION_MODULES:
        try:
            found = importlib.util.find_spec(module_name) is not None
        except ModuleNotFoundError:  # the parent package itself is missing
            found = False
        if found:
            importlib.import_module(module_name).load(stdout)
            loaded.append(module_name)
    return loaded


def load(stdout=None) -> Tally:
    """Create or update all demo content, then run the extension modules. Returns the counts."""
    tally = Tally()
    ctx = content.DemoContext()
    with transaction.atomic():
        topics = _load_topics(tally)
        areas = _load_body_areas(tally)
        ctx.images = _load_images(tally)
        ctx.snippets = _load_people(ctx.images, tally)

        home = _ensure_home(tally)
        site = _point_site_at(home, tally)
        _delete_welcome_page(home, tally)
        _load_settings(site, tally)

        index = content.TREATMENT_INDEX
        ctx.pages["treatments"] = upsert_page(
            TreatmentIndexPageFactory,
            parent=home,
            slug=index["slug"],
            fields={k: v for k, v in index.items() if k != "slug"},
            tally=tally,
        )
        for spec in content.TREATMENTS:
            ctx.pages[spec["slug"]] = upsert_page(
                TreatmentPageFactory,
                parent=ctx.pages["treatments"],
                slug=spec["slug"],
                fields={
                    "title": spec["title"],
                    "search_description": spec["summary"],
                    "summary": spec["summary"],
                    "hero_image": ctx.images[spec["image"]],
                    "intensity": spec["intensity"],
                    "technique": spec["technique"],
                    "who_it_helps": spec["who_it_helps"],
                    "contraindications": spec["contraindications"],
                    "body_areas": [areas[name] for name in spec["body_areas"]],
                    "topics": [topics[slug] for slug in spec["topics"]],
                    "durations": [
                        {"minutes": minutes, "price_minor": price, "currency": settings.SHOP_CURRENCY}
                        for minutes, price in spec["prices"]
                    ],
                },
                tally=tally,
            )

        index = content.BLOG_INDEX
        ctx.pages["articles"] = upsert_page(
            BlogIndexPageFactory,
            parent=home,
            slug=index["slug"],
            fields={k: v for k, v in index.items() if k != "slug"},
            tally=tally,
        )
        for spec in content.ARTICLES:
            ctx.pages[spec["slug"]] = upsert_page(
                ArticlePageFactory,
                parent=ctx.pages["articles"],
                slug=spec["slug"],
                fields={
                    "title": spec["title"],
                    "search_description": spec["summary"],
                    "author": spec["author"],
                    "date": spec["date"],
                    "summary": spec["summary"],
                    "hero_image": ctx.images[spec["image"]],
                    "topics": [topics[slug] for slug in spec["topics"]],
                    "body": spec["body"](ctx),
                },
                tally=tally,
            )

        for spec in [*legal.standard_pages(content.STANDARD_PAGES), *content.PEOPLE_PAGES]:
            ctx.pages[spec["slug"]] = upsert_page(
                StandardPageFactory,
                parent=home,
                slug=spec["slug"],
                fields={
                    "title": spec["title"],
                    "show_in_menus": spec["show_in_menus"],
                    "search_description": spec["intro"],
                    "intro": spec["intro"],
                    "body": spec["body"](ctx),
                },
                tally=tally,
            )

        # The home page last: its call to action and featured treatments point at pages made above.
        fields = content.home_fields(ctx)
        fields["featured_treatments"] = [{"treatment": ctx.pages[spec["slug"]]} for spec in content.TREATMENTS]
        sync_page(home, fields, tally)

    tally.extensions = _load_extensions(stdout)
    return tally
