"""Issue 15, item 2: production defaults serve anonymous pages from one page cache that every worker shares.

A real gunicorn with two workers, DEBUG off and no CACHE_URL (the embedded file cache,
tests/security/gunicorn_server.py), on a temporary database with the demo content. Both
workers serve the cached page; then another process (as the admin, or the scheduler's
publishing job, would) publishes a new title. The very next requests, on both workers, show
it: the content generation lives in the shared cache, not in each worker. Timings belong in
bench/, never here.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.migrated_db import copy_migrated_database
from tests.security.gunicorn_server import Gunicorn, manage, server_env

READ_PAGES = """
import json
from blog.models import ArticlePage, BlogIndexPage
article = ArticlePage.objects.live().order_by("path").first()
print(json.dumps({"article": article.url, "title": article.title, "index": BlogIndexPage.objects.live().first().url}))
"""

PUBLISH = """
from blog.models import ArticlePage
article = ArticlePage.objects.live().order_by("path").first()
article.title = "{title}"
article.save_revision().publish()
"""


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shared-page-cache")
    # The production defaults: no CACHE_URL, PAGE_CACHE_SECONDS or CONTENT_CACHE_SECONDS.
    env = server_env(tmp, MEDIA_ROOT=str(tmp / "media"))
    copy_migrated_database(tmp / "site.sqlite3")  # what `manage.py migrate` makes, migrated once per run
    manage(env, "load_demo_content", "-v", "0", timeout=300)
    pages = json.loads(manage(env, "shell", "-c", READ_PAGES).strip().splitlines()[-1])
    server = Gunicorn(env, tmp / "gunicorn.log")
    try:
        server.wait_ready()
        yield server, env, pages
    finally:
        server.stop()


def _round(server, path: str, agent: str, count: int = 16) -> list[tuple[int, dict, str]]:
    """``count`` GETs from 4 threads on fresh connections (so both workers answer), tagged by User-Agent."""

    def get(_):
        status, headers, body = server.request("GET", path, headers={"User-Agent": agent})
        return status, headers, body.decode()

    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(get, range(count)))


def _pids(server, agent: str, count: int) -> set[str]:
    """The pids of the workers that answered the ``count`` requests tagged ``agent`` (gunicorn's access log)."""
    pattern = re.compile(rf'"{re.escape(agent)}" \S+ <(\d+)>$', re.M)
    deadline = time.monotonic() + 5
    while len(found := pattern.findall(server.log())) < count and time.monotonic() < deadline:
        time.sleep(0.05)  # a worker writes its access line after sending the response
    return set(found)


def _served_by_both(server, path: str, agent: str) -> list[tuple[int, dict, str]]:
    for attempt in range(5):  # the kernel may hand every connection to one worker: try again
        responses = _round(server, path, f"{agent}-{attempt}")
        if len(_pids(server, f"{agent}-{attempt}", len(responses))) == 2:
            return responses
    pytest.fail(f"one worker answered every request:\n{server.log()[-3000:]}")


def test_a_publish_reaches_every_worker_at_once(demo_server):
    server, env, pages = demo_server
    for path in (pages["article"], pages["index"]):
        before = _served_by_both(server, path, "before")
        assert all(status == 200 for status, _, _ in before)
        # Served from the cache by both workers: one page cache for the machine.
        assert {headers.get("X-Page-Cache") for _, headers, _ in before} <= {"hit", "miss"}
        assert any(headers.get("X-Page-Cache") == "hit" for _, headers, _ in before)
        assert all(pages["title"] in body for _, _, body in before)

    new_title = "Five gentle stretches, revised"
    manage(env, "shell", "-c", PUBLISH.format(title=new_title))

    for path in (pages["article"], pages["index"]):
        after = _served_by_both(server, path, "after" + path.replace("/", "-"))
        assert all(status == 200 for status, _, _ in after)
        stale = [headers.get("X-Page-Cache") for _, headers, body in after if new_title not in body]
        assert stale == [], f"{len(stale)} stale answers on {path}"
        # Cached again under the new generation, whichever worker answers.
        assert any(headers.get("X-Page-Cache") == "hit" for _, headers, _ in after)
