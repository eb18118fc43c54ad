"""Moved to home/performance/generation.py; this path stays for the shop (packages/storefront/api.py),
home.selectors and home.apps, which import it."""

from home.performance.generation import (  # noqa: F401 - re-exported
    GENERATION_KEY,
    READS_NO_SITE,
    cached,
    connect_signals,
    content_timeout,
    generation,
    invalidate,
    reads_no_site,
)
