"""Performance: the caching, prefetching and routing shortcuts of the public site, in one place.

* ``generation`` — the site-wide content generation (bumped by every change a visitor
  could see) and :func:`~home.performance.generation.cached`; kept in the default cache,
  which every worker shares in production (site/cache.py, or Redis).
* ``prefetch`` — a request's content-cache reads in three round trips where the cache
  batches (Redis), and the memo ``generation.lookup`` and fragments answer from.
* ``renditions`` — every rendition spec the templates and the API use, and shared
  ``Filter`` objects.
* ``wagtail_internals`` — the one adapter over what Wagtail keeps private
  (``request._wagtail_site``, ``StreamValue._raw_data``, ``prefetched_renditions``,
  ``_cached_parent_obj``).
* ``queries`` — public querysets, restricted paths, rendition prefetching, the Site in one query.
* ``fragments`` — ``{% contentcache %}``: Wagtail's ``{% wagtailpagecache %}`` keyed by
  the generation and the full path.
* ``middleware`` — the anonymous whole-page cache.

Empty on purpose: import the module you need (each sits in its own layer, docs/architecture.md).
"""
