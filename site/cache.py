"""The production caches: files on local disk shared by every worker (no ``CACHE_URL``), or Redis.

Django's per-process default (locmem) gives each gunicorn worker its own counters and its
own content generation: a "30 per hour" rate limit lets through 30 per worker, and a worker
that did not see a publish keeps answering from its stale copy. With ``DEBUG`` off and no
``CACHE_URL`` the settings use this backend instead (``CACHE_DIR``), which every process on
the host reads and writes. Several hosts still need a network cache (Redis, ``CACHE_URL``).

Django's ``FileBasedCache`` is not safe for counters across processes: ``add`` checks then
writes, and ``incr`` reads then writes (and resets the entry's timeout to the default while
it is at it). Both run here under one exclusive file lock, and ``incr`` keeps the entry's
expiry, so a fixed-window rate limit really expires with its window. Culling drops expired
entries before it drops live ones at random.

Django's ``RedisCache`` raises when Redis is away, and every public page, the shop's
rate-limited forms and image lookups answered 500. ``FailOpenRedisCache`` (what the
settings use for a ``redis://`` ``CACHE_URL``) treats an unreachable Redis as empty:
reads miss, writes are dropped (pages render as with the caches off), and the rate
limits' counters (``add``/``incr``) count in this process's memory meanwhile, so a
limit still holds per worker. After an error Redis is left alone for ``RETRY_SECONDS``,
so an outage costs one failed attempt per worker and period, not one per call.

Wagtail's ``Image.get_rendition`` (every ``{% image %}`` tag) writes the rendition it
found to the cache each time, even one it took from prefetched renditions (its plural
``get_renditions`` already skips those). On the file cache that is a file written and
renamed per image per page view. ``RenditionCache``, the settings' ``renditions`` alias,
is the default cache without those rewrites: lookups, deletions (Wagtail purges a
deleted rendition) and every other write go to the default cache as they are.
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.files import locks
from django.core.files.move import file_move_safe
from redis.exceptions import RedisError

from home.performance.prefetch import AliasCache

LOCK_NAME = "cache.lock"  # no .djcache suffix: never culled or cleared
DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"
FAIL_OPEN_REDIS = "site.cache.FailOpenRedisCache"

logger = logging.getLogger(__name__)


class SharedFileCache(FileBasedCache):
    @contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, LOCK_NAME), "a+b") as lock_file:
            locks.lock(lock_file, locks.LOCK_EX)
            try:
                yield
            finally:
                locks.unlock(lock_file)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._exclusive():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        fname = self._key_to_file(key, version)
        with self._exclusive():
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301 - files this cache wrote, as Django's FileBasedCache
                    if expiry is not None and expiry < time.time():
                        raise FileNotFoundError(fname)
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301 - as above
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            new_value = value + delta
            fd, tmp_path = tempfile.mkstemp(dir=self._dir)
            renamed = False
            try:
                with open(fd, "wb") as f:
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(new_value, self.pickle_protocol)))
                file_move_safe(tmp_path, fname, allow_overwrite=True)
                renamed = True
            finally:
                if not renamed:
                    os.remove(tmp_path)
            return new_value

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    def _cull(self):
        filelist = self._list_cache_files()
        if len(filelist) < self._max_entries:
            return
        now = time.time()
        for fname in filelist:
            try:
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301 - files this cache wrote, as Django's FileBasedCache
            except (FileNotFoundError, EOFError, pickle.UnpicklingError):
                continue
            if expiry is not None and expiry < now:
                self._delete(fname)
        super()._cull()


def fail_open(config: dict) -> dict:
    """A cache configuration with Django's Redis backend made fail-open (others unchanged)."""
    if config.get("BACKEND") != DJANGO_REDIS:
        return config
    options = {"socket_connect_timeout": 1, "socket_timeout": 2, **config.get("OPTIONS", {})}
    return {**config, "BACKEND": FAIL_OPEN_REDIS, "OPTIONS": options}


class FailOpenRedisCache(RedisCache):
    RETRY_SECONDS = 5.0
    ERRORS = (RedisError, OSError)

    def __init__(self, server, params):
        super().__init__(server, params)
        # Counters while Redis is away: one store per process (LocMemCache shares it by name).
        self._counters = LocMemCache(f"fail-open-counters:{server}", {"OPTIONS": {"MAX_ENTRIES": 10000}})
        self._down_until = 0.0

    def _attempt(self, operation, fallback):
        if time.monotonic() < self._down_until:
            return fallback()
        try:
            return operation()
        except self.ERRORS as error:
            logger.warning("Cache unreachable (%s): serving without it for %ss", error, self.RETRY_SECONDS)
            self._down_until = time.monotonic() + self.RETRY_SECONDS
            return fallback()

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(
            lambda: RedisCache.add(self, key, value, timeout, version),
            lambda: self._counters.add(key, value, timeout, version),
        )

    def incr(self, key, delta=1, version=None):
        return self._attempt(
            lambda: RedisCache.incr(self, key, delta, version), lambda: self._counters.incr(key, delta, version)
        )

    def get(self, key, default=None, version=None):
        return self._attempt(lambda: RedisCache.get(self, key, default, version), lambda: default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(lambda: RedisCache.set(self, key, value, timeout, version), lambda: None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(lambda: RedisCache.touch(self, key, timeout, version), lambda: False)

    def delete(self, key, version=None):
        return self._attempt(lambda: RedisCache.delete(self, key, version), lambda: False)

    def get_many(self, keys, version=None):
        return self._attempt(lambda: RedisCache.get_many(self, keys, version), dict)

    def has_key(self, key, version=None):
        return self._attempt(lambda: RedisCache.has_key(self, key, version), lambda: False)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._attempt(lambda: RedisCache.set_many(self, data, timeout, version), lambda: list(data))

    def delete_many(self, keys, version=None):
        return self._attempt(lambda: RedisCache.delete_many(self, keys, version), lambda: None)

    def clear(self):
        return self._attempt(lambda: RedisCache.clear(self), lambda: False)


class RenditionCache(AliasCache):
    """The cache named by ``LOCATION`` (the default), minus rewrites of prefetched renditions."""

    @staticmethod
    def _fresh(value) -> bool:
        # Wagtail marks a rendition it took from prefetched ones (or from this cache) ``_from_cache``.
        return not getattr(value, "_from_cache", False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._fresh(value):
            self._cache.set(key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        fresh = {key: value for key, value in data.items() if self._fresh(value)}
        return self._cache.set_many(fresh, timeout, version) if fresh else []
