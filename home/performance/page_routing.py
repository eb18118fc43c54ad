"""Routing through the page tree one query per level, with the served page's images loaded up front.

Wagtail's ``Page.route`` looks a child up by slug and then loads it as its own type (two
queries per level), and the template, the meta tags and the structured data then read
the served page's hero and share images, their renditions and its relations, one query
each, some of them more than once. :class:`OneQueryRouting` is Wagtail's routing with:

* a child of a page type that allows one subpage type loaded as that type directly (one
  query), and a child the request already knows (the home page's sections, read for the
  nav) loaded by id, or passed through without a query when routing goes deeper;
* the page being served loaded with what its type declares it shows
  (``served_hero_renditions``: its hero and share images with those renditions;
  ``served_related``: relations, while the content cache is off; ``served_streams``: the
  renditions of every figure in those StreamFields, in the same query as the hero's;
  ``served_joined``: foreign keys joined to its own query, as the images are; a site's
  home page gets all of these joined to the Site query, queries.load_site);
* each child's parent left on it, so the breadcrumbs need no query;
* each of these queries built and compiled to SQL once per type and connection
  (``PreparedQuery``): building it cost more than running it;
* and the way out, a page's URL, without reversing Wagtail's serve pattern for each link
  (``page_urls.MemoizedPageUrls``).

Anything else (another page type, a slug not found this way) goes Wagtail's own way. With
the content cache on, the route found here is kept for the next request (routing.py).
Page models list the mixin before ``Page`` (after ``RoutablePageMixin``, so sub-routes are
tried first) and declare what they show; they hold no routing code of their own.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.http import Http404
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page

from . import generation as content_cache
from . import queries
from . import wagtail_internals as internals
from .page_urls import MemoizedPageUrls
from .prepared import PreparedQuery


class OneQueryRouting(MemoizedPageUrls):
    # What the template of this page type shows when it is the page served: None loads nothing
    # more; a tuple of rendition specs loads its hero and share images with those renditions.
    served_hero_renditions: tuple[str, ...] | None = None
    # Relations its template reads (prefetched, one query each, while the content cache is off).
    served_related: tuple[str, ...] = ()
    # StreamFields it renders: the renditions of all their figures in one query.
    served_streams: tuple[str, ...] = ()
    # Foreign keys its template reads, joined to the page's own query.
    served_joined: tuple[str, ...] = ()

    def known_children(self, request) -> Iterable[Page]:
        """Children this request has already read (as their own type, fields possibly deferred)."""
        return ()

    def route(self, request, path_components):
        if not path_components:
            if self.live and self.served_hero_renditions is not None and not queries.served_loaded(self):
                queries.prefetch_served(self, self.served_hero_renditions)  # a site root page
        else:
            child = self._child(request, path_components[0], path_components[1:])
            if child is not None:
                internals.set_cached_parent(child, self)
                return child.route(request, path_components[1:])
        return super().route(request, path_components)

    def _child(self, request, slug: str, rest: list[str]):
        known = next((page for page in self.known_children(request) if page.slug == slug), None)
        if known is not None:
            model = known.specific_class
            if model is None or not known.path.startswith(self.path) or known.depth != self.depth + 1:
                return None
            served = _serves(model, rest)
            if isinstance(known, model) and not (served and known.get_deferred_fields()):
                found = [known]  # only passed through, or read whole already (the sections, with the nav)
            else:
                found = _child_query(model, served, known=True, related=_folds_related())(
                    pk=known.pk, slug=slug, path=known.path
                )
        else:
            allowed = type(self).allowed_subpage_models()
            if len(allowed) != 1:
                return None
            model = allowed[0]
            served = _serves(model, rest)
            first, last = queries.children_paths(self.path)
            query = _child_query(model, served, known=False, related=_folds_related())
            found = query(depth=self.depth + 1, first=first, last=last, slug=slug)
        child = found[0] if found else None
        if served and child is not None:
            queries.served_folds(model, related=_folds_related()).give(child)
            hero_specs = getattr(model, "served_hero_renditions", None)
            streams = [getattr(child, name) for name in getattr(model, "served_streams", ())]
            if hero_specs is not None:
                queries.prefetch_served(child, hero_specs, *model.served_related, streams=streams)
            else:
                for stream in streams:
                    queries.prefetch_stream_renditions(stream)
        return child


def _serves(model: type[Page], rest: list[str]) -> bool:
    """Whether a page of type ``model`` answers the rest of the path itself: there is none, or it
    is one of the page's own routes (``RoutablePageMixin``: the journal's topic listings)."""
    if not rest:
        return True
    if not issubclass(model, RoutablePageMixin):
        return False
    try:
        model.get_resolver().resolve("/" + "/".join(rest) + "/")
    except Http404:
        return False
    return True


def _folds_related() -> bool:
    """Whether the page served comes with its relations (with the content cache off; prefetch_served)."""
    return content_cache.content_timeout() <= 0


@functools.cache
def _child_query(model: type[Page], served: bool, *, known: bool, related: bool) -> PreparedQuery:
    """The query finding a child of type ``model`` by its slug: by its id and path when the request
    read it already (``known``), else under its parent. A page being served comes with its hero and
    share images joined, and their renditions and (``related``) its relations folded in
    (queries.ServedFolds). Built and compiled once per connection (home/performance/prepared.py)."""
    joined = queries.served_joins(model) if served else ()
    columns = queries.served_folds(model, related=related).columns() if served else {}

    def join(pages):
        pages = pages.select_related(*joined) if joined else pages  # select_related(): every foreign key
        return pages.annotate(**columns) if columns else pages

    if known:
        return PreparedQuery(
            lambda pk, slug, path: join(model.objects.filter(pk=pk, slug=slug, path=path)),
            pk=int,
            slug=str,
            path=str,
        )

    def under_parent(depth, first, last, slug):
        return join(model.objects.filter(depth=depth, path__range=(first, last), slug=slug))[:1]

    return PreparedQuery(
        under_parent,
        depth=int,
        first=str,
        last=str,
        slug=str,
    )
