"""gunicorn.conf.py's ``post_worker_init``: the loaded application's objects are frozen out of the
garbage collector's full collections (their pause showed as the p99 of uncached pages; measured by
``make bench``, never here)."""

from __future__ import annotations

import gc
import runpy

from tests.site.test_settings import PROJECT_DIR


def test_a_worker_freezes_what_the_application_loaded():
    conf = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    loaded = [object() for _ in range(3)]  # something the application made
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
        later = [object()]  # what a request makes afterwards
        tracked = gc.get_objects()
        assert not any(item is loaded for item in tracked)  # out of the collector's sight
        assert any(item is later for item in tracked)
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
