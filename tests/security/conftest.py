from __future__ import annotations

import pytest

from .gunicorn_server import Gunicorn, manage, server_env


@pytest.fixture(scope="session")
def production_server(tmp_path_factory):
    """Two gunicorn workers with production settings and no CACHE_URL, on a migrated temporary database."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = server_env(tmp)
    manage(env, "migrate", "--no-input", "-v", "0")
    server = Gunicorn(env, tmp / "gunicorn.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()
