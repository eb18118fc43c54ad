"""Related rows folded into the loading query as one column (home/performance/folded.py).

A relation or an image's renditions come with the query that loads the instances: the
same objects, in the same order, as ``prefetch_related`` (or Wagtail's rendition prefetch)
gives, and no query after. The pages that use it are served with fewer queries
(tests/home/test_query_budgets.py); here, the mechanism and each place it is used.
"""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import NotSupportedError, connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.models import Page

from blog.factories import ArticlePageFactory
from blog.models import ArticlePage
from home import selectors
from home.base_models import BodyArea, Topic
from home.factories import ImageFactory, TopicFactory, figure, paragraph
from home.models import HomePage, TreatmentDuration, TreatmentPage
from home.performance import known, listings, prepared, queries
from home.performance.folded import FOLDED_SPECS, FoldedFirst, FoldedKeys, FoldedRelation, FoldedRenditions
from home.performance.richtext import PageLinkHandlerOneQuery
from home.templatetags import site_tags
from packages import selectors as shop
from packages.factories import MembershipPlanFactory, SessionSeriesFactory
from packages.models import Customer
from tests.conftest import instances_made


@pytest.fixture(autouse=True)
def json_support_known(db):
    """Django asks the database once per connection whether it has JSON functions: not counted here."""
    assert connection.features.supports_json_field


def _loaded(model, pk, *folds, image_key=None):
    columns = {}
    for fold in folds:
        columns.update(fold.column(image_key) if isinstance(fold, FoldedRenditions) else fold.column())
    return model.objects.filter(pk=pk).select_related("hero_image").annotate(**columns).get()


@pytest.mark.parametrize("name", ["durations", "body_areas", "topics"])
def test_a_relation_comes_as_prefetch_related_gives_it_with_no_query_after(site_tree, name, django_assert_num_queries):
    treatment = site_tree.deep_tissue
    treatment.body_areas.add(*(BodyArea.objects.create(name=n, sort_order=1) for n in ("Legs", "Hips", "glutes")))
    treatment.save()
    expected = TreatmentPage.objects.get(pk=site_tree.deep_tissue.pk)
    prefetch_related_objects([expected], name)
    fold = FoldedRelation(TreatmentPage, name)
    with django_assert_num_queries(1):
        treatment = _loaded(TreatmentPage, site_tree.deep_tissue.pk, fold)
    with django_assert_num_queries(0):
        fold.give(treatment)
        assert not hasattr(treatment, fold.attr)  # the text is taken off once given
        found = list(getattr(treatment, name).all())
        assert found == list(getattr(expected, name).all())
        assert [vars_of(obj) for obj in found] == [vars_of(obj) for obj in getattr(expected, name).all()]
        if name == "durations":
            assert all(duration.page is treatment for duration in found)  # the child points back, no query
    assert found


def vars_of(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields}


def test_the_order_is_the_databases_own_collation_included(site_tree, django_assert_num_queries):
    """Topics are ordered by name: upper and lower case, accents and ties sort as the ORM sorts them."""
    article = site_tree.sciatica_article
    names = ["banana", "Apple", "apple pie", "Émile", "zeta", "Zeta 2", "éclair"]
    article.topics.add(*(TopicFactory(name=name) for name in names))
    article.save()  # a ParentalManyToManyField: saved with the page
    expected = list(ArticlePage.objects.get(pk=article.pk).topics.all())
    fold = FoldedRelation(ArticlePage, "topics")
    page = _loaded(ArticlePage, article.pk, fold)
    fold.give(page)
    with django_assert_num_queries(0):
        assert [topic.name for topic in page.topics.all()] == [topic.name for topic in expected]


def test_no_related_rows_give_an_empty_relation_and_no_column_gives_nothing(site_tree, django_assert_num_queries):
    article = site_tree.sciatica_article
    article.topics.clear()
    article.save()
    fold = FoldedRelation(ArticlePage, "topics")
    page = _loaded(ArticlePage, article.pk, fold)
    fold.give(page)
    with django_assert_num_queries(0):
        assert list(page.topics.all()) == []
    plain = ArticlePage.objects.get(pk=article.pk)
    fold.give(plain)  # its query had no such column: left as it was, read as usual
    assert "topics" not in getattr(plain, "_prefetched_objects_cache", {})


def test_only_plain_json_values_and_relations_can_be_folded(db):
    with pytest.raises(ImproperlyConfigured, match="not a child relation or a many-to-many field"):
        FoldedRelation(TreatmentPage, "hero_image")
    # An order has dates and times, whose JSON form differs by database.
    with pytest.raises(ImproperlyConfigured, match="cannot be folded"):
        FoldedRelation(Customer, "orders")


@pytest.fixture
def rendered(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    image = ImageFactory(title="Folded", width=160, height=100)
    for spec in ("fill-80x50", "width-40", "width-60"):
        image.get_rendition(spec)
    return image


def test_an_images_renditions_come_with_the_query_and_wagtail_finds_them(site_tree, rendered, settings):
    settings.WAGTAILIMAGES_RENDITION_CACHE_ALIAS = "renditions"
    TreatmentPage.objects.filter(pk=site_tree.deep_tissue.pk).update(hero_image=rendered)
    fold = FoldedRenditions(("fill-80x50", "width-40"), "hero")
    page = _loaded(TreatmentPage, site_tree.deep_tissue.pk, fold, image_key="hero_image_id")
    fold.give(page.hero_image, holder=page)
    with CaptureQueriesContext(connection) as ctx:
        assert page.hero_image.get_rendition("fill-80x50").width == 80
        assert page.hero_image.get_rendition("width-40").width == 40
    assert ctx.captured_queries == []
    assert getattr(page.hero_image, FOLDED_SPECS) == {"fill-80x50", "width-40"}


def test_attaching_more_specs_reads_those_an_image_was_not_folded_with(site_tree, rendered, django_assert_num_queries):
    fold = FoldedRenditions(("fill-80x50",), "card")
    image = Image.objects.annotate(**fold.column("pk")).get(pk=rendered.pk)
    fold.give(image)
    with django_assert_num_queries(0):
        queries.attach_renditions([image], ("fill-80x50",))  # folded already: nothing to read
    with django_assert_num_queries(1):
        queries.attach_renditions([image], ("fill-80x50", "width-60"))
    with django_assert_num_queries(0):
        assert image.get_rendition("width-60").width == 60


def test_a_served_pages_relations_and_images_renditions_come_in_its_own_query(client, site_tree, settings):
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    url = site_tree.deep_tissue.url
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    tables = ('"home_treatmentduration"', '"home_bodyarea"', '"home_topic"', '"wagtailimages_rendition"')
    on_their_own = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith('SELECT "home_treatmentduration"')]
    assert on_their_own == []
    page_query = [q["sql"] for q in ctx.captured_queries if 'FROM "home_treatmentpage"' in q["sql"]][0]
    assert all(table in page_query for table in tables)
    # What the page shows from them is there.
    assert "60 min" in response.content.decode() or "60" in response.content.decode()


def test_a_site_root_pages_image_renditions_come_with_the_site(client, site_tree, settings, tmp_path):
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    image = ImageFactory(title="Home hero", width=160, height=100)
    HomePage.objects.filter(pk=site_tree.home.pk).update(hero_image=image)
    assert client.get("/").status_code == 200  # makes the renditions
    site = queries.load_site("localhost", 80)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    with CaptureQueriesContext(connection) as ctx:
        assert queries.served_loaded(home)
        for spec in HomePage.served_hero_renditions:
            home.hero_image.get_rendition(spec)
    assert ctx.captured_queries == []


def test_listing_cards_come_with_their_renditions_and_topics(site_tree, settings, tmp_path, django_assert_num_queries):
    settings.MEDIA_ROOT = str(tmp_path)
    image = ImageFactory(title="Card", width=160, height=100)
    ArticlePage.objects.filter(pk=site_tree.sciatica_article.pk).update(hero_image=image)
    for spec in queries.CARD_RENDITIONS:
        image.get_rendition(spec)
    index = site_tree.blog_index
    expected = list(ArticlePage.objects.live().public().child_of(index).order_by("-date", "-pk")[:10])
    topics = {page.pk: list(page.topics.all()) for page in expected}
    queries.restricted_paths(None)  # the view restrictions: read once per request
    with django_assert_num_queries(2):  # the restrictions (no request to keep them on), the cards
        articles = selectors.articles_under(index, None, 0, 10)
    assert [page.pk for page in articles] == [page.pk for page in expected]
    with django_assert_num_queries(0):
        # Their topics' values, kept for the cards (and made into objects on demand by ``given``).
        assert {article.pk: [t["id"] for t in prepared.given_values(article, "topics")] for article in articles} == {
            pk: [t.pk for t in found] for pk, found in topics.items()
        }
        assert {article.pk: prepared.given(article, "topics") for article in articles} == topics
        assert any(article.hero_image for article in articles)
        for article in articles:
            if article.hero_image is not None:
                for spec in queries.CARD_RENDITIONS:
                    article.hero_image.get_rendition(spec)


def test_treatments_under_an_index_come_with_their_cheapest_duration(site_tree, django_assert_num_queries):
    treatments = TreatmentPage.objects.live().public().child_of(site_tree.treatment_index).order_by("path")
    expected = {t.pk: min(t.durations.all(), key=lambda d: d.price_minor) for t in treatments}
    with django_assert_num_queries(2):  # the view restrictions (no request to keep them on), the treatments
        listed = selectors.treatments_under(site_tree.treatment_index, None)
    with django_assert_num_queries(0):
        lowest = {t.pk: t.lowest_price for t in listed}
        assert all(duration is None or duration.page is t for t, duration in zip(listed, lowest.values(), strict=True))
    assert {pk: (d.pk, d.minutes, d.price_minor, d.currency) for pk, d in lowest.items()} == {
        pk: (d.pk, d.minutes, d.price_minor, d.currency) for pk, d in expected.items()
    }
    assert all(lowest.values())
    # Only the cheapest: the listing did not read every duration.
    assert not any("durations" in getattr(t, "_prefetched_objects_cache", {}) for t in listed)


def test_the_first_row_is_the_one_min_finds_ties_and_none_included(site_tree, django_assert_num_queries):
    treatment = site_tree.deep_tissue
    TreatmentDuration.objects.filter(page=treatment).delete()
    for order, (minutes, price) in enumerate([(90, 12000), (60, 9000), (45, 9000), (30, 9500)]):
        TreatmentDuration.objects.create(page=treatment, minutes=minutes, price_minor=price, sort_order=order)
    bare = TreatmentPage.objects.exclude(pk=treatment.pk).live().first()
    TreatmentDuration.objects.filter(page=bare).delete()
    first = queries.folded_first(TreatmentPage, "durations", ("price_minor",), "cheapest_duration")
    loaded = TreatmentPage.objects.filter(pk__in=[treatment.pk, bare.pk]).annotate(**first.column()).in_bulk()
    for page in loaded.values():
        first.give(page)
    with django_assert_num_queries(0):
        assert loaded[treatment.pk].lowest_price.minutes == 60  # the first of the two at 90.00, as min() finds
        assert loaded[bare.pk].lowest_price is None
    assert TreatmentPage.objects.get(pk=treatment.pk).lowest_price.minutes == 60  # unfolded: the same


def test_a_many_to_many_fields_keys_come_without_the_objects(site_tree, django_assert_num_queries):
    keys = FoldedKeys(TreatmentPage, "topics")
    bare = TreatmentPage.objects.live().exclude(pk=site_tree.deep_tissue.pk).first()
    bare.topics.clear()
    bare.save()
    expected = {t.pk: sorted(t.topics.values_list("pk", flat=True)) for t in TreatmentPage.objects.all()}
    with django_assert_num_queries(1):
        loaded = list(TreatmentPage.objects.annotate(**keys.column()))
        found = {page.pk: sorted(keys.read(page)) for page in loaded}
    assert found == expected
    assert found[bare.pk] == [] and any(found.values())
    assert all(keys.attr not in vars(page) for page in loaded)  # taken off: a cached page keeps no text
    assert keys.read(loaded[0]) is None  # nothing left to read


def test_articles_related_treatments_make_no_topic(site_tree):
    articles = list(ArticlePage.objects.live().annotate(**FoldedRelation(ArticlePage, "topics").column()))
    for article in articles:
        FoldedRelation(ArticlePage, "topics").give(article)
    with instances_made() as made:
        by_article, treatments = selectors.related_treatments_of_articles(articles, lambda page: True)
    assert any(by_article.values()) and treatments
    assert Topic not in {type(obj) for obj in made}  # grouped by the treatments' topic ids, read as one column
    for article in articles:
        ids = {topic.pk for topic in article.topics.all()}
        expected = [
            t.pk for t in TreatmentPage.objects.live().filter(topics__in=ids).distinct().order_by("title", "pk")
        ]
        assert [t.pk for t in by_article[article.pk]] == expected


def test_only_a_many_to_many_fields_keys_are_folded(db):
    with pytest.raises(ImproperlyConfigured, match="only a many-to-many"):
        FoldedKeys(TreatmentPage, "durations")


def test_only_a_child_relations_first_row_is_folded(db):
    with pytest.raises(ImproperlyConfigured, match="only a child relation"):
        FoldedFirst(ArticlePage, "topics", ("name",), name="first_topic")


def test_the_shops_featured_offers_bring_their_treatments_durations(site_tree, django_assert_num_queries):
    SessionSeriesFactory(slug="folded-series", treatment=site_tree.deep_tissue, featured=True)
    MembershipPlanFactory(slug="folded-plan", treatment=site_tree.deep_tissue, featured=True)
    with django_assert_num_queries(3):  # series, memberships, gift cards
        offers = shop.featured_offers()
    with_treatment = [offer for offer in offers if getattr(offer, "treatment", None) is not None]
    assert len(with_treatment) >= 2
    expected = [(d.minutes, d.price_minor) for d in site_tree.deep_tissue.durations.all()]
    with django_assert_num_queries(0):
        for offer in with_treatment:
            if offer.treatment.pk == site_tree.deep_tissue.pk:
                assert [(d.minutes, d.price_minor) for d in offer.treatment.durations.all()] == expected


def test_a_figures_image_comes_with_the_figures_renditions(site_tree, rendered, settings, django_assert_num_queries):
    from home.performance.renditions import FIGURE

    for spec in FIGURE:
        rendered.get_rendition(spec)
    article = site_tree.sciatica_article
    article.body = [paragraph("<p>Before.</p>"), figure(rendered, caption="A figure")]
    article.save()
    page = ArticlePage.objects.get(pk=article.pk)
    with django_assert_num_queries(1):  # the figure's image, its renditions with it
        image = next(block.value["image"] for block in page.body if block.block_type == "figure")
    with django_assert_num_queries(0):
        for spec in FIGURE:
            assert image.get_rendition(spec).image_id == rendered.pk


def test_a_rich_text_link_to_a_page_the_request_loaded_needs_no_query(site_tree, django_assert_num_queries):
    section = site_tree.blog_index
    other = site_tree.sciatica_article
    attrs = [{"id": str(section.pk)}, {"id": str(other.pk)}]
    with known.scope():
        known.known_pages([Page.objects.get(pk=section.pk).specific_deferred])
        with django_assert_num_queries(1):  # the article only
            pages = PageLinkHandlerOneQuery.get_many(attrs)
        assert [page.pk for page in pages] == [section.pk, other.pk]
        assert pages[0].url == section.url
    # Outside a request's scope nothing is kept: every link is read.
    known.known_pages([section])
    with django_assert_num_queries(1):
        assert [page.pk for page in PageLinkHandlerOneQuery.get_many(attrs[:1])] == [section.pk]


def test_the_nav_sections_and_the_home_page_are_known_to_the_request(client, site_tree, settings):
    """A rich text link on the home page to a section (the journal) reads no page."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    home = HomePage.objects.get(pk=site_tree.home.pk)
    intro = f'<p>Read <a linktype="page" id="{site_tree.blog_index.pk}">the journal</a>.</p>'
    home.intro = intro
    home.save()
    assert client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert f'href="{site_tree.blog_index.url}"' in response.content.decode()
    by_id = [q["sql"] for q in ctx.captured_queries if '"wagtailcore_page"."id" IN (' in q["sql"]]
    assert by_id == []


def test_a_page_of_a_listing_is_chosen_before_anything_is_folded_in(site_tree):
    """listings.chosen_first: the rows of ``[start:stop]`` are chosen by a subquery, so what is folded
    into the query is worked out for those rows only (SQLite works out every column of every row
    before it sorts them); the same rows in the same order as the ORM's slice."""
    for n in range(6):
        ArticlePageFactory(parent=site_tree.blog_index, title=f"Chosen {n}", date=datetime.date(2026, 2, 1 + n))
    ordered = ArticlePage.objects.live().order_by("-date", "-pk")
    fold = FoldedRelation(ArticlePage, "topics")
    for start, stop in ((None, 3), (2, 5), (4, 40)):
        chosen = listings.chosen_first(ordered, start, stop).annotate(**fold.column())
        assert [page.pk for page in chosen] == [page.pk for page in ordered[start:stop]]
        sql = str(chosen.query)
        outer, _, inner = sql.partition(" IN (SELECT ")
        assert "LIMIT" in inner and "folded_rows" not in inner  # chosen first, without the folded column
        assert "folded_rows" in outer


def test_a_database_that_does_not_fold_reads_the_relations_as_usual(site_tree, monkeypatch):
    """On a database other than SQLite or PostgreSQL nothing is folded: no column, and the instance
    is left to read its relation itself (as without folded.py)."""
    from home.performance import folded

    monkeypatch.setattr(folded, "_VENDORS", ("postgresql",) if connection.vendor == "sqlite" else ("sqlite",))
    assert not folded.supported()
    topics = FoldedRelation(ArticlePage, "topics")
    renditions = FoldedRenditions(("width-40",), "hero")
    assert topics.column() == {} and renditions.column("hero_image_id") == {}
    cheapest = FoldedFirst(TreatmentPage, "durations", ("price_minor",), name="cheapest_duration")
    assert cheapest.column() == {} and FoldedKeys(TreatmentPage, "topics").column() == {}
    treatment = TreatmentPage.objects.annotate(**cheapest.column()).get(pk=site_tree.deep_tissue.pk)
    cheapest.give(treatment)
    assert "cheapest_duration" not in vars(treatment)
    assert treatment.lowest_price == min(treatment.durations.all(), key=lambda d: d.price_minor)
    page = ArticlePage.objects.annotate(**topics.column()).get(pk=site_tree.sciatica_article.pk)
    topics.give(page)
    assert "topics" not in getattr(page, "_prefetched_objects_cache", {})
    assert list(page.topics.all()) == list(site_tree.sciatica_article.topics.all())
    monkeypatch.undo()
    column = FoldedRelation(ArticlePage, "topics").column()  # built on a supported database…
    monkeypatch.setattr(folded, "_VENDORS", ())
    with pytest.raises(NotSupportedError, match="folded rows need SQLite or PostgreSQL"):
        list(ArticlePage.objects.annotate(**column))  # …refused where it cannot run


def test_a_relations_values_can_be_kept_without_the_objects(site_tree, django_assert_num_queries):
    fold = FoldedRelation(ArticlePage, "topics")
    site_tree.sciatica_article.topics.add(TopicFactory(name="Piriformis", slug="piriformis"))
    site_tree.sciatica_article.save()
    article = ArticlePage.objects.annotate(**fold.column()).get(pk=site_tree.sciatica_article.pk)
    expected = list(Topic.objects.filter(articles=article).order_by("name"))
    assert len(expected) >= 2
    with django_assert_num_queries(0):
        assert fold.keep_values(article)
        assert "topics" not in getattr(article, "_prefetched_objects_cache", {})  # no queryset, no Topic
        values = prepared.given_values(article, "topics")
        assert values == [{"id": t.pk, "name": t.name, "slug": t.slug, "description": t.description} for t in expected]
        # A reader that needs the objects gets them, made from the values and given as prefetched.
        assert [(t.pk, t.name) for t in prepared.given(article, "topics")] == [(t.pk, t.name) for t in expected]
        assert list(article.topics.all()) == expected
    assert not fold.keep_values(article)  # the column was taken: nothing more to keep
    plain = ArticlePage.objects.get(pk=site_tree.sciatica_article.pk)
    assert prepared.given_values(plain, "topics") == values  # read from the objects where none were kept


def test_a_journal_pages_cards_show_their_topics_without_making_them(site_tree, client):
    article = site_tree.sciatica_article
    expected = [topic.name for topic in article.topics.all()]
    assert expected
    client.get(site_tree.blog_index.url)  # warms the site, the prepared queries
    with instances_made() as made:
        response = client.get(site_tree.blog_index.url)
    html = response.content.decode()
    for name in expected:
        assert f'<span class="tag">{name}</span>' in html
    # The journal's topic links are Topics; the cards read their topics' values and make none.
    assert [type(obj) for obj in made].count(Topic) == len(selectors.topics_with_articles())
    # A page given its topics as objects, not values: the same values.
    plain = ArticlePage.objects.get(pk=article.pk)
    assert [topic["name"] for topic in site_tags.related_values(plain, "topics")] == expected
