"""A request's content-cache entries read in as few round trips as possible.

A page-cache miss with the content cache on read seven entries or more one by one: the
generation, the Site, the route, the head, header, main and footer fragments, a
listing's total. On Redis each ``cache.get`` costs a round trip plus Django's own work
per call (about 0.4 ms here, where one ``get_many`` of six entries took 0.8 ms). Now,
once the generation is known, the page cache middleware asks for the Site, the route and
the list of what this URL read one by one last time in one ``get_many``, then for
everything on that list in another: three reads instead of seven. Only where the default cache reads
many keys at once (:func:`batches`); the file cache reads them one by one anyway.

What was read sits in a memo for the request (a ``ContextVar``, set by :func:`scope`):
``generation.lookup`` and ``FragmentCache`` (Django's ``template_fragments`` alias, which
``{% cache %}``, Wagtail's page cache tags and ``{% contentcache %}`` read) answer from
it first, and fall back to the default cache for anything not prefetched. A key asked
and not found is not asked again within the request. Writes go to the default cache and
the memo. Outside a request scope (a management command, a test client without the
middleware) nothing is kept and every read goes to the default cache.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

_MISSING = object()


@dataclass
class _Memo:
    values: dict[str, Any] = field(default_factory=dict)  # key -> value, or _MISSING when not in the cache
    asked: list[str] = field(default_factory=list)  # keys read one by one (not prefetched), in order


_memo: ContextVar[_Memo | None] = ContextVar("content_cache_prefetched", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Keep what this request reads until the block ends (the page cache middleware wraps each request)."""
    token = _memo.set(_Memo())
    try:
        yield
    finally:
        _memo.reset(token)


def batches() -> bool:
    """Whether the default cache reads many keys in one round trip (Redis, Memcached). The file and
    memory caches read them one by one anyway: there, prefetching would only add the fragment list."""
    return type(caches["default"]).get_many is not BaseCache.get_many


def fetch(keys: Iterable[str]) -> None:
    """Read ``keys`` from the default cache in one ``get_many`` into the request's memo."""
    memo = _memo.get()
    if memo is None:
        return
    wanted = [key for key in dict.fromkeys(keys) if key and key not in memo.values]
    if not wanted:
        return
    found = caches["default"].get_many(wanted)
    for key in wanted:
        memo.values[key] = found.get(key, _MISSING)


def get(key: str, read: Any) -> Any:
    """The value under ``key``: from the memo, else ``read(key)`` (kept in the memo, None if missing)."""
    memo = _memo.get()
    if memo is None:
        return read(key)
    value = memo.values.get(key, None)
    if value is None:
        value = read(key)
        memo.values[key] = _MISSING if value is None else value
        memo.asked.append(key)
    return None if value is _MISSING else value


def put(key: str, value: Any) -> None:
    """What the request just wrote under ``key`` (so a second read in the request finds it)."""
    memo = _memo.get()
    if memo is not None:
        memo.values[key] = value


def asked() -> list[str]:
    """The keys this request read one by one (what a prefetch would have saved), in order."""
    memo = _memo.get()
    return list(memo.asked) if memo is not None else []


class AliasCache(BaseCache):
    """The cache named by ``LOCATION`` (the default), every call passed on: a base for caches that
    change one or two calls of it (``FragmentCache`` here, ``site.cache.RenditionCache``)."""

    def __init__(self, location, params):
        super().__init__(params)
        self._alias = location or "default"

    @property
    def _cache(self) -> BaseCache:
        return caches[self._alias]

    def get(self, key, default=None, version=None):
        return self._cache.get(key, default, version)

    def get_many(self, keys, version=None):
        return self._cache.get_many(keys, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._cache.set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._cache.set_many(data, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._cache.add(key, value, timeout, version)

    def has_key(self, key, version=None):
        return self._cache.has_key(key, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._cache.touch(key, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._cache.incr(key, delta, version)

    def delete(self, key, version=None):
        return self._cache.delete(key, version)

    def delete_many(self, keys, version=None):
        return self._cache.delete_many(keys, version)

    def clear(self):
        return self._cache.clear()


class FragmentCache(AliasCache):
    """The ``template_fragments`` cache: the default cache, answering first from the request's memo."""

    def get(self, key, default=None, version=None):
        if version is not None:
            return self._cache.get(key, default, version)
        value = get(key, lambda k: self._cache.get(k, None, version))
        return default if value is None else value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._cache.set(key, value, timeout, version)
        if version is None:
            put(key, value)

    def delete(self, key, version=None):
        put(key, _MISSING)
        return self._cache.delete(key, version)
