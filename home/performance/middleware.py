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
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.checks import Warning, register
from django.http import HttpResponse

from . import generation as content_cache
from . import queries

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
# Headers that belong to one response only.
_NOT_STORED = {"set-cookie", "date", HEADER.lower()}


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
    # GET and HEAD share an entry: Django strips the body of HEAD responses itself.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(url.encode()).hexdigest()
    return f"page-cache:{generation}:{digest}"


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
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            response[HEADER] = "hit"
            return response
        response = self._render(request)
        if response_is_cacheable(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in _NOT_STORED]
            cache.set(key, (response.status_code, headers, response.content), seconds)
            response[HEADER] = "miss"
        return response

    def _render(self, request):
        # Not the page cache itself: the Site lookup every Wagtail request makes, from the content
        # cache (after the page cache, so a hit reads two entries: the generation and the page).
        queries.attach_cached_site(request)
        return self.get_response(request)


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
