"""Moved to home/performance/queries.py; this path stays for the page models (home.models,
blog.models), home.selectors and the template tags, which import it."""

from home.performance.queries import (  # noqa: F401 - re-exported
    CARD_RENDITIONS,
    FIGURE_RENDITIONS,
    PREFETCH_ATTR,
    CachedCountPaginator,
    Deferred,
    PreparedIdsQuery,
    PreparedQuery,
    alias_paths,
    ancestors,
    attach_cached_site,
    attach_renditions,
    children_paths,
    excluding_restricted,
    prefetch_stream_renditions,
    public,
    public_pages,
    renditions_prefetch,
    restricted_paths,
    site_root,
)
