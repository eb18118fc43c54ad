"""Listings of cards: a page of them read only when shown, its total kept, its rows chosen first.

* :func:`for_cards` — a listing's queryset without the StreamFields no card shows.
* :func:`chosen_first` — ``queryset[start:stop]`` whose rows a subquery chooses, so what is
  folded into it (folded.py) is worked out for those rows only.
* :class:`Deferred`, :class:`PagedListing` — a listing built or read only when its cached
  fragment renders.
* :class:`CachedCountPaginator` — a listing's total from the content cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property
from wagtail.fields import StreamField

from . import generation as content_cache


def for_cards(queryset):
    """``queryset`` without its StreamFields, which no listing card shows (includes/*_card.html):
    turning an article's body from JSON into Python was most of the cost of loading it for a card."""
    streams = [field.name for field in queryset.model._meta.concrete_fields if isinstance(field, StreamField)]
    return queryset.defer(*streams) if streams else queryset


def chosen_first(queryset, start: int | None, stop: int | None):
    """``queryset[start:stop]`` (ordered) as a query over the rows a subquery chose: what is then
    folded into it (folded.py) is worked out for those rows only. SQLite works out every column of
    every row before sorting, so a page of ten cards out of 200 articles read 200 articles' topics
    and renditions (3.9 ms, now 0.6 ms); PostgreSQL postpones such columns past the sort itself."""
    chosen = queryset.values("pk")[start:stop]
    return queryset.model._default_manager.filter(pk__in=chosen).order_by(*queryset.query.order_by)


class Deferred:
    """A queryset built on first use: ``Deferred(build)``, where ``build()`` returns it.

    For what only a cached fragment shows (a listing's page of cards): a warm page never builds
    it, and building a listing's filters and prefetches took longer than reading the fragment.
    It counts and slices as a ``Paginator`` needs, and a slice stays deferred, so
    ``CachedCountPaginator(Deferred(...))`` checks a page number against the cached total
    without building anything.
    """

    ordered = True  # the builder orders it (the Paginator asks)

    def __init__(self, build: Callable[[], Any]):
        self._build = build

    @cached_property
    def _items(self):
        return self._build()

    def count(self) -> int:
        return self._items.count()

    def __getitem__(self, key):
        if isinstance(key, slice):  # built from this one's queryset, built once
            return Deferred(lambda: self._items[key])
        return self._items[key]

    def __iter__(self):
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)


class PagedListing:
    """A listing for a ``Paginator`` that reads only what it is asked: ``count()`` answers
    ``count()``, and a page ``[start:stop]`` is ``page(start, stop)``, called when the page is
    first shown (like :class:`Deferred`: a cached fragment never reads it)."""

    ordered = True  # ``page`` orders it (the Paginator asks)

    def __init__(self, count: Callable[[], int], page: Callable[[int, int], list]):
        self._count = count
        self._page = page

    def count(self) -> int:
        return self._count()

    def __getitem__(self, key: slice) -> Deferred:
        return Deferred(lambda: self._page(key.start, key.stop))


class CachedCountPaginator(Paginator):
    """A ``Paginator`` whose total (a COUNT query, read for every page of a listing) is kept in the
    content cache under ``name``: a new article, an unpublished one or a new restriction starts a
    new generation. ``name`` must say which listing it is (and for which filter)."""

    def __init__(self, object_list, per_page, *, name: str, request=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cache_name = name
        self.request = request

    @cached_property
    def count(self) -> int:
        count = Paginator.count.func
        return content_cache.cached(f"count:{self.cache_name}", lambda: count(self), request=self.request)
