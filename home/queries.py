"""Moved to home/performance/queries.py; this path stays for the page models (home.models,
blog.models), home.selectors and the template tags, which import it."""

from home.performance.listings import (  # noqa: F401 - re-exported
    CachedCountPaginator,
    Deferred,
    PagedListing,
    chosen_first,
    for_cards,
)
from home.performance.prepared import given, given_values  # noqa: F401 - re-exported
from home.performance.queries import (  # noqa: F401 - re-exported
    CARD_RENDITIONS,
    FIGURE_RENDITIONS,
    PreparedIdsQuery,
    PreparedQuery,
    alias_paths,
    ancestors,
    attach_cached_site,
    attach_renditions,
    children_paths,
    excluding_restricted,
    folded,
    folded_first,
    folded_keys,
    give_card_renditions,
    known_pages,
    prefetch_children,
    prefetch_stream_renditions,
    public,
    public_pages,
    renditions_prefetch,
    restricted_paths,
    site_root,
    with_card_renditions,
)
