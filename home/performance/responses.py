"""Whole answers kept under the content generation, for every visitor: the public content API.

The content API's answers depend only on the content, the host and the full path (the
API strips the visitor's session and user first, home/api/urls.py), so with the content
cache on one rendered answer serves everyone until the next change starts a new generation,
signed-in or not: the page cache (middleware.py) serves only visitors without a session.
Only 200 answers that set no cookie are kept; the API sets its cache headers and ETag on
the answer after it comes from here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

from . import generation as content_cache

# Headers that belong to one answer only, or that the caller sets again.
_NOT_STORED = {"set-cookie", "date", "content-length", "etag", "cache-control", "vary"}


def stored_headers(response, not_stored=_NOT_STORED) -> list[tuple[str, str]]:
    """The headers of ``response`` worth keeping with its body (``not_stored`` in lower case)."""
    return [(header, value) for header, value in response.items() if header.lower() not in not_stored]


def rebuilt(status: int, headers, body: bytes = b"") -> HttpResponse:
    """An answer again from what was kept of it."""
    response = HttpResponse(body, status=status)
    for header, value in headers:
        response[header] = value
    return response


def cached_response(name: str, request, render: Callable[[], HttpResponse]) -> HttpResponse:
    """``render()``'s answer, or the one kept under ``name`` for the current generation."""
    if content_cache.content_timeout() <= 0:
        return render()
    stored = content_cache.lookup(name, request=request)
    if stored is not None:
        return rebuilt(*stored)
    response = render()
    if response.status_code == 200 and not response.streaming and not response.cookies:
        if callable(getattr(response, "render", None)):
            response.render()  # a DRF or template response: its bytes now, as Django would after the view
        content_cache.store(name, (response.status_code, stored_headers(response), response.content), request=request)
    return response
