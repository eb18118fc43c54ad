"""Serving a page: Wagtail's view-restriction check, skipped for pages no restriction can reach.

Wagtail checks every page it serves for view restrictions on the page and its
ancestors (two queries: the ancestors, then their restrictions). The paths of every
restricted page and every alias are already read once per request (and kept in the
content cache, home/performance/queries.py), so a page whose path starts with none of
them is served straight away; any other page goes through Wagtail's own check, forms
and login redirects unchanged. Installed in place of Wagtail's hook by home/wagtail_hooks.py.
"""

from __future__ import annotations

from wagtail.wagtail_hooks import check_view_restrictions as wagtail_check_view_restrictions

from . import queries


def reaches_no_restriction(page, request) -> bool:
    """No view restriction on the page or an ancestor, and no alias on its way (whose source's would apply)."""
    path = page.path
    restricted = queries.restricted_paths(request)
    if restricted and path.startswith(restricted):
        return False
    aliases = queries.alias_paths(request)
    return not (aliases and path.startswith(aliases))


def check_view_restrictions(callback):
    wagtail_inner = wagtail_check_view_restrictions(callback)

    def inner(page, request, serve_args, serve_kwargs):
        if request is not None and reaches_no_restriction(page, request):
            return callback(page, request, serve_args, serve_kwargs)
        return wagtail_inner(page, request, serve_args, serve_kwargs)

    return inner
