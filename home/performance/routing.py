"""Serving a page: the route from the content cache, and Wagtail's view-restriction check skipped
for pages no restriction can reach.

**Routes.** Wagtail routes every request from the site's root page down, one or two
queries per level, then loads the served page's images and relations. With the content
cache on, what a path routes to (the page as routing loaded it, with its parents, images
and renditions, and a routable page's view and arguments) is kept under the content
generation: the next request for the path unpickles it instead of querying. It is
copied when Wagtail is about to serve it (``before_serve_page``, before the template adds
to it) and stored only after a 200, so a mistyped or made-up path stores nothing.
Every change a visitor could see starts a new generation, so a route never outlives the
page it found; the view-restriction check below still runs on every request.

**View restrictions.**
Wagtail checks every page it serves for view restrictions on the page and its
ancestors (two queries: the ancestors, then their restrictions). The paths of every
restricted page and every alias are already read once per request (and kept in the
content cache, home/performance/queries.py), so a page whose path starts with none of
them is served straight away; any other page goes through Wagtail's own check, forms
and login redirects unchanged. Installed in place of Wagtail's hook by home/wagtail_hooks.py.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import pickle

from wagtail.wagtail_hooks import check_view_restrictions as wagtail_check_view_restrictions

from . import generation as content_cache
from . import queries
from . import wagtail_internals as internals

logger = logging.getLogger(__name__)

_PENDING = "_route_cache_key"  # the key a route found on this request goes under
_SNAPSHOT = "_route_cache_snapshot"  # (key, page copy, args, kwargs) taken before serving


def _dumps(route) -> bytes:
    return pickle.dumps(route, protocol=pickle.HIGHEST_PROTOCOL)


def route_cache_name(request, path: str) -> str | None:
    """The content cache's name for the route of ``path`` on the request's host (which picks the Site)."""
    host = queries.host_and_port(request)
    if host is None:
        return None
    return "route:{}:{}:{}".format(*host, hashlib.sha256(path.encode()).hexdigest())


def attach_cached_route(request, path: str) -> None:
    """Give Wagtail the route of ``path`` from the content cache, or note where to keep it once found."""
    if content_cache.content_timeout() <= 0 or internals.request_has_route(request):
        return
    key = route_cache_name(request, path)
    if key is None:
        return
    stored = content_cache.lookup(key, request=request)
    if stored is not None:
        try:
            page, args, kwargs = pickle.loads(stored)  # noqa: S301 - our cache, which Django's backends unpickle too
        except Exception:  # stored by another version of the code: route again, and store anew
            logger.warning("Could not read a cached route; routing again", exc_info=True)
        else:
            internals.set_request_route(request, page, args, kwargs)
            return
    setattr(request, _PENDING, key)


def remember_route(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook: a copy of the route as routing left it, stored once the page answered.

    A shallow copy: what the template adds to the page itself (cached properties, links it
    reads) stays out, while the images it shares keep the renditions made while rendering.
    """
    key = getattr(request, _PENDING, None)
    if key is not None:
        deferred = page.get_deferred_fields()
        if deferred:  # a section routing passed through is served itself (a sub-route): its fields once
            page.refresh_from_db(fields=deferred)
        setattr(request, _SNAPSHOT, (key, copy.copy(page), list(serve_args), dict(serve_kwargs)))
    return None


def store_route(request, response) -> None:
    """Keep the route remembered on this request, if the page answered 200."""
    snapshot = getattr(request, _SNAPSHOT, None)
    if snapshot is None or response.status_code != 200:
        return
    key, page, args, kwargs = snapshot
    try:
        data = _dumps((page, args, kwargs))
    except Exception:  # a page type holding something that cannot be pickled is simply routed every time
        logger.warning("The route to %s cannot be cached", type(page).__name__, exc_info=True)
        return
    content_cache.store(key, data, request=request)


def reaches_no_restriction(page, request) -> bool:
    """No view restriction on the page or an ancestor, and no alias on its way (whose source's would apply)."""
    path = page.path
    restricted = queries.restricted_paths(request)
    if restricted and path.startswith(restricted):
        return False
    aliases = queries.alias_paths(request)
    return not (aliases and path.startswith(aliases))


def check_view_restrictions(callback):
    wagtail_inner = wagtail_check_view_restrictions(callback)

    def inner(page, request, serve_args, serve_kwargs):
        if request is not None and reaches_no_restriction(page, request):
            return callback(page, request, serve_args, serve_kwargs)
        return wagtail_inner(page, request, serve_args, serve_kwargs)

    return inner
