"""A migrated SQLite database file for tests that run the site in other processes (gunicorn, `make demo`).

Migrating a fresh database takes about 12 s of CPU (every app's migrations, Wagtail's
included). Each of those tests used to run ``manage.py migrate`` on a database of its
own; now one database is migrated once, the same way (``manage.py migrate`` in a
subprocess), and every test gets a copy of that file: a real migrated database,
its own, that no other test sees.

The migrated template is kept in the system temp directory under a key made of
everything that decides what migrating produces: the project's migration files and
settings, the installed distributions and the Python version. A lock makes the two
xdist workers (or two concurrent runs) build it once; it is written to a temporary
name and renamed into place only when complete.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".venv", ".git", "node_modules", "var", "media", "staticfiles", "test-artifacts", ".pytest_cache"}


def _key() -> str:
    digest = hashlib.sha256(sys.version.encode())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()):
        digest.update(dist.encode())
    files = [PROJECT_DIR / "site" / "settings.py"]
    for root, dirs, names in os.walk(PROJECT_DIR):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        if Path(root).name == "migrations":
            files += [Path(root) / name for name in sorted(names) if name.endswith(".py")]
    for path in files:
        digest.update(str(path.relative_to(PROJECT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def _migrate(target: Path) -> None:
    # The environment of the tests that use it (tests/security/gunicorn_server.py): production
    # settings on this SQLite file, nothing inherited from the test run.
    from tests.security.gunicorn_server import manage, server_env

    env = server_env(target.parent, DATABASE_URL=f"sqlite:///{target}", CACHE_DIR=str(target.parent / "cache"))
    manage(env, "migrate", "--no-input", "-v", "0")
    # WAL mode: make sure everything is in the main file, so one file is the whole database.
    connection = sqlite3.connect(target)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def template() -> Path:
    """The migrated template database, built on first use."""
    directory = Path(tempfile.gettempdir()) / f"runway-migrated-sqlite-{os.getuid()}"
    directory.mkdir(exist_ok=True)
    path = directory / f"{_key()}.sqlite3"
    if path.exists():
        return path
    with (directory / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            building = Path(tempfile.mkdtemp(dir=directory)) / "site.sqlite3"
            try:
                _migrate(building)
                os.replace(building, path)
            finally:
                shutil.rmtree(building.parent, ignore_errors=True)
            _prune(directory, keep=path)
    return path


def _prune(directory: Path, *, keep: Path) -> None:
    """Drop templates of other migration states not used for a day (another checkout may still copy a newer one)."""
    stale = time.time() - 24 * 3600
    for old in directory.glob("*.sqlite3"):
        if old != keep and old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)


def copy_migrated_database(target: Path) -> Path:
    """Put a copy of the migrated template at ``target`` (a SQLite file no other test uses)."""
    shutil.copyfile(template(), target)
    return target
