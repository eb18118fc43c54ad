from __future__ import annotations

import pytest

from tests.migrated_db import copy_migrated_database

from .gunicorn_server import Gunicorn, server_env


@pytest.fixture(scope="session")
def production_server(tmp_path_factory):
    """Two gunicorn workers with production settings and no CACHE_URL, on a migrated temporary database."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = server_env(tmp)
    copy_migrated_database(tmp / "site.sqlite3")  # what `manage.py migrate` makes, migrated once per run
    server = Gunicorn(env, tmp / "gunicorn.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
