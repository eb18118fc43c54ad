"""Caching of public content, invalidated by one site-wide "content generation".

Every key this module writes contains the current generation, a token kept in
the default cache. Anything that can change what a visitor sees bumps it:
publishing, unpublishing, moving or deleting a page, a view restriction, a
topic or body area, the studio settings, an image, a Site, and any offer
(series, membership plan, gift card) being saved or deleted. Readers then
build new keys and the old entries simply expire.

Three users:

* :func:`cached` (and :func:`lookup` / :func:`store`) — small site-wide data (the nav
  sections, the home page's featured offers, the request's Site and site settings, the
  restricted paths, the page each path routes to), for ``CONTENT_CACHE_SECONDS`` (0 turns
  it off).
* ``{% contentcache "name" %}…{% endcontentcache %}`` (home/performance/fragments.py)
  — the main content of a page template, Wagtail's ``{% wagtailpagecache %}`` keyed
  also by full path and generation; never in previews or for signed-in users.
* :class:`home.performance.middleware.AnonymousPageCacheMiddleware` — whole
  responses for anonymous visitors, when ``PAGE_CACHE_SECONDS`` is set (the
  production default), and the sitemap (home/performance/views.py).

The generation lives in the default cache, so it is one for every process that
shares that cache: every gunicorn worker, task worker and scheduler of a machine
with the embedded file cache (site/cache.py, the production default), every app
server with Redis (``CACHE_URL``). A bump is seen by the next request anywhere.
With a per-process cache (locmem: ``runserver`` under DEBUG, the test suite) a
bump reaches only the process that made it; the settings keep the page cache off
there, and a system check warns when someone turns it on.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import prefetch

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-cache:generation"
_REQUEST_ATTR = "_content_cache_generation"
READS_NO_SITE = "reads_no_site"


def reads_no_site(view):
    """Mark a view that shows nothing of the site (the Stripe webhook, the health check, robots.txt).

    Before any other view, the request is given its Site and the Site's settings from the
    content cache (home/performance/middleware.py): two or three cache reads a marked view
    never uses.
    """
    setattr(view, READS_NO_SITE, True)
    return view


def content_timeout() -> int:
    return int(getattr(settings, "CONTENT_CACHE_SECONDS", 0) or 0)


def _new_token() -> str:
    # Time plus randomness: never equal to a token an evicted key held before.
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def generation(request=None) -> str:
    """The current generation (read once per request when a request is given)."""
    if request is not None:
        token = getattr(request, _REQUEST_ATTR, None)
        if token is not None:
            return token
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, _new_token(), None)
        token = cache.get(GENERATION_KEY) or "0"
    if request is not None:
        setattr(request, _REQUEST_ATTR, token)
    return token


def _bump_now() -> None:
    try:
        cache.set(GENERATION_KEY, _new_token(), None)
    except Exception:  # a cache outage must never break publishing; entries expire on their own
        logger.exception("Could not invalidate the content cache")


def invalidate() -> None:
    """Start a new generation now and again when the current transaction commits.

    Now: this process (and a test inside a transaction) stops using old entries at
    once. On commit: a request that read the new token before the commit may have
    cached the old content under it; the second bump drops that too.
    """
    _bump_now()
    transaction.on_commit(_bump_now)


def cache_key(name: str, *, request=None) -> str:
    """The default cache's key of ``name`` in the current generation (for ``prefetch.fetch``)."""
    return f"content-cache:{generation(request)}:{name}"


def lookup(name: str, *, request=None) -> Any:
    """What :func:`store` kept under ``name`` for the current generation (None: nothing, or the cache is off).

    From what the request prefetched (home/performance/prefetch.py) when it is there.
    """
    if content_timeout() <= 0:
        return None
    return prefetch.get(cache_key(name, request=request), cache.get)


def store(name: str, value: Any, *, request=None) -> None:
    """Keep ``value`` under ``name`` for the current generation (nothing when the content cache is off)."""
    seconds = content_timeout()
    if seconds > 0:
        key = cache_key(name, request=request)
        cache.set(key, value, seconds)
        prefetch.put(key, value)


def cached(name: str, compute: Callable[[], Any], *, request=None) -> Any:
    """``compute()``, cached under ``name`` for the current generation (computed every time when off)."""
    if content_timeout() <= 0:
        return compute()
    value = lookup(name, request=request)
    if value is None:
        value = compute()
        store(name, value, request=request)
    return value


# --- What invalidates --------------------------------------------------------------------------------


def _on_change(sender, **kwargs) -> None:
    invalidate()


def _on_any_save_or_delete(sender, instance=None, **kwargs) -> None:
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate()


def connect_signals() -> None:
    """Called from HomeConfig.ready(): every change that can alter a public page bumps the generation."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.images import get_image_model
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(_on_change, dispatch_uid=f"content_cache_{id(signal)}")
    # Any page saved or deleted (live pages saved directly, not only through publish).
    post_save.connect(_on_any_save_or_delete, dispatch_uid="content_cache_page_save")
    post_delete.connect(_on_any_save_or_delete, dispatch_uid="content_cache_page_delete")

    models = [PageViewRestriction, Site, get_image_model()]
    for label in (
        "home.Topic",
        "home.BodyArea",
        "home.StudioSettings",
        # The team and testimonials show on pages and in the API (/api/v3/team/…).
        "home.Therapist",
        "home.Testimonial",
        "packages.SessionSeries",
        "packages.MembershipPlan",
        "packages.GiftCardOffer",
    ):
        try:
            models.append(apps.get_model(label))
        except LookupError:
            continue
    for model in models:
        post_save.connect(_on_change, sender=model, dispatch_uid=f"content_cache_save_{model._meta.label}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"content_cache_delete_{model._meta.label}")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _on_change, sender=field.remote_field.through, dispatch_uid=f"content_cache_m2m_{field}"
            )
