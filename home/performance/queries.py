"""Query helpers for public pages: a fixed number of queries whatever the amount of content.

* Rendition specs used by the templates, so listings can prefetch exactly the
  renditions their cards render (one query per listing, never one per card).
* :func:`public` — ``.public()`` with the view restrictions read once per request
  (and kept in the content cache).
* :func:`attach_renditions` — the renditions of any set of images in one query
  (the headless API's listings: home/api/loaders.py ``prepare_pages``).
* :func:`load_site`, :func:`attach_cached_site`, :func:`site_root` — the request's Site,
  its root page and its settings in one query (and kept in the content cache).

Below every page model: this module imports no model of the project (the reads
that name page types are in home/selectors.py).
"""

from __future__ import annotations

import functools
from typing import Any

from django.core.exceptions import DisallowedHost, ObjectDoesNotExist
from django.db.models import (
    Case,
    IntegerField,
    Model,
    Prefetch,
    Q,
    StringAgg,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.http.request import split_domain_port
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.models.sites import MATCH_DEFAULT, MATCH_HOSTNAME, MATCH_HOSTNAME_DEFAULT, MATCH_HOSTNAME_PORT

from . import generation as content_cache
from . import renditions as specs
from . import wagtail_internals as internals
from .folded import FOLDED_SPECS, FoldedFirst, FoldedKeys, FoldedRelation, FoldedRenditions
from .known import known_pages
from .prepared import PreparedIdsQuery, PreparedQuery, PreparedRelation

# Keep in step with the templates (a test renders them with the rendition cache off
# and counts queries, so a spec missing here shows up there).
CARD_RENDITIONS = specs.CARD  # includes/*_card.html
FIGURE_RENDITIONS = specs.FIGURE  # blocks/figure_block.html


# Prefetched renditions go to the attribute Wagtail reads them from (``prefetched_renditions``), not
# to the ``renditions`` manager: a filtered prefetch there would become that image's manager for the
# rest of the request, and looking up any other spec through it would find nothing.
PREFETCH_ATTR = internals.PREFETCHED_RENDITIONS


# The renditions a listing's card shows, folded into the listing's query (folded.py).
_CARD_FOLD = FoldedRenditions(CARD_RENDITIONS, "card")


def with_card_renditions(queryset, image_key: str = "hero_image_id"):
    """``queryset`` with the card renditions of the image whose key is at ``image_key`` folded in
    (given by :func:`give_card_renditions`): no query of their own for a listing's cards."""
    return queryset.annotate(**_CARD_FOLD.column(image_key))


def give_card_renditions(image, holder) -> None:
    """Give ``image`` the card renditions folded into the query that loaded ``holder`` (if it did)."""
    _CARD_FOLD.give(image, holder=holder)


@functools.cache
def folded(model: type[Model], name: str) -> FoldedRelation:
    """The relation ``name`` of ``model`` folded into the query loading its instances (folded.py)."""
    return FoldedRelation(model, name)


@functools.cache
def folded_keys(model: type[Model], name: str) -> FoldedKeys:
    """The keys the many-to-many field ``name`` of ``model`` links to, folded into the query loading
    its instances (folded.py)."""
    return FoldedKeys(model, name)


@functools.cache
def folded_first(model: type[Model], relation: str, order_by: tuple[str, ...], name: str) -> FoldedFirst:
    """The first row of the child relation ``relation`` of ``model`` by ``order_by``, folded into the
    query loading its instances and given as their attribute ``name`` (folded.py)."""
    return FoldedFirst(model, relation, order_by, name=name)


def _renditions(specs):
    return get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs)


def renditions_prefetch(lookup: str, specs=CARD_RENDITIONS) -> Prefetch:
    """``prefetch_related`` argument loading the renditions ``specs`` of the image at ``lookup``."""
    return Prefetch(f"{lookup}__renditions", queryset=_renditions(specs), to_attr=PREFETCH_ATTR)


@functools.lru_cache(maxsize=32)
def _renditions_of(specs: tuple[str, ...]) -> PreparedIdsQuery:
    """The renditions ``specs`` of images by id: prepared per set of specs and number of images."""
    return PreparedIdsQuery(lambda ids: _renditions(specs).filter(image_id__in=ids))


def _figure_images(stream_value) -> list:
    """The images of the figures in a StreamField value (converting its blocks: one query per chooser type)."""
    images = []
    for block in stream_value or ():
        if block.block_type == "figure":
            image = (block.value or {}).get("image")
            if image is not None:
                images.append(image)
    return images


def prefetch_stream_renditions(stream_value) -> None:
    """Prefetch the renditions of every figure image in a StreamField value (one query)."""
    attach_renditions(_figure_images(stream_value), FIGURE_RENDITIONS)


RESTRICTED, ALIAS = "restricted", "alias"
_SPECIAL_PATHS = "_special_page_paths"
_HOST = "_site_host_and_port"


def _all_paths(queryset, field: str) -> Subquery:
    """``field`` of every row of ``queryset``, joined by commas, as a subquery (a page path is
    made of digits and capital letters only)."""
    rows = queryset.order_by().annotate(whole=Value(1)).values("whole")
    return Subquery(rows.annotate(paths=StringAgg(field, Value(","))).values("paths"))


_SPECIAL_COLUMNS = {RESTRICTED: f"{RESTRICTED}_paths", ALIAS: f"{ALIAS}_paths"}


def _special_paths_columns() -> dict[str, Subquery]:
    """The restricted and alias paths as two columns of another query (the Site's, or the tree root's)."""
    return {
        _SPECIAL_COLUMNS[RESTRICTED]: _all_paths(PageViewRestriction.objects.all(), "page__path"),
        _SPECIAL_COLUMNS[ALIAS]: _all_paths(Page.objects.filter(alias_of__isnull=False), "path"),
    }


def _special_paths_of(row: dict[str, str | None]) -> dict[str, list[str]]:
    """The paths from the two columns of :func:`_special_paths_columns`, sorted."""
    found = {kind: (row.get(column) or "").split(",") for kind, column in _SPECIAL_COLUMNS.items()}
    return {kind: sorted(path for path in paths if path) for kind, paths in found.items()}


def _read_special_paths() -> dict[str, list[str]]:
    """The paths of restricted pages and of alias pages, in one query (on the tree's root page, which
    every Wagtail database has), when no Site query brought them."""
    columns = _special_paths_columns()
    row = Page.objects.filter(depth=1).order_by().annotate(**columns).values(*columns).first()
    return _special_paths_of(row or {})


def _special_paths(request) -> dict[str, list[str]]:
    """Restricted and alias paths: read once per request, with the Site (:func:`attach_cached_site`)."""
    if request is None:
        return _read_special_paths()
    paths = getattr(request, _SPECIAL_PATHS, None)
    if paths is None:
        # Restrictions, page moves and deletions all start a new content generation.
        paths = content_cache.cached("special-paths", _read_special_paths, request=request)
        setattr(request, _SPECIAL_PATHS, paths)
    return paths


def _restricted_paths(request) -> list[str]:
    """Paths of the pages with a view restriction."""
    return _special_paths(request)[RESTRICTED]


def restricted_paths(request) -> tuple[str, ...]:
    return tuple(_restricted_paths(request))


def alias_paths(request) -> tuple[str, ...]:
    """Paths of the alias pages (whose view restrictions are their source's)."""
    return tuple(_special_paths(request)[ALIAS])


@functools.lru_cache(maxsize=8)
def _images_with(specs: tuple[str, ...]) -> tuple[FoldedRenditions, PreparedIdsQuery]:
    fold = FoldedRenditions(specs, "by_id")
    query = PreparedIdsQuery(
        lambda ids: get_image_model().objects.filter(pk__in=ids).annotate(**fold.column("pk")), up_to=48
    )
    return fold, query


def images_with_renditions(ids, specs) -> dict[int, Any]:
    """The images ``ids``, one instance each, with their renditions ``specs`` folded in: one query
    (prepared per set of specs and number of images, up to 48). A listing that joined each page's
    images made an instance per page and image, several of the same image."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    fold, query = _images_with(tuple(specs))
    images = query(ids)
    for image in images:
        fold.give(image)
    return {image.pk: image for image in images}


def give_renditions_of(image, source) -> None:
    """Give ``image`` (another instance of the same image) the renditions ``source`` was given."""
    if image is None or source is None or not internals.has_prefetched_renditions(source):
        return
    internals.set_prefetched_renditions(image, internals.prefetched_renditions(source))
    folded = getattr(source, FOLDED_SPECS, None)
    if folded is not None:
        setattr(image, FOLDED_SPECS, folded)


def attach_renditions(images, specs) -> None:
    """Load the renditions ``specs`` of all ``images`` (model instances, copies allowed) in one query
    (prepared for up to 16 images).

    Instances of one image share one list, where Wagtail looks prefetched renditions up
    (and adds any rendition it has to create); the renditions point at the first instance.
    """
    pending = [image for image in images if image is not None and not _has_renditions(image, specs)]
    if not pending:
        return
    by_image: dict[int, list] = {image.pk: [] for image in pending}
    first = {}
    for image in pending:
        first.setdefault(image.pk, image)
    for rendition in _renditions_of(tuple(specs))(sorted(by_image)):
        rendition.image = first[rendition.image_id]
        by_image[rendition.image_id].append(rendition)
    for image in pending:
        internals.set_prefetched_renditions(image, by_image[image.pk])


def _has_renditions(image, specs) -> bool:
    """Whether ``image`` has its renditions ``specs`` prefetched (folded into its query, or otherwise)."""
    if not internals.has_prefetched_renditions(image):
        return False
    folded = getattr(image, FOLDED_SPECS, None)
    return folded is None or folded.issuperset(specs)


def prefetch_served(page, hero_specs, *related, streams=()) -> None:
    """The page being served, with what its template reads loaded up front.

    Its hero and share images (none when the page's query joined them), the ``related``
    many-to-many or child relations (one query each), and in one query the renditions of
    the hero (``hero_specs`` and for sharing), of the share image and of every figure in
    ``streams`` (its StreamField values). Each was read two or three times by the
    template, the meta tags and the structured data, one query every time. The relations
    only with the content cache off: with it on, the page's content (all that reads them)
    is usually cached.

    Called while routing, so with the content cache on what it loads goes into the cached
    route (home/performance/routing.py) and is read once per content generation.
    """
    if content_cache.content_timeout() > 0:
        related = ()
    given = getattr(page, "_prefetched_objects_cache", {})
    for name in related:
        if name not in given:  # not folded into the page's query (ServedFolds)
            _relation(type(page), name)(page)
    prefetch_related_objects([page], "hero_image", "share_image")
    figures = [image for stream in streams for image in _figure_images(stream)]
    # One query for all those not given theirs already (folded into their queries: ServedFolds, the
    # figures' chooser): an image given more renditions than it shows is harmless (Wagtail picks by
    # spec), one given fewer would look the missing ones up again.
    hero = (*hero_specs, *specs.SHARE)
    needs = [(page.hero_image, hero), (page.share_image, hero), *((image, FIGURE_RENDITIONS) for image in figures)]
    pending = [(image, wanted) for image, wanted in needs if image is not None and not _has_renditions(image, wanted)]
    if pending:
        wanted = dict.fromkeys(spec for _, specs_of in pending for spec in specs_of)
        attach_renditions([image for image, _ in pending], tuple(wanted))


class ServedFolds:
    """What the page being served is loaded with in its own query, or in the Site's for a site's
    root page (``prefix`` is the path to it, ``root_page__homepage__``): its ``served_related``
    relations (``related``: with the content cache off, as :func:`prefetch_served`) and its hero and
    share images' renditions, as folded columns (folded.py). :meth:`columns` to annotate that
    query with, :meth:`give` once it ran; :func:`prefetch_served` then reads only what is missing."""

    def __init__(self, model: type[Page], prefix: str = "", related: bool = True):
        tag = prefix.replace("__", "_")
        self.prefix = prefix
        names = getattr(model, "served_related", ()) if related else ()
        self.relations = [FoldedRelation(model, name, attr=f"{tag}{name}") for name in names]
        hero = getattr(model, "served_hero_renditions", None)
        self.images = []
        if hero is not None:
            wanted = tuple(dict.fromkeys((*hero, *specs.SHARE)))
            self.images = [(name, FoldedRenditions(wanted, f"{tag}{name}")) for name in ("hero_image", "share_image")]

    def columns(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for relation in self.relations:
            found.update(relation.column(f"{self.prefix}pk"))
        for name, renditions in self.images:
            found.update(renditions.column(f"{self.prefix}{name}_id"))
        return found

    def give(self, page, holder=None) -> None:
        """Give ``page`` what the query folded in, read from ``holder`` (the Site) or the page."""
        holder = page if holder is None else holder
        for relation in self.relations:
            relation.give(page, holder=holder)
        for name, renditions in self.images:
            renditions.give(getattr(page, name), holder=holder)


@functools.cache
def served_folds(model: type[Page], prefix: str = "", related: bool = True) -> ServedFolds:
    return ServedFolds(model, prefix, related)


@functools.cache
def _relation(model: type[Model], name: str) -> PreparedRelation:
    """A relation read by prepared queries, one per type and name (``served_related``, :func:`prefetch_children`)."""
    return PreparedRelation(model, name)


def prefetch_children(instances: list, name: str) -> None:
    """``prefetch_related_objects(instances, name)`` for a child relation or many-to-many field of
    instances of one type (treatments' durations, articles' topics), by a prepared query."""
    if instances:
        _relation(type(instances[0]), name).for_all(instances)


def served_loaded(page) -> bool:
    """Whether the page's hero and share images are loaded already, with their renditions
    (:func:`prefetch_served`, or joined to the page and given them since)."""
    if not all(page._meta.get_field(name).is_cached(page) for name in ("hero_image", "share_image")):
        return False
    images = (page.hero_image, page.share_image)
    return all(image is None or internals.has_prefetched_renditions(image) for image in images)


def children_paths(path: str) -> tuple[str, str]:
    """The first and last path a child of the page at ``path`` can have (treebeard's paths: the
    parent's, then ``steplen`` characters of ``alphabet``), as Wagtail's ``get_children`` reads them."""
    return path + Page.alphabet[0] * Page.steplen, path + Page.alphabet[-1] * Page.steplen


def ancestors(page) -> list[Page]:
    """``page.get_ancestors()`` without a query when routing left its parents on it (home -> section -> page).

    The chain must reach the site's home page (depth 2); the tree root above it is never
    shown, so it is left out. Otherwise Wagtail's query.
    """
    chain = []
    parent = internals.cached_parent(page)
    while parent is not None:
        chain.append(parent)
        if parent.depth == 2:
            return chain[::-1]
        parent = internals.cached_parent(parent)
    return list(page.get_ancestors())


def public(queryset, request):
    """``queryset.public()`` reading the view restrictions once per request (as Wagtail's, by path)."""
    return excluding_restricted(queryset, _restricted_paths(request))


def excluding_restricted(queryset, paths):
    """``queryset`` without the pages at or under any of the restricted ``paths`` (:func:`restricted_paths`)."""
    restricted = Q()
    for path in paths:
        restricted |= Q(path__startswith=path)
    return queryset.exclude(restricted) if restricted else queryset


def public_pages(pages, request) -> list:
    """``pages`` (already loaded) without those under a view restriction, as :func:`public` would filter them."""
    restricted = restricted_paths(request)
    return [page for page in pages if not (restricted and page.path.startswith(restricted))]


@functools.cache
def _site_links() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What the Site query joins, by reverse one-to-one names: the page types a site root can be
    (those created under the tree's root), each site setting, and what each of them selects (a
    root page's :func:`served_joins`, a setting's ``select_related``)."""
    roots, joins = [], []
    for model in get_page_models():
        if model is not Page and Page in model._meta.parents and Page in model.allowed_parent_page_models():
            name = specific_join(model)
            roots.append(name)
            joins += [f"root_page__{name}__{field}" for field in served_joins(model)]
    settings = []
    for model in settings_registry:
        if issubclass(model, BaseSiteSetting):
            name = model._meta.get_field("site").related_query_name()
            settings.append(name)
            joins += [f"{name}__{field}" for field in getattr(model, "select_related", None) or ()]
    return tuple(roots), tuple(settings), tuple(joins)


@functools.cache
def _root_folds() -> dict[type[Page], ServedFolds]:
    """What a site root page of each type is given from the Site query (its images' renditions)."""
    return {
        model: served_folds(model, f"root_page__{specific_join(model)}__", related=False)
        for model in get_page_models()
        if model is not Page and Page in model._meta.parents and Page in model.allowed_parent_page_models()
    }


def _root_folds_columns() -> dict[str, Any]:
    return {name: column for folds in _root_folds().values() for name, column in folds.columns().items()}


def served_joins(model) -> tuple[str, ...]:
    """What a page of type ``model`` is loaded with when it is the page served (page_routing.py):
    its hero and share images when it shows them (``served_hero_renditions``), and the
    foreign keys it declares in ``served_joined``."""
    images = ("hero_image", "share_image") if getattr(model, "served_hero_renditions", None) is not None else ()
    return (*images, *getattr(model, "served_joined", ()))


def _sites_matching(hostname: str, port: int):
    """The sites Wagtail chooses from for ``hostname`` and ``port``, best match first, with the root
    page's own type, every site setting and the restricted and alias paths joined."""
    roots, settings, joins = _site_links()
    return (
        Site.objects.annotate(
            match=Case(
                When(hostname=hostname, port=port, then=MATCH_HOSTNAME_PORT),
                When(hostname=hostname, is_default_site=True, then=MATCH_HOSTNAME_DEFAULT),
                When(is_default_site=True, then=MATCH_DEFAULT),
                default=MATCH_HOSTNAME,
                output_field=IntegerField(),
            )
        )
        .annotate(**_special_paths_columns(), **_root_folds_columns())
        .filter(Q(hostname=hostname) | Q(is_default_site=True))
        .order_by("match")
        .select_related("root_page", *(f"root_page__{name}" for name in roots), *settings, *joins)
    )


# Built and compiled once per connection: building and compiling it took about 6 ms, running it
# a fraction of one (home/performance/prepared.py).
_SITES_MATCHING = PreparedQuery(_sites_matching, hostname=str, port=int)


def load_site(hostname: str, port: int | str) -> Site | None:
    """Wagtail's ``get_site_for_hostname`` in one query, with the root page as its own type, the
    Site's settings and the restricted and alias paths (``site.special_paths``) joined: they were
    four queries (the Site, the root page's type, the settings, the paths).

    The same choice as Wagtail's: an exact hostname and port first, then the hostname on the
    default site, then the default site unless exactly one other site has the hostname.
    """
    roots = _site_links()[0]
    sites = _SITES_MATCHING(hostname=hostname, port=int(port))
    if not sites:
        return None
    if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        site = sites[0]
    elif sites[0].match == MATCH_DEFAULT:
        site = sites[len(sites) == 2]  # the one other site with this hostname, else the default
    else:
        return None  # several sites with this hostname and none the default: Wagtail finds none
    site.special_paths = _special_paths_of({column: getattr(site, column) for column in _SPECIAL_COLUMNS.values()})
    root = site.root_page
    for name in roots:
        specific = _joined(root, name)
        if specific is not None and type(specific) is root.specific_class:
            internals.set_specific(root, specific)
            _root_folds()[type(specific)].give(specific, holder=site)
    return site


def specific_join(model: type[Page]) -> str:
    """The name ``select_related`` joins a page's row of type ``model`` under (a direct subclass of
    Page: its parent link's reverse one-to-one)."""
    return model._meta.parents[Page].related_query_name()


def _joined(instance, name: str):
    """The row ``select_related`` joined under the reverse one-to-one ``name``, or None."""
    try:
        return getattr(instance, name)
    except ObjectDoesNotExist:
        return None


def site_settings(site) -> list[BaseSiteSetting]:
    """The settings :func:`load_site` joined to ``site`` (only those that exist)."""
    found = (_joined(site, name) for name in _site_links()[1])
    return [setting for setting in found if setting is not None]


def host_and_port(request) -> tuple[str, int] | None:
    """What Wagtail chooses the request's Site by; None for a Host header not in ``ALLOWED_HOSTS``
    (so no cache entry is ever made per forged header). Worked out once per request."""
    found = getattr(request, _HOST, False)
    if found is False:
        try:
            found = split_domain_port(request.get_host())[0], request.get_port()
        except DisallowedHost:
            found = None
        setattr(request, _HOST, found)
    return found


def site_cache_name(host: tuple[str, int]) -> str:
    """The content cache's name for the Site of ``host_and_port(request)``."""
    return "site:{}:{}".format(*host)


def attach_cached_site(request) -> None:
    """Give Wagtail the request's Site, with its root page already specific and its settings.

    Wagtail looks the Site up on every request (one query with a CASE), then loads
    the root page's specific type (another), and each setting read is one more:
    :func:`load_site` reads them in one query. With the content cache on, that is
    kept under the generation (a Site, page or setting save starts a new one), so a
    request reads it from the cache.
    """
    if internals.request_has_site(request):
        return
    host = host_and_port(request)
    if host is None:
        return  # Wagtail's own lookup answers (or refuses) it
    site = content_cache.cached(site_cache_name(host), lambda: load_site(*host) or False, request=request)
    internals.set_request_site(request, site or None)
    if site:
        known_pages([site.root_page])
        setattr(request, _SPECIAL_PATHS, site.special_paths)
        for setting in site_settings(site):
            internals.set_request_setting(request, setting)


def site_root(request) -> Page | None:
    if request is None:
        return None
    site = Site.find_for_request(request)
    return site.root_page if site else None
