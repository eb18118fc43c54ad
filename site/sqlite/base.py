"""SQLite whose writers queue on a file lock instead of sleeping in SQLite's busy handler.

Every transaction here begins IMMEDIATE (settings.py), so two writers never
interleave: the second waits until the first commits. SQLite makes it wait in its
busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and then 100 ms
between tries whatever happens meanwhile: with two gunicorn workers writing at
once (webhook deliveries, checkouts) the lock sat free while the waiter slept,
and a delivery's p99 reached 470 ms at fewer events per second than one worker
alone managed. Here a transaction first takes an exclusive ``flock`` on
``<database>-writer`` beside the database file, trying again every half
millisecond, so the next writer starts within that of the last one's commit.

The lock is per connection (per thread, and per process), held from BEGIN to
COMMIT or ROLLBACK, and never waited for longer than the connection's own
``timeout``: then the transaction begins anyway and SQLite's busy handler decides,
as without this module; so it does when the lock file cannot be opened. Reads
outside transactions never take it (WAL readers do not block). In-memory databases
have no file and no lock.

Its cursors also keep each statement as SQLite takes it: Django writes ``%s`` for a value and
its SQLite cursor turns every ``%s`` into ``?`` with a regular expression on each execute, 130
to 320 µs of an uncached page whose queries are 10 to 20 thousand characters. The same SQL
text always becomes the same statement, so it is converted once per process
(:func:`qmark_sql`, least recently used dropped).

Used by settings.py for every ``sqlite://`` DATABASE_URL (``ENGINE = "site.sqlite"``).
"""

from __future__ import annotations

import fcntl
import functools
import os
import time

from django.db.backends.sqlite3 import base

#: How long a writer sleeps between tries for the lock.
RETRY_SECONDS = 0.0005


@functools.lru_cache(maxsize=2048)
def qmark_sql(query: str) -> str:
    """Django's "format" SQL (``%s``) as SQLite's "qmark" SQL (``?``): what Django's cursor does."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query, *, param_names=None):
        if param_names is None and isinstance(query, str):
            return qmark_sql(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writer_locked = False

    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)

    def _writer_lock_path(self) -> str | None:
        if self.is_in_memory_db():
            return None
        return f"{self.settings_dict['NAME']}-writer"

    def _lock_writers(self) -> None:
        path = self._writer_lock_path()
        if path is None or self._writer_locked:
            return
        if self._writer_fd is None:
            try:
                # Read-only is enough for flock: a worker running as another user (the task worker,
                # a cron job) can open what the first one created.
                self._writer_fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
            except OSError:
                return  # no lock file to be had: SQLite's busy handler alone, as without this module
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        while True:
            try:
                fcntl.flock(self._writer_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return  # SQLite's own busy timeout takes over
                time.sleep(RETRY_SECONDS)
            else:
                self._writer_locked = True
                return

    def _unlock_writers(self) -> None:
        if self._writer_locked:
            self._writer_locked = False
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self):
        self._lock_writers()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._unlock_writers()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._unlock_writers()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._unlock_writers()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._unlock_writers()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
