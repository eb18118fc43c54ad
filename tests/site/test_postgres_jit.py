"""On PostgreSQL the site's connections run without JIT compilation (site/settings.py): a page's
queries take milliseconds, and a join the planner overestimated on the benchmark's fresh database
(a page of search results read as its own types) spent 440 ms compiling for 0.1 ms of work. On
SQLite there is no JIT: nothing to check."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")


def test_connections_run_without_jit(db):
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
