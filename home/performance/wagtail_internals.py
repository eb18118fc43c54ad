"""The one adapter over what Wagtail keeps private: every shortcut through its internals is here.

Wagtail has no public API for these, so they are named once and checked on upgrade
(tests/home/test_wagtail_internals.py fails when an attribute moves):

* ``request._wagtail_site`` — where ``Site.find_for_request`` keeps the request's Site;
  setting it first (from the content cache) saves Wagtail's two lookups.
* ``prefetched_renditions`` — where ``AbstractImage`` looks prefetched renditions up (and
  treats them as complete: no cache or database lookup after).
* ``ListBlock._item_is_in_block_format`` — how a list's stored item is told from a bare value
  (an API listing reads its bodies' stored JSON: home/api/stream_json.py).
* ``Page.specific`` is a ``cached_property`` — so the root page joined to the Site query can
  be given as the root's specific page.
* ``Page._cached_parent_obj`` — what ``get_parent()`` returns without a query, for children
  loaded under a parent already in hand.
* ``wagtail.hooks._hooks`` — to put our view-restriction check where Wagtail's own
  ``on_serve_page`` hook is (home/performance/routing.py).
* ``request._wagtail_route_for_request`` — where ``Page.route_for_request`` keeps the
  request's route; setting it first (from the content cache) saves the routing queries.
* ``Page._get_relevant_site_root_paths`` — the sites a page is in, from the root paths a request
  (or the page) keeps; what ``get_url_parts`` starts from (page_urls.py); and
  ``request._wagtail_cached_site_root_paths``, where those root paths are kept on the request
  (the sitemap reads the pages' paths without making pages); ``Page._get_site_root_paths``, which
  keeps them on the page itself when no request is given (a rich text link, the API's linked
  pages): :class:`RootPathsOnRequest` keeps them on the request being served instead.
* ``BaseSiteSetting._request`` — the request a site setting was read for (its page URLs
  use it); ``for_request`` sets it, and so must a setting given to the request from the cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from wagtail import hooks
from wagtail.models import Site
from wagtail.url_routing import RouteResult

PREFETCHED_RENDITIONS = "prefetched_renditions"
_REQUEST_SITE = "_wagtail_site"
_REQUEST_ROUTE = "_wagtail_route_for_request"
_SITE_ROOT_PATHS = "_wagtail_cached_site_root_paths"


def site_root_paths(request) -> list:
    """``Site.get_site_root_paths()``, kept on the request where ``Page._get_site_root_paths``
    keeps it (read from the cache once per request, whoever asks first)."""
    if request is None:
        return Site.get_site_root_paths()
    try:
        return getattr(request, _SITE_ROOT_PATHS)
    except AttributeError:
        paths = Site.get_site_root_paths()
        setattr(request, _SITE_ROOT_PATHS, paths)
        return paths


_serving: ContextVar[Any] = ContextVar("serving_request", default=None)


@contextmanager
def serving(request) -> Iterator[None]:
    """Within the block, a page asked for its URL without a request reads the site root paths
    ``request`` keeps (the page cache middleware opens it around every request)."""
    token = _serving.set(request)
    try:
        yield
    finally:
        _serving.reset(token)


class RootPathsOnRequest:
    """Page mixin: with no request given, ``get_url``/``get_url_parts`` find the site root paths on
    the request being served (:func:`serving`), read once per request, not once per page made.

    Wagtail keeps them on the page itself then: each page a rich text link or an API field
    loads reads them from the cache again (a file read, or a round trip to Redis). Which
    URL a page gets does not change: only where the list is kept (``request`` still decides
    the current site only when it is given).
    """

    def _get_site_root_paths(self, cache_object=None, **kwargs):
        return super()._get_site_root_paths(cache_object or _serving.get(), **kwargs)


def relevant_site_root_paths(page, request) -> tuple:
    """The ``(site id, root path, root url, language)`` of each site ``page`` is in."""
    return page._get_relevant_site_root_paths(request)


def request_has_site(request) -> bool:
    return hasattr(request, _REQUEST_SITE)


def set_request_site(request, site) -> None:
    """What ``Site.find_for_request(request)`` will return (``None``: no site matches)."""
    setattr(request, _REQUEST_SITE, site)


def request_has_route(request) -> bool:
    return hasattr(request, _REQUEST_ROUTE)


def set_request_route(request, page, args, kwargs) -> None:
    """What ``Page.route_for_request(request, path)`` will return: ``page.serve(request, *args, **kwargs)``."""
    setattr(request, _REQUEST_ROUTE, RouteResult(page, args, kwargs))


def set_request_setting(request, setting) -> None:
    """What ``type(setting).for_request(request)`` will return (a site setting read elsewhere)."""
    setting._request = request
    setattr(request, type(setting).get_cache_attr_name(), setting)


def set_specific(page, specific) -> None:
    """``page.specific`` answers ``specific`` (the same page as its own type) without a query."""
    page.specific = specific  # a cached_property: the instance's own value wins


def set_cached_parent(child, parent) -> None:
    """``child.get_parent()`` answers ``parent`` without a query."""
    child._cached_parent_obj = parent


def cached_parent(page):
    """The parent ``set_cached_parent`` gave ``page`` (what ``get_parent()`` would answer), or None."""
    return getattr(page, "_cached_parent_obj", None)


def has_prefetched_renditions(image) -> bool:
    return hasattr(image, PREFETCHED_RENDITIONS)


def prefetched_renditions(image) -> list:
    return getattr(image, PREFETCHED_RENDITIONS)


def set_prefetched_renditions(image, renditions: list) -> None:
    setattr(image, PREFETCHED_RENDITIONS, renditions)


def list_item_value(list_block, item):
    """The value of a list block's stored item: ``{"type": "item", "value", "id"}``, or the value itself
    as lists were stored before Wagtail 2.16 (what ``ListBlock.to_python`` tells apart)."""
    return item["value"] if list_block._item_is_in_block_format(item) else item


def replace_hook(hook_name: str, old, new) -> bool:
    """Put ``new`` where ``old`` is registered for ``hook_name`` (same order); False if ``old`` is not there."""
    registered = hooks._hooks.get(hook_name, [])
    for i, (fn, order) in enumerate(registered):
        if fn is old:
            registered[i] = (new, order)
            return True
    return False
