"""The sitemap, cached under the content generation like pages (``CONTENT_CACHE_SECONDS``).

Wagtail's sitemap walks every live page: the view restrictions, then the pages, then
each page type's table (one query per type), then asks each page for its sitemap entry.
Its URL and dates come from the fields every page has, and no page type of ours makes
its URL or entry its own way, so :class:`PagesSitemap` reads the pages from the page
table alone, with the restrictions the request already has: 10 queries to 3 on the
benchmark's content, and half the time. Each entry is then made from the page's row alone (its
path and dates, no page instance): its location is the URL Wagtail's ``Page`` gives that path,
the serve pattern reversed once per path (page_urls.py). Should a page type come to make its own URL or
entry, the pages are read as their own types again, as Wagtail does.

Uncached, the XML is written by :func:`urlset_xml` rather than Django's ``sitemap.xml``
template (the same bytes, tested against it): rendering the template, a loop of tags and
filters per page, was half of the sitemap's time. A project template that overrides
``sitemap.xml`` is rendered as usual.

It changes only when a page does, and every such change starts a new content
generation. So the rendered sitemap is kept under the generation, host and full path
(``?p=`` pages included), for visitors and crawlers alike: with the whole-page cache on it
is also served from there, this covers the modes where it is off.
"""

from __future__ import annotations

import functools
import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import escape
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.models import Page, get_page_models

from . import generation, page_urls, queries
from .page_urls import MemoizedPageUrls

_NOT_STORED = {"set-cookie", "date"}


# What a page's sitemap entry is made by (wagtail.contrib.sitemaps calls get_sitemap_urls).
_ENTRY_METHODS = ("get_sitemap_urls", "get_full_url", "get_url", "get_url_parts", "full_url", "url", "relative_url")


@functools.cache
def _types_make_their_own_entries() -> bool:
    """Whether any page type makes its URL or sitemap entry otherwise than Wagtail's ``Page`` does
    (``page_urls.MemoizedPageUrls`` gives the same URLs, with a memo)."""
    return any(
        getattr(model, name) not in (getattr(Page, name), getattr(MemoizedPageUrls, name, None))
        for model in get_page_models()
        for name in _ENTRY_METHODS
    )


class PagesSitemap(Sitemap):
    """Wagtail's sitemap: every live, public page of the request's site, in tree order."""

    def items(self):
        pages = self.get_wagtail_site().root_page.get_descendants(inclusive=True).live()
        pages = queries.public(pages, self.request).order_by("path")
        return pages.defer_streamfields().specific() if _types_make_their_own_entries() else pages

    def get_urls(self, page=1, site=None, protocol=None):
        if _types_make_their_own_entries():
            return super().get_urls(page, site, protocol)
        # Page.get_sitemap_urls for each page, from its row alone: its location is Wagtail's URL for
        # its path (page_urls), its lastmod Wagtail's; making a page instance per row was half the time.
        rows = self.paginator.page(page).object_list.values_list(
            "url_path", "last_published_at", "latest_revision_created_at"
        )
        urls = []
        for url_path, published, revised in rows.iterator():
            location = page_urls.path_full_url(url_path, self.request)
            if location is page_urls.ASK_WAGTAIL:  # several sites, internationalisation: Wagtail's way
                return super().get_urls(page, site, protocol)
            urls.append({"location": location, "lastmod": published or revised})
        last_mods = {url["lastmod"] for url in urls}
        if last_mods and None not in last_mods:  # as Wagtail's sitemap sets it (the Last-Modified header)
            self.latest_lastmod = max(last_mods)
        return urls


SITEMAP_TEMPLATE = "sitemap.xml"
_DJANGOS_TEMPLATE = "django/contrib/sitemaps/templates/sitemap.xml"
_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
)
_TAIL = "\n</urlset>\n"


@functools.cache
def _template_is_djangos() -> bool:
    """Whether ``sitemap.xml`` is Django's own template (a project may override it)."""
    try:
        origin = get_template(SITEMAP_TEMPLATE).origin.name
    except TemplateDoesNotExist:
        return False
    return str(origin).replace("\\", "/").endswith(_DJANGOS_TEMPLATE)


def _day(value) -> str:
    """``{{ value|date:"Y-m-d" }}``: a date and time in the current time zone first, as templates do."""
    value = timezone.template_localtime(value)
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def urlset_xml(urls: list[dict]) -> str:
    """What Django's ``sitemap.xml`` renders for ``urls`` (its ``{% spaceless %}`` included)."""
    parts = [_HEAD]
    for url in urls:
        parts += ("<url><loc>", escape(url["location"]), "</loc>")
        if url.get("lastmod"):
            parts += ("<lastmod>", _day(url["lastmod"]), "</lastmod>")
        if url.get("changefreq"):
            parts += ("<changefreq>", escape(url["changefreq"]), "</changefreq>")
        if url.get("priority"):
            parts += ("<priority>", escape(url["priority"]), "</priority>")
        for alternate in url.get("alternates") or ():
            parts += (
                '<xhtml:link rel="alternate" hreflang="',
                escape(alternate["lang_code"]),
                '" href="',
                escape(alternate["location"]),
                '"/>',
            )
        parts.append("</url>")
    parts.append(_TAIL)
    return "".join(parts)


def _render(response):
    """Django's sitemap response, its XML written by :func:`urlset_xml` when the template is Django's."""
    if isinstance(response, TemplateResponse) and response.template_name == SITEMAP_TEMPLATE and _template_is_djangos():
        response.content = urlset_xml(response.context_data["urlset"])
    return response


def sitemap(request, *args, **kwargs):
    kwargs.setdefault("sitemaps", {"wagtail": PagesSitemap})
    seconds = generation.content_timeout()
    if seconds <= 0 or request.method not in ("GET", "HEAD"):
        return _render(wagtail_sitemap(request, *args, **kwargs))
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    key = f"content-cache:{generation.generation(request)}:sitemap:{hashlib.sha256(url.encode()).hexdigest()}"
    stored = cache.get(key)
    if stored is None:
        response = _render(wagtail_sitemap(request, *args, **kwargs))
        if hasattr(response, "render"):
            response.render()
        if response.status_code != 200:
            return response
        headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
        stored = (headers, response.content)
        cache.set(key, stored, seconds)
    headers, content = stored
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response
