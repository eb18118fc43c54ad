"""The migrated template databases the subprocess tests copy (tests/migrated_db.py) do not pile up in /tmp."""

from __future__ import annotations

import os
import time

from tests.migrated_db import _prune


def test_templates_of_other_migration_states_go_after_a_day(tmp_path):
    keep, recent, old = (tmp_path / f"{name}.sqlite3" for name in ("keep", "recent", "old"))
    for path in (keep, recent, old):
        path.write_bytes(b"")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(keep, (two_days_ago, two_days_ago))  # the current one stays, however old
    (tmp_path / "lock").write_text("")

    _prune(tmp_path, keep=keep)

    assert sorted(path.name for path in tmp_path.iterdir()) == ["keep.sqlite3", "lock", "recent.sqlite3"]
