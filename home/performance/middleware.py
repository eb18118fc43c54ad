"""Whole-page caching for anonymous visitors (on when ``PAGE_CACHE_SECONDS`` > 0).

Placed right after WhiteNoise, so a hit skips sessions, CSRF, auth and the page
view entirely. Entries are keyed by the content generation (home.content_cache),
so publishing, unpublishing, view restrictions, settings, images and offer
changes invalidate everything at once.

A response is served from or stored in the cache only when all of these hold:

* GET or HEAD, no ``Authorization`` header, and no session or messages cookie
  on the request (a signed-in visitor always has a session cookie);
* the path is public content: not the admin, the shop (offers, checkout,
  orders, the stand-in), the shop API other than the offers catalog, the
  Stripe webhook, documents, the health check or media;
* the response is a 200 that sets no cookie, did not use a CSRF token, carries
  no messages, is not streaming, and is not marked private/no-store/no-cache.

Hits carry ``X-Page-Cache: hit``; stored misses ``X-Page-Cache: miss``.

Text bodies of 1 KB or more (HTML, JSON, XML) are stored gzip-compressed, once,
when the page is stored: a client that accepts gzip (every browser, ``fetch``,
``requests``) gets those bytes as they are, with ``Content-Encoding: gzip``; any
other client gets them inflated. The v2 listing with every field is 880 KB of
JSON and about a tenth of that compressed. Only what this cache stores is
compressed: those answers are anonymous and hold no CSRF token or other secret,
so compression cannot leak one (BREACH); a signed-in visitor's pages are not.
"""

from __future__ import annotations

import gzip
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.core.checks import Warning, register
from django.utils.cache import get_conditional_response, patch_vary_headers
from wagtail.views import serve as wagtail_serve

from . import generation as content_cache
from . import known, prefetch, queries, responses, routing
from . import wagtail_internals as internals

# Never cached, whatever the response says (prefix match on the path).
EXCLUDED_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/shop/",
    "/api/shop/",
    "/stripe/",
    "/documents/",
    "/healthz",
    "/media/",
    "/static/",
    "/account",
    "/accounts/",
)
# …except these public, read-only listings under an excluded prefix.
ALLOWED_PATHS = ("/api/shop/offers",)

HEADER = "X-Page-Cache"
# Headers that belong to one response only (the length is the sent body's: compressed or not).
_NOT_STORED = {"set-cookie", "date", "content-length", HEADER.lower()}

# Stored compressed: text bodies at least this long (smaller ones gain too little).
COMPRESS_MIN_BYTES = 1024
_COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml", "image/svg+xml")
_GZIP_TOKEN = re.compile(r"(?:^|,)\s*(gzip|\*)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*(?=,|$)", re.I)


def page_cache_timeout() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def path_is_cacheable(path: str) -> bool:
    if path in ALLOWED_PATHS:
        return True
    return not path.startswith(EXCLUDED_PREFIXES)


def request_is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return False
    return path_is_cacheable(request.path)


def response_is_cacheable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and len(messages))


def cache_key(request, generation: str) -> str:
    # GET and HEAD share an entry: Django strips the body of HEAD responses itself. One entry
    # serves every Accept-Encoding (stored compressed, inflated for a client that asks no gzip).
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page-cache:v2:{generation}:{digest}"


def accepts_gzip(request) -> bool:
    """Whether ``Accept-Encoding`` allows gzip: named (or ``*``) without ``q=0``."""
    for _name, quality in _GZIP_TOKEN.findall(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        try:
            if float(quality or 1) > 0:
                return True
        except ValueError:
            continue
    return False


def compressed_body(response) -> bytes | None:
    """The response's body gzip-compressed, when it is text, long enough, and shrinks; else None."""
    content_type = response.get("Content-Type", "").lower()
    if response.has_header("Content-Encoding") or not content_type.startswith(_COMPRESSIBLE_TYPES):
        return None
    body = response.content
    if len(body) < COMPRESS_MIN_BYTES:
        return None
    compressed = gzip.compress(body, compresslevel=6, mtime=0)
    return compressed if len(compressed) < len(body) else None


def _set_body(response, body: bytes, compressed: bool) -> None:
    response.content = body
    response["Content-Length"] = str(len(body))
    if compressed:
        response["Content-Encoding"] = "gzip"
        etag = response.get("ETag", "")
        if etag and not etag.startswith("W/"):  # another representation: a weak validator (RFC 9110 8.8.1)
            response["ETag"] = f"W/{etag}"


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = page_cache_timeout()
        if seconds <= 0 or not request_is_cacheable(request):
            return self._render(request)
        key = cache_key(request, content_cache.generation(request))
        stored = cache.get(key)
        if stored is not None:
            status, headers, body, compressed = stored
            response = responses.rebuilt(status, headers)
            if compressed and not accepts_gzip(request):
                body, compressed = gzip.decompress(body), False
            _set_body(response, body, compressed)
            response[HEADER] = "hit"
            if response.has_header("ETag"):  # a conditional GET (the API's) answers 304 from the cache too
                response = get_conditional_response(request, etag=response["ETag"], response=response)
            return response
        response = self._render(request)
        if response_is_cacheable(request, response):
            patch_vary_headers(response, ("Accept-Encoding",))
            gzipped = compressed_body(response)
            headers = responses.stored_headers(response, _NOT_STORED)
            cache.set(key, (response.status_code, headers, gzipped or response.content, gzipped is not None), seconds)
            if gzipped is not None and accepts_gzip(request):
                _set_body(response, gzipped, True)
            response[HEADER] = "miss"
        return response

    def _render(self, request):
        with prefetch.scope(), known.scope(), internals.serving(request):
            response = self.get_response(request)
            routing.store_route(request, response)
            if content_cache.content_timeout() > 0 and prefetch.batches():
                _remember_reads(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Not the page cache itself: the Site lookup every Wagtail request makes, from the content
        # cache (after the page cache, so a hit reads two entries: the generation and the page),
        # unless the view shows nothing of the site (``content_cache.reads_no_site``).
        if getattr(view_func, content_cache.READS_NO_SITE, False):
            return
        page = view_func is wagtail_serve
        path = (view_kwargs.get("path", view_args[0] if view_args else "")) if page else ""
        if content_cache.content_timeout() > 0 and prefetch.batches():
            _prefetch(request, routing.route_cache_name(request, path) if page else None)
        queries.attach_cached_site(request)
        # A Wagtail page: its route from the content cache when it is there (home/performance/routing.py).
        if page:
            routing.attach_cached_route(request, path)


_LISTED = "_content_cache_reads_listed"  # whether the request found its URL's list of reads


def _reads_name(request) -> str | None:
    """The content cache's name for what this URL read one by one (fragments, a listing's total…),
    for anonymous visitors only: a signed-in visitor's pages read no fragment."""
    host = queries.host_and_port(request)
    if request.method not in ("GET", "HEAD") or host is None:
        return None
    if getattr(getattr(request, "user", None), "is_authenticated", False):
        return None
    return "reads:{}:{}:{}".format(*host, request.get_full_path())


def _prefetch(request, route_name: str | None) -> None:
    """The Site, the route and this URL's list of reads in one read, then everything on the list in
    another (home/performance/prefetch.py)."""
    host = queries.host_and_port(request)
    reads = _reads_name(request)
    names = (queries.site_cache_name(host) if host else None, route_name, reads)
    prefetch.fetch(content_cache.cache_key(name, request=request) for name in names if name)
    if reads is not None:
        listed = content_cache.lookup(reads, request=request)
        setattr(request, _LISTED, listed is not None)
        prefetch.fetch(listed or ())


def _remember_reads(request, response) -> None:
    """After a 200 whose URL had no list yet: keep what it read one by one, for next time."""
    reads = _reads_name(request)
    if reads is None or getattr(request, _LISTED, True) or response.status_code != 200:
        return
    asked = prefetch.asked()
    if asked:
        content_cache.store(reads, asked, request=request)


@register()
def check_page_cache_backend(app_configs, **kwargs):
    """The generation must be shared by every app server, or a publish reaches only one of them."""
    if settings.DEBUG or (page_cache_timeout() <= 0 and content_cache.content_timeout() <= 0):
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("LocMemCache") or backend.endswith("DummyCache"):
        return [
            Warning(
                "PAGE_CACHE_SECONDS or CONTENT_CACHE_SECONDS is set but the default cache is per "
                "process: publishing (or making a page private) would reach one worker only.",
                hint="Set CACHE_URL or REDIS_URL to a cache every app server shares (Redis; filecache:// on one host).",
                id="home.W001",
            )
        ]
    return []
