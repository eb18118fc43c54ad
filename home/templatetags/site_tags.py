"""Template tags for the public site: navigation, SEO metadata and JSON-LD.

The schema.org data itself (and opening hours in its format) is built in
home/structured_data.py; the cross-app reads (sections, the journal's index) come
from home/selectors.py.

Lookups that every page needs (the blog index, the nav sections) are cached on
the request, so a page pays for each at most once however often it is used, and
in the content cache (home/performance/generation.py) when it is on.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django import template
from django.utils.html import strip_tags
from django.utils.text import Truncator
from wagtail.models import Page

from home import queries, selectors, structured_data
from home.base_models import StudioSettings, Testimonial
from home.performance import fragments, page_urls, renditions
from home.structured_data import json_ld_script

register = template.Library()


def _request(context) -> Any:
    return context.get("request")


def _per_request(context, key: str, compute):
    """Compute a value once per request; without a request (e.g. rendering a string), every time."""
    request = _request(context)
    if request is None:
        return compute()
    cache = request.__dict__.setdefault("_site_tags_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _site_root(context) -> Page | None:
    return queries.site_root(_request(context))


def _sections(context) -> list[Page]:
    """The site root's live, public children that the nav and topic links need, in tree order.

    One query (plus the view-restriction check) per request, or none when the
    content cache has them (home/selectors.py); the index pages can only live
    directly under the home page.
    """
    request = _request(context)
    if request is None:
        return []
    return selectors.site_sections(request)


@register.filter
def related(instance, name: str) -> list:
    """``instance.<name>.all`` as a list, from what the listing gave it (``{% with
    topics=article|related:"topics" %}``): no relation manager made per card (queries.given)."""
    return queries.given(instance, name)


@register.filter
def related_values(instance, name: str) -> list[dict]:
    """``instance.<name>.all`` as each object's field values (``{{ topic.name }}`` reads them as it
    reads an object's): what the listing kept (a journal page's cards keep their topics' rows, no
    Topic made), else the objects given (queries.given_values)."""
    return queries.given_values(instance, name)


@register.simple_tag
def page_ancestors(page) -> list[Page]:
    """``page.get_ancestors``, from the parents routing left on the page when it did (no query)."""
    return queries.ancestors(page)


@register.simple_tag(takes_context=True)
def featured_treatments(context, home):
    """The home page's featured treatments, live and public, in the editor's order (home/selectors.py)."""
    return selectors.featured_treatments(home, _request(context))


@register.simple_tag(takes_context=True)
def featured_offers(context):
    """The shop's featured offers, the same for every visitor (kept in the content cache)."""
    return selectors.featured_offers(_request(context))


@register.simple_tag(takes_context=True)
def latest_articles(context, count: int = 3):
    """The newest live, public articles with their card renditions (home/selectors.py)."""
    return selectors.latest_articles(_request(context), count)


@register.simple_tag
def home_testimonials(count: int = 3) -> list:
    """The testimonials an editor chose to show on the home page."""
    return _testimonials_on_home(count)()


@functools.lru_cache(maxsize=8)
def _testimonials_on_home(count: int) -> queries.PreparedQuery:
    # Built and compiled once per connection (home/performance/prepared.py).
    return queries.PreparedQuery(lambda: Testimonial.objects.filter(show_on_home=True)[:count])


@register.simple_tag
def treatment_offers(treatment) -> list:
    """The shop's active series and memberships for ``treatment`` (home/selectors.py)."""
    return selectors.offers_for_treatment(treatment)


@register.simple_tag(takes_context=True)
def related_articles(context, treatment) -> list:
    """Live, public articles sharing a topic with ``treatment``, newest first."""
    return list(selectors.related_articles(treatment, _request(context)))


@register.simple_tag(takes_context=True)
def related_treatments(context, article) -> list:
    """Live, public treatments sharing a topic with ``article``, by title."""
    return list(selectors.related_treatments(article, _request(context)))


@register.simple_tag
def journal_topics() -> list:
    """The topics live articles are tagged with, for the journal index's topic links."""
    return list(selectors.topics_with_articles())


@register.simple_tag(takes_context=True)
def topic_treatments(context, topic) -> list:
    """Live, public treatments tagged with ``topic``, by title, with their card renditions."""
    return list(selectors.topic_treatments(topic, _request(context)))


@register.simple_tag(takes_context=True)
def blog_index(context):
    """The site's live BlogIndexPage (for topic links and "all articles"), or None."""
    return _per_request(context, "blog_index", lambda: selectors.blog_index(_request(context)))


# The page's main content, cached under the content generation (home/performance/fragments.py).
register.tag("contentcache", fragments.contentcache)


@register.simple_tag(takes_context=True)
def nav_links(context) -> list[dict[str, Any]]:
    """The main navigation: Treatments, Articles and About, whichever exist.

    Each item is {"title", "url", "page", "current"}; "current" marks the
    section the visitor is in, for aria-current. About is the standard page
    with the slug "about", else the first standard page shown in menus.
    """
    request = _request(context)
    sections = _sections(context)
    standard = selectors.sections_of_type(sections, selectors.STANDARD)
    about = next((p for p in standard if p.slug == "about"), None)
    about = about or next((p for p in standard if p.show_in_menus), None)
    candidates = [
        ("Treatments", selectors.first_section(sections, selectors.TREATMENT_INDEX)),
        ("Articles", selectors.first_section(sections, selectors.BLOG_INDEX)),
        ("About", about),
    ]
    path = getattr(request, "path", "")
    links = []
    for label, page in candidates:
        url = page.get_url(request=request) if page is not None else None
        if url:
            links.append({"title": label, "url": url, "page": page, "current": bool(path) and path.startswith(url)})
    shop_url = page_urls.reverse_memo("shop:catalog")
    links.insert(
        min(2, len(links)), {"title": "Shop", "url": shop_url, "page": None, "current": path.startswith(shop_url)}
    )
    return links


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """An absolute URL for a path (renditions, routed pages); absolute URLs pass through."""
    if not url:
        return ""
    request = _request(context)
    if request is not None:
        return request.build_absolute_uri(url)
    return url


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """The canonical address of what is being shown.

    A page's own full URL, plus the sub-route for routable pages (topic
    listings) and the page number past the first page of a listing.
    """
    request = _request(context)
    page = context.get("page")
    url = ""
    if isinstance(page, Page):
        url = page.get_full_url(request=request) or ""
        page_path = page.get_url(request=request) or ""
        if url and request is not None and page_path and request.path.startswith(page_path.rstrip("/") + "/"):
            url = url.rstrip("/") + "/" + request.path[len(page_path.rstrip("/")) + 1 :]
    if not url and request is not None:
        url = request.build_absolute_uri(request.path)
    number = request.GET.get("page", "") if request is not None else ""
    if url and number.isdigit() and int(number) > 1:
        url += f"?page={int(number)}"
    return url


def _plain(value: Any) -> str:
    return " ".join(strip_tags(str(value or "")).split())


@register.simple_tag
def meta_description(page, length: int = 160) -> str:
    """search_description, else the page's summary, intro or hero text, as plain text."""
    if page is None or page == "":
        return ""
    for field in ("search_description", "summary", "intro", "hero_text"):
        text = _plain(getattr(page, field, ""))
        if text:
            return Truncator(text).chars(length)
    return ""


@register.filter
def tel_href(phone: str) -> str:
    """A phone number as written by editors ("+1 (555) 010-2030") to a tel: URI."""
    phone = str(phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    return f"tel:+{digits}" if phone.startswith("+") else f"tel:{digits}"


@register.filter
def json_ld(data: dict[str, Any]) -> str:
    """Render a dict as a JSON-LD <script>, escaped like Django's json_script."""
    return json_ld_script(data)


def _studio(context):
    studio = context.get("settings")
    try:
        return studio["home"]["StudioSettings"]
    except (KeyError, TypeError):
        return StudioSettings.for_request(_request(context))


def _home_url(context) -> str:
    root = _site_root(context)
    request = _request(context)
    if root is not None:
        return root.get_full_url(request=request) or ""
    return request.build_absolute_uri("/") if request is not None else ""


def _image_url(context, image) -> str:
    """The absolute URL of ``image``'s share rendition (the size the meta tags give too)."""
    if not image:
        return ""
    # A shared Filter: Wagtail parses a spec string's operations on every call.
    return absolute_url(context, image.get_rendition(renditions.filters(renditions.SHARE)[0]).url)


@register.simple_tag(takes_context=True)
def studio_json_ld(context, page=None) -> str:
    """The studio as a schema.org HealthAndBeautyBusiness (a LocalBusiness)."""
    studio = _studio(context)
    url = _home_url(context)
    image = page.get_share_image() if page is not None and hasattr(page, "get_share_image") else None
    return json_ld_script(structured_data.studio_data(studio, url=url, image_url=_image_url(context, image)))


@register.simple_tag(takes_context=True)
def article_json_ld(context, page) -> str:
    """An ArticlePage as a schema.org Article, published by the studio."""
    studio = _studio(context)
    url = page.get_full_url(request=_request(context)) or ""
    data = structured_data.article_data(
        page,
        url=url,
        description=meta_description(page, 300),
        publisher_name=studio.studio_name,
        publisher_url=_home_url(context),
        image_url=_image_url(context, page.get_share_image()),
    )
    return json_ld_script(data)


@register.simple_tag(takes_context=True)
def breadcrumbs_json_ld(context, page, ancestors=None, topic=None) -> str:
    """The page's place in the tree (as the breadcrumbs show it) as a schema.org BreadcrumbList.

    ``ancestors``: the page's ancestors when the template has them already (no second
    query). With ``topic``, the page is the journal's index and the topic's listing is
    the last item.
    """
    request = _request(context)
    items = [
        ("Home" if ancestor.depth == 2 else ancestor.title, ancestor.get_full_url(request=request) or "")
        for ancestor in (queries.ancestors(page) if ancestors is None else ancestors)
        if not ancestor.is_root()
    ]
    items.append((page.title, page.get_full_url(request=request) or ""))
    if topic is not None:
        items.append((topic.name, canonical_url(context)))
    return json_ld_script(structured_data.breadcrumb_data([(name, url) for name, url in items if url]))


@register.simple_tag(takes_context=True)
def faq_json_ld(context, page) -> str:
    """A schema.org FAQPage for the FAQ blocks in the page's body ("" when it has none)."""
    pairs = [
        (block.value["question"], _plain(block.value["answer"].source))
        for block in getattr(page, "body", None) or []
        if block.block_type == "faq"
    ]
    return json_ld_script(structured_data.faq_data(pairs)) if pairs else ""


@register.simple_tag(takes_context=True)
def treatment_json_ld(context, page, durations, offers=()) -> str:
    """A TreatmentPage as a schema.org Service with its prices (durations, series and plans) as offers."""
    studio = _studio(context)
    for offer in offers:
        offer.url = absolute_url(context, offer.get_absolute_url())
    data = structured_data.service_data(
        page,
        durations=list(durations),
        url=page.get_full_url(request=_request(context)) or "",
        description=meta_description(page, 300),
        provider={"@type": "HealthAndBeautyBusiness", "name": studio.studio_name, "url": _home_url(context)},
        offers=list(offers),
        image_url=_image_url(context, page.get_share_image()),
    )
    return json_ld_script(data)


@register.simple_tag(takes_context=True)
def section_link(context, slug: str) -> dict[str, str]:
    """{"title", "url"} of the live, public page with ``slug`` directly under the home page, or {}.

    Read from the sections the navigation already loaded for the request (no extra query).
    """
    request = _request(context)
    if request is None:
        return {}
    page = next((p for p in selectors.site_sections(request) if p.slug == slug), None)
    url = page.get_url(request=request) if page is not None else None
    return {"title": page.title, "url": url} if url else {}
