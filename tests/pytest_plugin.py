"""Loaded with ``-p tests.pytest_plugin`` (pyproject.toml), before pytest-django reads settings.

It does two things that must happen before Django starts:
- installs the ``site/`` bootstrap (see site_bootstrap.py), so ``site.settings`` imports;
- sets the test environment: tasks run immediately (Wagtail's index updates
  included), plain static storage, and the offline Stripe stand-in unless a
  test opts into real mode with its own settings; with a Redis cache and xdist,
  one Redis database per worker.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

# PYTHONDONTWRITEBYTECODE (set on some machines, CI's among them) also stops pytest from caching
# its assertion-rewritten test modules: every run, in every xdist worker, then rewrote and
# compiled ~440 modules again (collection 7.8 s instead of 4.0 s). Bytecode goes under
# .pytest_cache instead, which keeps the source tree as free of __pycache__ as the setting meant.
if sys.dont_write_bytecode and not sys.pycache_prefix:
    sys.pycache_prefix = str(Path(__file__).resolve().parents[1] / ".pytest_cache" / "pycache")
    sys.dont_write_bytecode = False

import site_bootstrap  # noqa: E402

site_bootstrap.install()

os.environ["TESTING"] = "1"
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
os.environ.setdefault("DEBUG", "1")
os.environ["STRIPE_SECRET_KEY"] = ""
os.environ["STRIPE_WEBHOOK_SECRET"] = ""
os.environ.setdefault("EMAIL_URL", "consolemail://")


def _redis_url_for_worker(url: str, worker: int) -> str:
    """``url`` pointing at the Redis database ``worker`` places after its own (``/1`` → ``/2`` for gw1)."""
    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(base + worker) % 16}"))


# Parallel workers sharing one Redis (the PostgreSQL pass of .ci/run): Django's RedisCache.clear(),
# which tests call to start clean, is FLUSHDB, so each xdist worker gets a Redis database of its own.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker.startswith("gw") and _worker[2:].isdigit():
    for _name in ("CACHE_URL", "REDIS_URL"):
        if os.environ.get(_name, "").startswith(("redis://", "rediss://")):
            os.environ[_name] = _redis_url_for_worker(os.environ[_name], int(_worker[2:]))


# --- Shared test data (tests/shared_data.py) -------------------------------------------------------
# Defined here rather than in tests/conftest.py so that this autouse fixture runs before
# pytest-django's (a plugin registered after this one), whose ``django_db`` marker opens the
# test's transaction: the shared levels must be in place, or gone, before that.

import pytest  # noqa: E402


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Drop the shared levels a test must not see before any of its fixtures run.

    Before, not in the autouse fixture: a session fixture a test brings in first (the browser
    tests' Playwright) or a Django test case class's set-up (a class fixture, which opens its
    transaction) would otherwise run while the shared transaction is still open.
    """
    from tests.shared_data import is_django_test_case, shared, wanted_levels

    if not shared.levels:
        return
    wanted = [] if is_django_test_case(item) else wanted_levels(item)
    if wanted is None and "browser" in item.fixturenames:
        wanted = []  # Playwright's start switches the context Django keeps connections in
    if wanted is None:
        return
    from pytest_django.plugin import blocking_manager_key

    with item.config.stash[blocking_manager_key].unblock():
        shared.pop_to(shared.common_depth(wanted))


@pytest.fixture(scope="session")
def _shared_data_stack(django_db_setup, django_db_blocker):
    from tests.shared_data import shared

    yield shared
    with django_db_blocker.unblock():
        shared.pop_to(0)


@pytest.fixture(autouse=True)
def _shared_data_levels(request):
    from tests.shared_data import wanted_levels

    wanted = wanted_levels(request.node)
    if wanted is None:
        yield
        return
    stack = request.getfixturevalue("_shared_data_stack")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock():
        from django.db import connection

        if len(connection.atomic_blocks) != len(stack.levels):
            raise RuntimeError(
                f"{request.node.nodeid}: a transaction was opened before the shared test data was set "
                f"({len(connection.atomic_blocks)} atomic blocks, {len(stack.levels)} shared levels)"
            )
        stack.pop_to(stack.common_depth(wanted))
        for name in wanted[len(stack.levels) :]:
            stack.push(name, stack.builders[name])
    stack.memo = {}
    yield
    stack.memo = {}


# --- xdist: one test at a time, except tests that share processes -----------------------------------
# `--dist loadgroup` (pyproject.toml) hands out one test at a time, in collection order, so both
# workers finish together. The tests of a fixture that starts processes once per worker must run
# on one worker, or both start them: the thirteen `manage.py check` processes of test_settings'
# module fixture, the two gunicorn workers of the production_server session fixture. pytest-xdist's
# own xdist_group marks do nothing under pytest 9.2 (xdist 3.8 renames node ids through
# ``item._nodeid``, which pytest no longer reads), so the groups are node-id prefixes here, and
# tests/conftest.py fails the collection if a test using one of these fixtures is missing.
XDIST_GROUPS = {
    "tests/site/test_settings.py::": "manage-check",
    "tests/security/test_log_redaction.py::test_gunicorn_access_log_has_no_secrets": "production-server",
    "tests/security/test_proxy_trust.py::test_real_gunicorn_ignores_a_forged_forwarded_proto": "production-server",
    "tests/security/test_shared_cache.py::": "production-server",
}
XDIST_GROUP_FIXTURES = {"manage_check": "manage-check", "production_server": "production-server"}


def xdist_group(nodeid: str) -> str | None:
    for prefix, group in XDIST_GROUPS.items():
        if nodeid.startswith(prefix):
            return group
    return None


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class GroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return xdist_group(nodeid) or super()._split_scope(nodeid)

    return GroupScheduling(config, log)
