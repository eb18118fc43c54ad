"""The embedded production cache: files on local disk, shared by every worker on the machine.

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
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
import zlib
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks
from django.core.files.move import file_move_safe

LOCK_NAME = "cache.lock"  # no .djcache suffix: never culled or cleared


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
