"""The sitemap, cached under the content generation like pages (``CONTENT_CACHE_SECONDS``).

Wagtail's sitemap walks every live page (one query per page type, and each page's
URL); it changes only when a page does, and every such change starts a new content
generation. So the rendered sitemap is kept under the generation, host and full path
(``?p=`` pages included), for visitors and crawlers alike: with the whole-page cache on it
is also served from there, this covers the modes where it is off.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from . import generation

_NOT_STORED = {"set-cookie", "date"}


def sitemap(request, *args, **kwargs):
    seconds = generation.content_timeout()
    if seconds <= 0 or request.method not in ("GET", "HEAD"):
        return wagtail_sitemap(request, *args, **kwargs)
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    key = f"content-cache:{generation.generation(request)}:sitemap:{hashlib.sha256(url.encode()).hexdigest()}"
    stored = cache.get(key)
    if stored is None:
        response = wagtail_sitemap(request, *args, **kwargs)
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
