"""SQLite statements converted once per SQL text (site/sqlite/base.py ``qmark_sql``): the same
statements as Django's SQLite cursor, and the same results. How much time it saves is measured
by ``make bench``, never here."""

from __future__ import annotations

import pytest
from django.db.backends.sqlite3.base import SQLiteCursorWrapper

from site.sqlite import base as sqlite_base
from tests.site.test_sqlite_writers import connect

STATEMENTS = [
    "SELECT %s",
    "SELECT %s, %s WHERE x LIKE 'a%%' ESCAPE '\\'",
    "SELECT '%%s' || %s",  # a literal %s (escaped) stays one
    "SELECT 1",
    "SELECT strftime('%%Y', 'now'), %s",
]


@pytest.fixture(autouse=True)
def fresh_memo(django_db_blocker):
    # Connections to a file of the test's own, not to the test database.
    sqlite_base.qmark_sql.cache_clear()
    with django_db_blocker.unblock():
        yield
    sqlite_base.qmark_sql.cache_clear()


@pytest.mark.parametrize("sql", STATEMENTS)
def test_the_same_statement_as_djangos_cursor(sql):
    theirs = SQLiteCursorWrapper.convert_query(None, sql)
    assert sqlite_base.qmark_sql(sql) == theirs
    assert sqlite_base.CursorWrapper.convert_query(None, sql) == theirs


def test_a_statement_is_converted_once_and_named_parameters_as_django_does(tmp_path):
    wrapper = connect(tmp_path / "statements.sqlite3")
    try:
        with wrapper.cursor() as cursor:
            assert isinstance(cursor.cursor, sqlite_base.CursorWrapper)
            for value in (1, 2, 3):
                cursor.execute("SELECT %s, strftime('%%Y', '2026-12-02'), '%%s'", [value])
                assert cursor.fetchone() == (value, "2026", "%s")
            cursor.execute("SELECT %(a)s + %(b)s", {"a": 2, "b": 3})
            assert cursor.fetchone() == (5,)
    finally:
        wrapper.close()
    info = sqlite_base.qmark_sql.cache_info()
    assert (info.misses, info.hits) == (1, 2)
