"""Test data built once and shared by many tests, the way Django's ``TestCase.setUpTestData`` does.

``site_tree`` (tests/conftest.py) and ``shop`` (tests/packages/conftest.py) took about a
third of the suite's time when every test rebuilt them (Wagtail page saves, revisions,
search and reference index updates). Now each is built once, inside an outer transaction
(one atomic block per level: the tree, then the shop on top of it) that stays open while
the tests that use it run. Every test still runs in its own transaction on top
(pytest-django's ``db``), rolled back at its end, so the shared rows are back as built for
the next test. Each test gets deep copies of the built objects (as ``setUpTestData`` gives
each test method), so changing them in one test never shows in another.

The levels are set before a test's fixtures use the database (tests/pytest_plugin.py: a
``pytest_runtest_setup`` hook drops levels before any fixture runs, an autouse fixture
ordered ahead of pytest-django's builds the missing ones): exactly the levels the test
asks for, none for a database test that asks for neither, and none before a transactional
test (live server, browser), which must see only what migrations made and would be blocked
by the open transaction. A test that reaches the fixtures another way (``getfixturevalue``,
an override) builds its own copy inside its transaction, as before.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# The shareable fixtures, lowest level first: (fixture name, module that defines it).
LEVELS = (("site_tree", "tests.conftest"), ("shop", "tests.packages.conftest"))
TRANSACTIONAL_FIXTURES = {
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}
DATABASE_FIXTURES = {"db", *TRANSACTIONAL_FIXTURES}


@dataclass
class Level:
    name: str
    atomic: Any
    value: Any
    connection: Any


@dataclass
class SharedData:
    levels: list[Level] = field(default_factory=list)
    memo: dict = field(default_factory=dict)  # per test: shared objects keep their identities in the copies
    builders: dict[str, Callable[[], Any]] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [level.name for level in self.levels]

    def common_depth(self, wanted: list[str]) -> int:
        """How many of the current levels ``wanted`` starts with."""
        depth = 0
        while depth < min(len(wanted), len(self.levels)) and self.levels[depth].name == wanted[depth]:
            depth += 1
        return depth

    def pop_to(self, depth: int) -> None:
        from django.db import DEFAULT_DB_ALIAS, connections, transaction

        while len(self.levels) > depth:
            level = self.levels.pop()
            if level.connection is connections[DEFAULT_DB_ALIAS]:
                transaction.set_rollback(True)
                level.atomic.__exit__(None, None, None)
            else:
                # Playwright's sync API switches the context that Django's connections are kept in:
                # this is no longer the connection the level was built on. Closing that one ends
                # (rolls back) its transaction.
                level.connection.close()
                self.levels.clear()

    def push(self, name: str, build: Callable[[], Any]) -> None:
        from django.db import DEFAULT_DB_ALIAS, connections, transaction

        atomic = transaction.atomic()
        atomic._from_testcase = True  # as TestCase marks its own: durable blocks inside tests still work
        atomic.__enter__()
        try:
            value = build()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        self.levels.append(Level(name, atomic, value, connections[DEFAULT_DB_ALIAS]))

    def get(self, name: str, build: Callable[[], Any]) -> Any:
        """A deep copy of the shared ``name`` when this test's levels hold it, else ``build()`` here and now."""
        for level in self.levels:
            if level.name == name:
                return copy.deepcopy(level.value, self.memo)
        return build()


shared = SharedData()


def is_django_test_case(item) -> bool:
    from django.test import TransactionTestCase

    cls = getattr(item, "cls", None)
    return cls is not None and issubclass(cls, TransactionTestCase)


def wanted_levels(item) -> list[str] | None:
    """The shared levels ``item`` should run on; None for a test that doesn't use the database.

    Django's own test case classes (tests/api) are left alone here: their class set-up opens
    their transaction before any function fixture runs, so the levels are dropped for them
    earlier, by the ``pytest_runtest_setup`` hook in tests/pytest_plugin.py.
    """
    if is_django_test_case(item):
        return None
    names = set(item.fixturenames)
    marker = item.get_closest_marker("django_db")
    if marker is None and not names & DATABASE_FIXTURES:
        return None
    if names & TRANSACTIONAL_FIXTURES:
        return []
    if marker is not None:
        kwargs = dict(marker.kwargs)
        if marker.args:
            kwargs.setdefault("transaction", marker.args[0])
        if kwargs.get("transaction") or kwargs.get("reset_sequences") or kwargs.get("serialized_rollback"):
            return []
        if set(kwargs.get("databases") or ["default"]) - {"default"}:
            return []
    wanted = []
    definitions = item._fixtureinfo.name2fixturedefs
    for name, module in LEVELS:
        defs = definitions.get(name)
        if name not in names or not defs or getattr(defs[-1].func, "__module__", None) != module:
            break  # an override (tests/packages/test_webhooks.py's small tree) builds its own
        wanted.append(name)
    return wanted
