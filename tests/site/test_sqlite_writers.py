"""SQLite writers queue on a file lock (site/sqlite/base.py) instead of SQLite's sleeping busy handler.

Each test opens its own connections to a database file of its own, through the
backend settings.py picks for every sqlite:// DATABASE_URL (it runs in the
PostgreSQL pass too). How much faster concurrent writes get is measured by
``make bench`` (webhook deliveries), never here.
"""

from __future__ import annotations

import fcntl
import os
import threading

import environ
import pytest

from site.sqlite.base import DatabaseWrapper


def connect(path, *, timeout: float = 5) -> DatabaseWrapper:
    settings = environ.Env.db_url_config(f"sqlite:///{path}")
    settings["ENGINE"] = "site.sqlite"
    settings.update(
        OPTIONS={"transaction_mode": "IMMEDIATE", "timeout": timeout},
        ATOMIC_REQUESTS=False,
        AUTOCOMMIT=True,
        CONN_MAX_AGE=0,
        CONN_HEALTH_CHECKS=False,
        TIME_ZONE=None,
        TEST={},
    )
    wrapper = DatabaseWrapper(settings, alias=f"writers-{id(settings)}")
    wrapper.ensure_connection()
    return wrapper


def begin(wrapper: DatabaseWrapper) -> None:
    """What ``transaction.atomic()`` does first on SQLite (the outermost block)."""
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(wrapper: DatabaseWrapper, how: str = "commit") -> None:
    getattr(wrapper, how)()
    wrapper.set_autocommit(True)


def held(lock_file) -> bool:
    """Whether some connection holds the writers' lock (tried from a descriptor of our own)."""
    fd = os.open(lock_file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


@pytest.fixture(autouse=True)
def own_databases(django_db_blocker):
    """These connections go to files of the test's own, not to the test database."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "writers.sqlite3"
    setup = connect(path)
    with setup.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("CREATE TABLE entry (id INTEGER PRIMARY KEY, who TEXT)")
    setup.close()
    return path


def test_settings_use_it_for_sqlite():
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    assert engine == "site.sqlite" or "sqlite" not in engine


@pytest.mark.parametrize("how", ["commit", "rollback"])
def test_a_transaction_holds_the_lock_until_it_ends(database, how):
    lock_file = f"{database}-writer"
    first = connect(database)
    begin(first)
    assert held(lock_file)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO entry (who) VALUES ('first')")
    end(first, how)
    assert not held(lock_file)
    first.close()


def test_closing_a_connection_mid_transaction_lets_the_lock_go(database):
    first = connect(database)
    begin(first)
    first.close()
    assert not held(f"{database}-writer")


def test_reads_outside_a_transaction_take_no_lock(database):
    writer, reader = connect(database), connect(database)
    begin(writer)
    with reader.cursor() as cursor:  # WAL: a reader never waits for a writer
        cursor.execute("SELECT COUNT(*) FROM entry")
        assert cursor.fetchone() == (0,)
    end(writer)
    writer.close()
    reader.close()


def test_a_second_writer_waits_for_the_first_then_goes_on(database):
    first, order = connect(database), []
    begin(first)
    with first.cursor() as cursor:
        cursor.execute("INSERT INTO entry (who) VALUES ('first')")
    started = threading.Event()

    def second_writer():
        second = connect(database)
        started.set()
        begin(second)  # blocks here until the first commits
        with second.cursor() as cursor:
            cursor.execute("SELECT who FROM entry")
            order.append([row[0] for row in cursor.fetchall()])
            cursor.execute("INSERT INTO entry (who) VALUES ('second')")
        end(second)
        second.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    started.wait(5)
    thread.join(0.3)
    assert thread.is_alive(), "the second writer did not wait for the first"
    end(first)
    thread.join(10)
    assert not thread.is_alive()
    assert order == [["first"]]  # it began after the first commit, and saw it
    with first.cursor() as cursor:
        cursor.execute("SELECT who FROM entry ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    first.close()


def test_a_lock_held_past_the_timeout_leaves_the_wait_to_sqlite(database):
    """Never stuck behind a lock nobody releases: after the connection's timeout SQLite decides."""
    lock_file = f"{database}-writer"
    stray = os.open(lock_file, os.O_RDWR | os.O_CREAT)
    fcntl.flock(stray, fcntl.LOCK_EX)
    try:
        writer = connect(database, timeout=0.2)
        begin(writer)  # the file lock stays taken; SQLite itself is free
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO entry (who) VALUES ('anyway')")
        end(writer)
        writer.close()
    finally:
        os.close(stray)
    check = connect(database)
    with check.cursor() as cursor:
        cursor.execute("SELECT who FROM entry")
        assert cursor.fetchall() == [("anyway",)]
    check.close()


def test_without_a_lock_file_sqlite_alone_serialises_writers(database, monkeypatch):
    monkeypatch.setattr(DatabaseWrapper, "_writer_lock_path", lambda self: f"{database}.missing/writer")
    writer = connect(database)
    begin(writer)
    with writer.cursor() as cursor:
        cursor.execute("INSERT INTO entry (who) VALUES ('unlocked')")
    end(writer)
    with writer.cursor() as cursor:
        cursor.execute("SELECT who FROM entry")
        assert cursor.fetchall() == [("unlocked",)]
    writer.close()


def test_the_lock_file_is_readable_by_the_other_processes_users(database):
    writer = connect(database)
    begin(writer)
    end(writer)
    writer.close()
    assert os.stat(f"{database}-writer").st_mode & 0o044 == 0o044 & ~current_umask()


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_an_in_memory_database_has_no_lock_file(tmp_path):
    memory = connect(":memory:")
    begin(memory)
    end(memory)
    memory.close()
    assert not list(tmp_path.iterdir())
