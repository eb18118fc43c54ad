"""Cross-app reads of the content pages: where the studio pages, the journal and the shop meet.

Called by page models (``get_context``, routes, API properties), the API and the template tags:

* sections: the home page's live, public section pages (nav, routing, the journal's topic links);
* the home page: its featured treatments, the latest articles and the shop's featured offers;
* a treatment: its offers (shop) and its related articles (journal);
* an article: its related treatments (also for a whole API listing at once);
* a topic: the topic by its slug, its articles and treatments;
* questions: the live, public pages whose body holds questions and answers (the API's FAQ);
* search: one page of the public search results.

Layering: the page models of home (home/models.py) and blog (blog/models.py)
import this module, so it imports neither of them. It names the page types it
reads by label and looks them up in Django's app registry when it runs, as
``ForeignKey("home.TreatmentPage")`` and Wagtail's ``subpage_types`` do. It
imports only home.queries, home.content_cache, home.base_models (Topic) and the
shop's read layer (packages/selectors.py).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable

from django.apps import apps
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, QuerySet, Window
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models

from home import content_cache, queries
from home.base_models import Topic
from packages import selectors as shop

ARTICLE = "blog.ArticlePage"
BLOG_INDEX = "blog.BlogIndexPage"
TREATMENT = "home.TreatmentPage"
TREATMENT_INDEX = "home.TreatmentIndexPage"
FEATURED_LINK = "home.HomePageFeaturedTreatment"
STANDARD = "home.StandardPage"
# The pages a site root's sections may be: the home page's subpage types.
SECTION_TYPES = (TREATMENT_INDEX, BLOG_INDEX, STANDARD)


def page_model(label: str) -> type[Page]:
    """A page type of the layers above this one, e.g. ``page_model(ARTICLE)``."""
    return apps.get_model(label)


# --- Sections ---------------------------------------------------------------------------------------


# The site root's live children, in tree order: built and compiled once (home/performance/prepared.py).
# Each as its own type, its own fields deferred (as ``specific_deferred``).
_LIVE_CHILDREN = queries.PreparedQuery(
    lambda depth, first, last: Page.objects.filter(depth=depth, path__range=(first, last), live=True).order_by("path"),
    specific=True,
    depth=int,
    first=str,
    last=str,
)


def site_sections(request) -> list[Page]:
    """The site root's live, public TreatmentIndex, BlogIndex and Standard children, in tree order.

    One query per request, or none when the content cache has them; the index pages can
    only live directly under the home page.
    """
    root = queries.site_root(request)
    if root is None:
        return []
    cached = getattr(request, "_site_sections", None)
    if cached is not None and cached[0] == root.pk:
        return cached[1]

    def compute():
        # Each as its own type without reading its table: routing passes through a section
        # (home -> journal -> article) with the fields every page has.
        types = tuple(page_model(label) for label in SECTION_TYPES)
        first, last = queries.children_paths(root.path)
        children = _LIVE_CHILDREN(depth=root.depth + 1, first=first, last=last)
        sections = [page for page in children if isinstance(page, types)]
        return queries.public_pages(sections, request)

    sections = content_cache.cached(f"sections:{root.pk}", compute, request=request)
    request._site_sections = (root.pk, sections)
    queries.known_pages(sections)  # rich text links to them need no query
    return sections


def sections_of_type(sections: Iterable[Page], label: str) -> list[Page]:
    model = page_model(label)
    return [page for page in sections if issubclass(page.specific_class or Page, model)]


def first_section(sections: Iterable[Page], label: str) -> Page | None:
    return next(iter(sections_of_type(sections, label)), None)


def blog_index(request) -> Page | None:
    """The site's live BlogIndexPage (for topic links and "all articles"), or None."""
    if request is None:
        return page_model(BLOG_INDEX).objects.live().public().order_by("path").first()
    page = first_section(site_sections(request), BLOG_INDEX)
    if page is None:
        return None
    return content_cache.cached(f"blog-index:{page.pk}", lambda: page.specific, request=request)


# --- The home page ------------------------------------------------------------------------------------


def latest_articles(request, count: int = 3) -> list[Page]:
    """The newest live, public articles, with their card renditions."""
    return _with_card_renditions(_latest_articles(count, queries.restricted_paths(request))())


def articles_under(index: Page, request, start: int, stop: int, topic_id: int | None = None) -> list[Page]:
    """The live, public articles under ``index`` (of ``topic_id``), newest first, ``[start:stop]``, with
    their topics' values (``queries.given_values``) and card renditions: the journal's and a topic's
    page of cards.

    A prepared query per set of restricted paths, filter and slice (a listing is read page by
    page, the first page most); the count stays the ORM's (cached with the content cache on).
    """
    query = _articles_under(queries.restricted_paths(request), topic_id is not None, start, stop)
    first, last = queries.children_paths(index.path)
    values = {"depth": index.depth + 1, "first": first, "last": last}
    articles = query(**values, **({"topic": topic_id} if topic_id is not None else {}))
    topics = queries.folded(page_model(ARTICLE), "topics")
    for article in articles:
        topics.keep_values(article)  # a card shows their names (``related_values``): no Topic made
    return _with_card_renditions(articles)


def articles_count(index: Page, request, topic_id: int | None = None) -> int:
    """How many live, public articles are under ``index`` (of ``topic_id``): what
    ``index.articles(request, topic).count()`` counts, by a prepared query (building and compiling
    the COUNT was most of its cost; it is read for every page of a listing with the content cache off)."""
    query = _articles_count(queries.restricted_paths(request), topic_id is not None)
    first, last = queries.children_paths(index.path)
    values = {"depth": index.depth + 1, "first": first, "last": last}
    found = query(**values, **({"topic": topic_id} if topic_id is not None else {}))
    return found[0].total if found else 0


@functools.lru_cache(maxsize=64)
def _articles_count(restricted: tuple[str, ...], by_topic: bool) -> queries.PreparedQuery:
    def build(depth, first, last, topic=None):
        articles = _articles_of(restricted, by_topic, depth, first, last, topic)
        # The total as a window over the rows, on the first row only: a query of fixed shape.
        return articles.annotate(total=Window(Count("pk"))).only("pk").order_by()[:1]

    values = {"depth": int, "first": str, "last": str, **({"topic": int} if by_topic else {})}
    return queries.PreparedQuery(build, **values)


def _articles_of(restricted, by_topic, depth, first, last, topic):
    articles = queries.excluding_restricted(page_model(ARTICLE).objects.live(), restricted)
    articles = articles.filter(depth=depth, path__range=(first, last))
    return articles.filter(topics=topic) if by_topic else articles


@functools.lru_cache(maxsize=64)
def _articles_under(restricted: tuple[str, ...], by_topic: bool, start: int, stop: int) -> queries.PreparedQuery:
    def build(depth, first, last, topic=None):
        articles = _articles_of(restricted, by_topic, depth, first, last, topic)  # _cards defers the bodies
        articles = _cards(articles.order_by("-date", "-pk"), start, stop)
        return articles.annotate(**queries.folded(page_model(ARTICLE), "topics").column())

    values = {"depth": int, "first": str, "last": str, **({"topic": int} if by_topic else {})}
    return queries.PreparedQuery(build, **values)


def _cards(pages: QuerySet, start: int | None, stop: int | None) -> QuerySet:
    """Cards ``pages[start:stop]`` (ordered): chosen first, then loaded without their StreamFields,
    with their hero images and those images' card renditions folded in (given by _with_card_renditions)."""
    chosen = queries.for_cards(queries.chosen_first(pages, start, stop))
    return queries.with_card_renditions(chosen.select_related("hero_image"))


def _with_card_renditions(pages: list[Page], holders: list | None = None) -> list[Page]:
    """``pages`` (their hero images joined), with the renditions their cards show: folded into the
    query that loaded them or their ``holders`` (queries.with_card_renditions), else one prepared query."""
    for page, holder in zip(pages, holders or pages, strict=True):
        queries.give_card_renditions(page.hero_image, holder)
    queries.attach_renditions([page.hero_image for page in pages], queries.CARD_RENDITIONS)
    return pages


@functools.lru_cache(maxsize=32)
def _latest_articles(count: int, restricted: tuple[str, ...]) -> queries.PreparedQuery:
    """The query of :func:`latest_articles`, built and compiled once per connection for each count and
    set of restricted paths (which change only when an editor restricts or frees a page)."""
    return queries.PreparedQuery(
        lambda: _cards(
            queries.excluding_restricted(page_model(ARTICLE).objects.live(), restricted).order_by("-date", "-pk"),
            None,
            count,
        )
    )


def featured_treatments(home, request=None) -> list[Page]:
    """The live, public treatments an editor featured on ``home``, in their order (in a preview too).

    Two queries however many are featured: the links with their treatments and hero images, and
    the card renditions; the view restrictions are the request's, read once.
    """
    links = home.featured_treatments.all()
    if isinstance(links, QuerySet):  # the page as saved: a prepared query (a preview's links are in memory)
        links = [link for link in _FEATURED_LINKS(page=home.pk) if link.treatment is not None]
        _with_card_renditions([link.treatment for link in links], holders=links)
    else:
        links = links.select_related("treatment__hero_image").prefetch_related(
            queries.renditions_prefetch("treatment__hero_image")
        )
    treatments = [link.treatment for link in links if link.treatment is not None and link.treatment.live]
    return queries.public_pages(treatments, request)


# The home page's featured treatment links, in the editor's order, with each treatment and its hero image.
_FEATURED_LINKS = queries.PreparedQuery(
    lambda page: queries.with_card_renditions(
        apps.get_model(FEATURED_LINK).objects.filter(page=page).select_related("treatment__hero_image"),
        "treatment__hero_image_id",
    ),
    page=int,
)


def _cheapest_duration():
    """A treatment's cheapest duration (its ``lowest_price``), folded into a listing's query."""
    return queries.folded_first(page_model(TREATMENT), "durations", ("price_minor",), "cheapest_duration")


def treatments_under(index: Page, request) -> list[Page]:
    """The live, public treatments under ``index`` in tree order, with their cheapest duration (the
    card's price: not every duration) and card renditions."""
    first, last = queries.children_paths(index.path)
    query = _treatments_under(queries.restricted_paths(request))
    treatments = query(depth=index.depth + 1, first=first, last=last)
    cheapest = _cheapest_duration()
    for treatment in treatments:
        cheapest.give(treatment)
    return _with_card_renditions(treatments)


@functools.lru_cache(maxsize=32)
def _treatments_under(restricted: tuple[str, ...]) -> queries.PreparedQuery:
    """The query of :func:`treatments_under`, built and compiled once per connection and set of restrictions."""
    return queries.PreparedQuery(
        lambda depth, first, last: (
            queries.with_card_renditions(queries.excluding_restricted(page_model(TREATMENT).objects.live(), restricted))
            .annotate(**_cheapest_duration().column())
            .filter(depth=depth, path__range=(first, last))
            .select_related("hero_image")
            .order_by("path")
        ),
        depth=int,
        first=str,
        last=str,
    )


def featured_offers(request) -> list:
    """The shop's featured offers: the same for every visitor, so cached with the content.

    Any offer saved or deleted starts a new content generation (home/content_cache.py).
    """
    return content_cache.cached("featured-offers", shop.featured_offers, request=request)


# --- Treatments and articles ----------------------------------------------------------------------


def offers_for_treatment(treatment) -> list:
    """The shop's active series and memberships for ``treatment``."""
    return shop.offers_for_treatment(treatment)


def _topic_ids(page) -> list[int]:
    # Not values_list: in previews `topics` is a modelcluster FakeQuerySet, which has no "pk" field.
    # given_values: a listing may have kept only the topics' values (the v2 listing).
    return [topic["id"] for topic in queries.given_values(page, "topics")]


def related_articles(treatment, request=None):
    """Live, public articles sharing a topic with ``treatment``, newest first (at most four).

    With a request, the view restrictions are read once per request (home/queries.py) and
    the query is prepared (:func:`_sharing_topics`).
    """
    article = page_model(ARTICLE)
    topic_ids = _topic_ids(treatment)
    if not topic_ids:
        return article.objects.none()
    if request is not None:
        return _with_card_renditions(_sharing_topics(RELATED_ARTICLES, topic_ids, request))
    related = _RELATED[RELATED_ARTICLES][1](article.objects.live().public().filter(topics__in=topic_ids).distinct())
    return related.prefetch_related(queries.renditions_prefetch("hero_image"))


def related_treatments(article, request=None):
    """Live, public treatments sharing a topic with ``article``, by title.

    With a request, the view restrictions are read once per request (home/queries.py) and
    the query is prepared (:func:`_sharing_topics`).
    """
    treatment = page_model(TREATMENT)
    topic_ids = _topic_ids(article)
    if not topic_ids:
        return treatment.objects.none()
    if request is not None:
        return _sharing_topics(RELATED_TREATMENTS, topic_ids, request)
    return _RELATED[RELATED_TREATMENTS][1](treatment.objects.live().public().filter(topics__in=topic_ids).distinct())


RELATED_ARTICLES, RELATED_TREATMENTS = "related articles", "related treatments"
# What is listed, and how: the page type, then the ordering, joins and limit of the listing.
_RELATED = {
    RELATED_ARTICLES: (
        ARTICLE,
        lambda pages: _cards(pages.order_by("-date", "-pk"), None, 4),
    ),
    RELATED_TREATMENTS: (TREATMENT, lambda pages: pages.order_by("title")),
}


def _sharing_topics(listing: str, topic_ids: list[int], request) -> list[Page]:
    return _sharing_topics_query(listing, queries.restricted_paths(request))(topic_ids)


@functools.lru_cache(maxsize=64)
def _sharing_topics_query(listing: str, restricted: tuple[str, ...]) -> queries.PreparedIdsQuery:
    """The ``listing``'s live, public pages tagged with any of the topics: prepared for each number
    of topics and set of restricted paths."""
    label, finish = _RELATED[listing]
    model = page_model(label)
    tagged = model.topics.through.objects
    column = model.topics.field.m2m_field_name()  # the through table's link to the page
    # Tagged with any of the topics: a subquery, not a join and DISTINCT over whole rows.
    return queries.PreparedIdsQuery(
        lambda topic_ids: finish(
            queries.for_cards(queries.excluding_restricted(model.objects.live(), restricted)).filter(
                pk__in=tagged.filter(topic_id__in=topic_ids).values(column)
            )
        )
    )


def articles_among(pages: Iterable[Page]) -> list[Page]:
    article = page_model(ARTICLE)
    return [page for page in pages if isinstance(page, article)]


@functools.cache
def _treatments_sharing() -> queries.PreparedIdsQuery:
    """Live treatments tagged with any of the topics (by id), by title, with their topics' ids folded
    in (their hero images are read with the listing's, by id): prepared per number of topics (a
    studio has a few dozen at most)."""
    model = page_model(TREATMENT)
    tagged = model.topics.through.objects
    column = model.topics.field.m2m_field_name()
    return queries.PreparedIdsQuery(
        lambda ids: (
            model.objects.live()
            .filter(pk__in=tagged.filter(topic_id__in=ids).values(column))
            .annotate(**queries.folded_keys(model, "topics").column())
            .order_by("title", "pk")
        ),
        up_to=48,
    )


def related_treatments_of_articles(
    articles: list[Page], is_public: Callable[[Page], bool]
) -> tuple[dict[int, list], list]:
    """Each article's related treatments (as :func:`related_treatments`), for many articles in one query.

    ``is_public`` decides for pages already known to be live. Returns the lists by
    article pk, and every treatment read (their hero images not read), public or not.
    """
    topic_ids = {article.pk: _topic_ids(article) for article in articles}
    wanted = {pk for ids in topic_ids.values() for pk in ids}
    if not wanted:
        return {article.pk: [] for article in articles}, []
    # One query: the live treatments sharing any of the topics, each with its topics' ids folded in
    # (not a treatment per (topic, treatment) row; the topics themselves are not shown).
    topic_keys = queries.folded_keys(page_model(TREATMENT), "topics")
    treatments = _treatments_sharing()(sorted(wanted))
    by_topic: dict[int, list[Page]] = {}
    for treatment in treatments:
        keys = topic_keys.read(treatment)
        if is_public(treatment):
            for topic_id in _topic_ids(treatment) if keys is None else keys:
                by_topic.setdefault(topic_id, []).append(treatment)
    order = {treatment.pk: n for n, treatment in enumerate(treatments)}
    by_article = {}
    for article in articles:
        found = {t.pk: t for topic_id in topic_ids[article.pk] for t in by_topic.get(topic_id, ())}
        by_article[article.pk] = sorted(found.values(), key=lambda t: order[t.pk])
    return by_article, treatments


# --- Topics -----------------------------------------------------------------------------------------


# Built and compiled once per connection (home/performance/prepared.py).
_TOPIC_BY_SLUG = queries.PreparedQuery(lambda slug: Topic.objects.filter(slug=slug)[:1], slug=str)
_TOPICS_WITH_ARTICLES = queries.PreparedQuery(lambda: Topic.objects.filter(articles__live=True).distinct())


def topic_by_slug(slug: str, request) -> Topic | None:
    """The topic with this slug (None: there is none), kept in the content cache."""

    def find() -> Topic | None:
        found = _TOPIC_BY_SLUG(slug=slug)
        return found[0] if found else None

    return content_cache.cached(f"topic:{slug}", find, request=request)


def topics_with_articles() -> list[Topic]:
    """The topics at least one live article is tagged with (the journal index's topic links)."""
    return _TOPICS_WITH_ARTICLES()


def topic_treatments(topic, request) -> list[Page]:
    """Live, public treatments tagged with ``topic``, by title, with their card renditions."""
    return _with_card_renditions(_topic_treatments(queries.restricted_paths(request))(topic=topic.pk))


@functools.lru_cache(maxsize=32)
def _topic_treatments(restricted: tuple[str, ...]) -> queries.PreparedQuery:
    return queries.PreparedQuery(
        lambda topic: (
            queries.with_card_renditions(queries.excluding_restricted(page_model(TREATMENT).objects.live(), restricted))
            .filter(topics=topic)
            .select_related("hero_image")
            .order_by("title")
        ),
        topic=int,
    )


def topic_pages(topic, root: Page) -> tuple:
    """Live, public articles (newest first) and treatments (by title) under ``root`` tagged with ``topic``."""
    articles = (
        page_model(ARTICLE).objects.live().public().descendant_of(root).filter(topics=topic).order_by("-date", "-pk")
    )
    treatments = page_model(TREATMENT).objects.live().public().descendant_of(root).filter(topics=topic)
    return articles, treatments.order_by("title")


def _models_with_questions() -> list[type[Page]]:
    """Page types whose own ``body`` StreamField offers the "faq" block (subclasses' tables aside)."""
    found = []
    for model in get_page_models():
        field = next((f for f in model._meta.local_fields if f.name == "body"), None)
        if isinstance(field, StreamField) and "faq" in field.stream_block.child_blocks:
            found.append(model)
    return found


def pages_with_questions(root: Page, request) -> list[Page]:
    """Live, public pages under ``root`` (inclusive) with at least one "faq" block, in site order."""
    pages = []
    for model in _models_with_questions():
        live = queries.public(model.objects.live().descendant_of(root, inclusive=True), request)
        # raw_data: the block types without building every block of every body.
        pages += [page for page in live if any(block["type"] == "faq" for block in page.body.raw_data)]
    return sorted(pages, key=lambda page: page.path)


SEARCH_RESULTS_PER_PAGE = 10


def _type_paths() -> dict[type[Page], str]:
    """Each page type's path from ``Page`` down its parent links ("articlepage"), for ``select_related``."""
    paths = {}
    for model in get_page_models():
        chain, current = [], model
        while current is not Page:
            chain.append(current._meta.model_name)
            current = next(iter(current._meta.parents), Page)
        if chain:
            paths[model] = "__".join(reversed(chain))
    return paths


@functools.cache
def _pages_of_every_type() -> tuple[dict[type[Page], str], queries.PreparedIdsQuery]:
    """Pages by id, each row joined to its own type's table (``select_related`` on every type's link),
    StreamFields unread: one query whatever the types (there was one per type), prepared per count."""
    paths = _type_paths()
    deferred = [
        f"{paths[model]}__{field.name}"
        for model in paths
        for field in model._meta.local_fields
        if isinstance(field, StreamField)
    ]
    query = queries.PreparedIdsQuery(
        lambda ids: Page.objects.filter(pk__in=ids).select_related(*paths.values()).defer(*deferred),
        up_to=SEARCH_RESULTS_PER_PAGE,
    )
    return paths, query


def _own_type(page: Page, paths: dict[type[Page], str]) -> Page:
    """The instance of ``page``'s own type joined to it; the plain page where its type or row is gone."""
    path = paths.get(page.specific_class)
    if path is None:
        return page
    found = page
    for name in path.split("__"):
        found = getattr(found, name, None)  # a missing row's error is an AttributeError too
        if found is None:
            return page
    return found


def _as_their_own_types(results) -> list[Page]:
    """A page of search ``results`` as their own types, in order, with their score: what Wagtail's
    ``specific()`` gives, in one query; from the ids where the backend ranks them (``ranked``,
    site/sqlite/search.py), no plain page read first."""
    ranked = getattr(results, "ranked", None)
    rows = ranked() if ranked is not None else None
    if rows is None:
        rows = [(page.pk, getattr(page, "_score", None)) for page in results]
    paths, query = _pages_of_every_type()
    found = {page.pk: page for page in query([pk for pk, _ in rows])} if rows else {}
    out = []
    for pk, score in rows:
        page = found.get(pk)
        if page is None:
            continue  # unpublished or deleted since it was ranked
        item = _own_type(page, paths)
        if score is not None:
            item._score = score
        out.append(item)
    return out


def search_results(query: str, page_number, request) -> tuple[list[Page], int, int]:
    """One page of the live, public pages matching ``query``: ``(pages, total, page number)``.

    A page number that is not one (or past the end) gives the first page. Kept in the content
    cache per query and page number: publishing anything starts a new generation.
    """

    def compute():
        results = Page.objects.none()
        paginator = Paginator(results, SEARCH_RESULTS_PER_PAGE)
        if query:
            # The matching pages as Wagtail ranks them, plain; then the page of results as their own
            # types (below). The total counts the same matches without ranking them.
            live = queries.public(Page.objects.live(), request)
            paginator = Paginator(live.search(query), SEARCH_RESULTS_PER_PAGE)
            paginator.count = live.search(query, order_by_relevance=False).count()
        try:
            page = paginator.page(page_number)
        except (PageNotAnInteger, EmptyPage):
            page = paginator.page(1)
        return _as_their_own_types(page.object_list), paginator.count, page.number

    digest = hashlib.sha256(f"{query}\n{page_number}".encode()).hexdigest()
    return content_cache.cached(f"search:{digest}", compute, request=request)
