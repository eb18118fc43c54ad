"""Pages the request has loaded already, by id: the nav's sections, the site's root page.

A rich text link to one of them (richtext.py) needs no query. Kept for one request only:
:func:`scope`, which the page cache middleware opens around every request; outside one
(a management command, a test without the middleware) nothing is kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_pages: ContextVar[dict[int, Any] | None] = ContextVar("known_pages", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Keep the pages :func:`known_pages` is told of until the block ends (one request)."""
    token = _pages.set({})
    try:
        yield
    finally:
        _pages.reset(token)


def known_pages(pages: Iterable[Any]) -> None:
    """Pages this request has loaded (as their own type, or deferred to it)."""
    found = _pages.get()
    if found is not None:
        for page in pages:
            found[page.pk] = page


def pages() -> dict[int, Any]:
    """The pages known to this request, by id (none outside a request's scope)."""
    return _pages.get() or {}
