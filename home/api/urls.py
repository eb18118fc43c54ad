"""The headless content API's URLs: API v2 (home/api/v2.py) and v3 (home/api/v3.py), every view wrapped.

A separate front end builds the public site from these alone. Every view is
wrapped here so that:

* the public API is anonymous: a session cookie never widens what it shows
  (only a v3 bearer token does, through Wagtail's own permission checks), and
  v2 pages are live and public only, whatever the session has unlocked;
* anonymous GET responses carry ``Cache-Control`` and an ``ETag`` derived from
  the site's content generation (home/performance/generation.py, bumped on publish,
  unpublish, moves, deletions, settings…), so a conditional GET costs a cache
  read and answers 304 until something changes;
* with the content cache on, an anonymous answer is rendered once per content generation
  and kept (home/performance/responses.py), for every client of that URL;
* preview responses are never stored (``private, no-store``).

site/urls.py mounts ``v2_urls`` at ``api/v2/`` and ``v3_urls`` at ``api/v3/``.
"""

from __future__ import annotations

import hashlib
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from wagtail.api.rich_text import APIRichText
from wagtail.api.v3.errors import problem_response

from home.api.v2 import ONLY_HTML, v2_router
from home.api.v3 import v3_api
from home.performance import generation as content_cache
from home.performance import responses

SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def _digest(request) -> str:
    """What an anonymous answer depends on: the content generation, the host and the full path."""
    key = "\n".join((content_cache.generation(request), request.get_host(), request.get_full_path()))
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def _etag(request) -> str:
    return f'W/"{_digest(request)}"'


def _set_cache_headers(response, etag: str) -> None:
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=settings.CONTENT_API_MAX_AGE, must_revalidate=True)
    patch_vary_headers(response, ["Authorization"])


def _serve(view, request, *args, **kwargs):
    if request.method not in ("GET", "HEAD") or request.GET.get("order") == "random":
        return view(request, *args, **kwargs)
    if "HTTP_AUTHORIZATION" in request.META:  # a v3 bearer token: content for that user only
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response
    etag = _etag(request)
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        if not_modified.status_code == 304:
            _set_cache_headers(not_modified, etag)
        return not_modified
    # The same answer for everyone until the content changes: kept with the content (content cache on).
    response = responses.cached_response(f"api:{_digest(request)}", request, lambda: view(request, *args, **kwargs))
    if response.status_code == 200:
        _set_cache_headers(response, etag)
    return response


def _anonymously(request, call):
    """``call()`` as an anonymous visitor without a session; then the request gets both back.

    Restored rather than replaced for good: the session middleware must still see the
    visitor's own session, or it would delete the cookie of an editor who is signed in.
    """
    user, session = getattr(request, "user", None), getattr(request, "session", None)
    request.user, request.session = AnonymousUser(), SessionStore()
    try:
        return call()
    finally:
        request.user, request.session = user, session


def _asks_for_database_rich_text(request) -> bool:
    # API v3 reads ?rich_text_format= in each field (v2 checks it in ContentPagesAPIViewSet).
    # Editors' tools with a bearer token may ask for the database format; nobody else.
    requested = request.GET.get("rich_text_format", APIRichText.FORMAT_HTML)
    return requested != APIRichText.FORMAT_HTML and "HTTP_AUTHORIZATION" not in request.META


def public_api_view(view, *, only_html_for_v3: bool = False):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if only_html_for_v3 and _asks_for_database_rich_text(request):
            return problem_response(status=400, detail=ONLY_HTML)
        return _anonymously(request, lambda: _serve(view, request, *args, **kwargs))

    return wrapper


def preview_api_view(view, *, only_html_for_v3: bool = False):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if only_html_for_v3 and _asks_for_database_rich_text(request):
            response = problem_response(status=400, detail=ONLY_HTML)
        else:
            response = _anonymously(request, lambda: view(request, *args, **kwargs))
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapper


def _wrap(patterns, *, is_preview, **options):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):  # an included resolver (v2: one per endpoint)
            if is_preview(pattern):
                _wrap(pattern.url_patterns, is_preview=lambda p: True, **options)
            else:
                _wrap(pattern.url_patterns, is_preview=is_preview, **options)
        elif getattr(pattern, "callback", None):
            decorate = preview_api_view if is_preview(pattern) else public_api_view
            pattern.callback = decorate(pattern.callback, **options)
    return patterns


# Both are (patterns, app_name, namespace) triples for ``path("api/v2/", v2_urls)``.
v2_urls = (
    _wrap(v2_router.get_urlpatterns(), is_preview=lambda p: getattr(p, "namespace", None) == "page_preview"),
    "wagtailapi_v2",
    "wagtailapi_v2",
)
_v3_patterns, _v3_app_name, _v3_namespace = v3_api.urls
v3_urls = (
    _wrap(_v3_patterns, is_preview=lambda p: getattr(p, "name", None) == "page_preview", only_html_for_v3=True),
    _v3_app_name,
    _v3_namespace,
)
