"""Prepared queries (home/performance/prepared.py): built and compiled once, run with new values.

They answer what the ORM answers for the same queryset (instances, ``select_related``
joins, annotations, the database's conversions, prefetches), build the queryset only when a
connection first runs them, and refuse a query whose SQL or parameters the values change.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Concat
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.models import Page, PageViewRestriction, Site

from blog.models import ArticlePage, BlogIndexPage
from home import selectors
from home.factories import ImageFactory, StandardPageFactory, TopicFactory, TreatmentPageFactory, paragraph
from home.models import HomePage, HomePageFeaturedTreatment, StandardPage, TreatmentIndexPage
from home.performance import queries
from home.performance.prepared import PreparedIdsQuery, PreparedQuery
from packages.factories import SessionSeriesFactory
from tests.conftest import instances_made


def articles_titled(title: str):
    return (
        ArticlePage.objects.filter(title=title)
        .select_related("hero_image")
        .annotate(label=Concat(F("title"), Value(" ("), F("slug"), Value(")"), output_field=CharField()))
    )


def fields(page) -> dict:
    return {field.attname: getattr(page, field.attname) for field in type(page)._meta.concrete_fields}


def test_the_same_instances_as_the_orm_with_joins_annotations_and_conversions(site_tree, django_assert_num_queries):
    article = site_tree.sciatica_article
    published = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
    Page.objects.filter(pk=article.pk).update(first_published_at=published)
    query = PreparedQuery(articles_titled, title=str)
    expected = list(articles_titled(article.title))
    with django_assert_num_queries(1):
        found = query(title=article.title)
        assert found[0].hero_image == expected[0].hero_image  # joined: no query
    assert [type(page) for page in found] == [ArticlePage]
    assert fields(found[0]) == fields(expected[0])
    assert found[0].label == f"{article.title} ({article.slug})"
    # The database's values come back as Python's: SQLite keeps booleans as 0/1 and datetimes as text.
    assert found[0].live is True
    assert found[0].first_published_at == published
    assert found[0].date == article.date  # a date, not text
    assert found[0]._state.adding is False and found[0]._state.db == "default"


def test_each_call_runs_with_its_own_values_and_the_queryset_is_built_once_per_connection(site_tree):
    built = []

    def build(slug, depth):
        built.append(slug)
        return Page.objects.filter(slug=slug, depth=depth)

    query = PreparedQuery(build, slug=str, depth=int)
    assert [p.pk for p in query(slug=site_tree.about.slug, depth=site_tree.about.depth)] == [site_tree.about.pk]
    assert len(built) == 2  # compiled twice with two sets of placeholders, to find where the values go
    assert [p.pk for p in query(slug=site_tree.blog_index.slug, depth=3)] == [site_tree.blog_index.pk]
    assert query(slug=site_tree.blog_index.slug, depth=4) == []
    assert query(slug="no-such-page", depth=3) == []
    assert len(built) == 2  # never built again on this connection
    with CaptureQueriesContext(connection) as ctx:
        query(slug="about", depth=3)
    assert ctx.captured_queries[0]["sql"] == query.sql().replace("%s", "3", 1).replace("%s", "'about'", 1)


def test_another_thread_runs_it_on_its_own_connection(site_tree, transactional_db):
    query = PreparedQuery(lambda hostname: Site.objects.filter(hostname=hostname), hostname=str)
    assert query(hostname=site_tree.site.hostname)
    answers, errors = [], []

    def other_thread():
        try:
            answers.append([site.pk for site in query(hostname=site_tree.site.hostname)])
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert not errors
    assert answers == [[site_tree.site.pk]]


def test_prefetches_run_after_the_query(site_tree, django_assert_num_queries):
    query = PreparedQuery(lambda slug: ArticlePage.objects.filter(slug=slug).prefetch_related("topics"), slug=str)
    with django_assert_num_queries(2):
        (article,) = query(slug=site_tree.sciatica_article.slug)
        topics = list(article.topics.all())
    assert topics == list(site_tree.sciatica_article.topics.all())
    with django_assert_num_queries(1):
        assert query(slug="no-such-article") == []  # nothing to prefetch for


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda title: Page.objects.filter(title__startswith=title), "rewritten by Django"),
        (lambda title: Page.objects.filter(title="About"), "do not reach the SQL"),
        (lambda title: Page.objects.filter(title=title).values("pk"), "model instances"),
        (lambda title: Page.objects.filter(title=title).specific(), "model instances"),
    ],
)
def test_a_query_the_values_change_is_refused_with_the_reason(db, build, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        PreparedQuery(build, title=str)(title="About")


def test_a_query_whose_sql_the_values_shape_is_refused(db):
    with pytest.raises(ImproperlyConfigured, match="depends on its values"):
        PreparedQuery(lambda depth: Page.objects.filter(depth__in=range(depth // 1000)), depth=int)(depth=2)


def test_values_are_checked_by_name_and_type(db):
    query = PreparedQuery(lambda pk: Page.objects.filter(pk=pk), pk=int)
    with pytest.raises(TypeError, match="takes"):
        query(id=1)
    with pytest.raises(TypeError, match="expected int"):
        query(pk="1")
    with pytest.raises(ImproperlyConfigured, match="str or int"):
        PreparedQuery(lambda when: Page.objects.filter(first_published_at=when), when=datetime.datetime)


def test_an_uncached_page_request_compiles_neither_its_site_nor_its_routing_queries(
    client, site_tree, settings, compiled_sql
):
    """The Site query (home/performance/queries.py), the site's sections and each level's child
    lookup (home/performance/page_routing.py), and every other query of an article page, are
    compiled by the first request only."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    url = site_tree.sciatica_article.url
    assert client.get(url).status_code == 200
    compiled = compiled_sql()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    executed = [query["sql"] for query in ctx.captured_queries]
    site = [sql for sql in executed if sql.startswith('SELECT "wagtailcore_site"."id"')]
    by_slug = [sql for sql in executed if f"\"slug\" = '{site_tree.sciatica_article.slug}'" in sql]
    sections = [sql for sql in executed if f"\"path\" BETWEEN '{site_tree.home.path}0000'" in sql]
    assert len(site) == len(by_slug) == len(sections) == 1, executed
    # Nor any other: its relations, figures, recommended treatments, related pages, rich text links
    # and renditions are all prepared queries now.
    assert compiled == [], compiled


def test_the_shops_offer_reads_are_compiled_once(client, site_tree, settings, compiled_sql):
    """The home page's featured offers, a treatment's offers and the shop's catalog (packages/selectors.py)."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    offer = SessionSeriesFactory(treatment=site_tree.deep_tissue, featured=True)
    urls = ["/", site_tree.deep_tissue.url, "/shop/", "/api/shop/offers"]
    for url in urls:
        assert client.get(url).status_code == 200
    compiled = compiled_sql()
    home = client.get("/").content.decode()
    assert offer.title in home and 'FROM "home_treatmentduration"' not in " ".join(compiled)  # its savings
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        assert offer.title in response.content.decode(), url
        offer_reads = [q["sql"] for q in ctx.captured_queries if 'FROM "packages_sessionseries"' in q["sql"]]
        assert offer_reads, url
    assert not any('FROM "packages_' in sql for sql in compiled), [s for s in compiled if "packages_" in s]


def test_a_locking_query_needs_a_transaction_where_the_database_locks(transactional_db):
    """As Django refuses ``select_for_update()`` outside a transaction (on PostgreSQL; SQLite takes no row locks)."""
    query = PreparedQuery(lambda slug: Page.objects.select_for_update().filter(slug=slug), slug=str)
    with transaction.atomic():
        assert query(slug="no-such-page") == []
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in query.sql()
        with pytest.raises(TransactionManagementError, match="outside of a transaction"):
            query(slug="no-such-page")
    else:
        assert query(slug="no-such-page") == []


def test_the_home_pages_latest_articles_and_testimonials_are_compiled_once_per_set_of_restrictions(
    client, site_tree, settings, compiled_sql
):
    """Their SQL holds the restricted paths, so a new restriction is a new query (home/selectors.py)."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    article = site_tree.sciatica_article
    assert article.title in client.get("/").content.decode()
    compiled = compiled_sql()
    with CaptureQueriesContext(connection) as ctx:
        assert article.title in client.get("/").content.decode()
    assert any('FROM "home_testimonial"' in q["sql"] for q in ctx.captured_queries)
    assert not any('FROM "home_testimonial"' in sql or '"blog_articlepage"."date" DESC' in sql for sql in compiled)

    restriction = PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
    assert article.title not in client.get("/").content.decode()
    assert any('"blog_articlepage"."date" DESC' in sql for sql in compiled)  # the new set of restrictions
    restriction.delete()
    assert article.title in client.get("/").content.decode()


def test_related_pages_are_compiled_once_per_number_of_topics(client, site_tree, settings, compiled_sql):
    """A treatment's related articles and an article's related treatments (home/selectors.py): one
    prepared query per number of topics (the topic ids are its values) and set of restrictions."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    article, treatment = site_tree.sciatica_article, site_tree.deep_tissue
    topic = TopicFactory(name="Hip pain")
    for url in (article.url, treatment.url):
        assert client.get(url).status_code == 200
    compiled = compiled_sql()
    assert treatment.title in client.get(article.url).content.decode()
    assert article.title in client.get(treatment.url).content.decode()
    assert not any('"topic_id" IN' in sql for sql in compiled)

    # Another number of topics: another query, with the same answers.
    article.topics.add(topic)
    article.save()
    treatment.topics.add(topic)
    treatment.save()
    assert treatment.title in client.get(article.url).content.decode()
    assert article.title in client.get(treatment.url).content.decode()
    assert any('"topic_id" IN' in sql for sql in compiled)


def test_rich_text_page_links_are_compiled_once_per_number_of_pages(client, site_tree, settings, compiled_sql):
    """home/performance/richtext.py: the linked pages' query is prepared for up to 16 pages."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    targets = [site_tree.deep_tissue, site_tree.sciatica_article]
    many = [TreatmentPageFactory(parent=site_tree.treatment_index, title=f"Linked {n}") for n in range(17)]

    def links(pages) -> str:
        return "".join(f'<a linktype="page" id="{page.pk}">{page.title}</a> ' for page in pages)

    page = StandardPageFactory(
        parent=site_tree.home,
        slug="reading",
        body=[paragraph(f'<p>{links(targets)} and a gone page: <a linktype="page" id="999999">x</a></p>')],
    )
    crowded = StandardPageFactory(parent=site_tree.home, slug="crowded", body=[paragraph(f"<p>{links(many)}</p>")])
    assert client.get(page.url).status_code == 200
    compiled = compiled_sql()
    html = client.get(page.url).content.decode()
    for target in targets:
        assert f'<a href="{target.url}">{target.title}</a>' in html
    assert "<a>x</a>" in html  # a link to a page that is gone, as Wagtail renders it
    assert not any('"wagtailcore_page"."id" IN' in sql for sql in compiled)
    # More pages than are prepared for: built as usual, the same links.
    html = client.get(crowded.url).content.decode()
    assert all(f'<a href="{linked.url}">{linked.title}</a>' in html for linked in many)
    assert any('"wagtailcore_page"."id" IN' in sql for sql in compiled)


def test_renditions_are_attached_by_a_prepared_query_up_to_sixteen_images(db, settings, tmp_path, compiled_sql):
    """home/performance/queries.py ``attach_renditions``: prepared per set of specs and number of images."""
    settings.MEDIA_ROOT = str(tmp_path)
    images = [ImageFactory(title=f"Prepared {n}", width=160, height=100) for n in range(17)]
    for image in images:
        image.get_rendition("fill-80x50")
    queries.attach_renditions(images[:2], ("fill-80x50", "width-40"))  # compiles this shape once
    compiled = compiled_sql()
    fresh = list(Image.objects.filter(pk__in=[image.pk for image in images[:2]]).order_by("pk"))
    twin = Image.objects.get(pk=fresh[0].pk)  # another instance of the same image shares its renditions
    with CaptureQueriesContext(connection) as ctx:
        queries.attach_renditions([*fresh, twin, None], ("fill-80x50", "width-40"))
        assert [image.get_rendition("fill-80x50").image_id for image in (*fresh, twin)] == [
            fresh[0].pk,
            fresh[1].pk,
            fresh[0].pk,
        ]
    assert len(ctx.captured_queries) == 1
    assert not any('FROM "wagtailimages_rendition"' in sql for sql in compiled)
    many = list(Image.objects.filter(pk__in=[image.pk for image in images]))
    queries.attach_renditions(many, ("fill-80x50",))
    assert any('FROM "wagtailimages_rendition"' in sql for sql in compiled)  # seventeen images: built as usual
    assert all(image.get_rendition("fill-80x50").image_id == image.pk for image in many)


def test_the_home_pages_featured_treatments_are_prepared_and_a_previews_stay_its_own(site_tree, compiled_sql):
    """home/selectors.py ``featured_treatments``: the saved links by a prepared query; a preview's
    links (in memory, not saved) as the editor left them."""
    saved = HomePage.objects.get(pk=site_tree.home.pk)
    expected = [link.treatment for link in saved.featured_treatments.all() if link.treatment.live]
    assert expected and selectors.featured_treatments(saved) == expected
    compiled = compiled_sql()
    again = HomePage.objects.get(pk=site_tree.home.pk)
    compiled.clear()
    assert selectors.featured_treatments(again) == expected
    assert not any('"home_homepagefeaturedtreatment"' in sql for sql in compiled)

    preview = HomePage.objects.get(pk=site_tree.home.pk)
    preview.featured_treatments = [HomePageFeaturedTreatment(treatment=site_tree.swedish)]
    assert selectors.featured_treatments(preview) == [site_tree.swedish]


def test_the_treatment_index_lists_its_treatments_from_a_prepared_query(client, site_tree, settings, compiled_sql):
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    url = site_tree.treatment_index.url
    assert client.get(url).status_code == 200
    compiled = compiled_sql()
    html = client.get(url).content.decode()
    for treatment in (site_tree.deep_tissue, site_tree.swedish):
        assert treatment.title in html
    assert "from $" in html  # each card's lowest price, from its durations
    assert not any('FROM "home_treatmentpage"' in sql for sql in compiled)
    assert not any('FROM "home_treatmentduration"' in sql for sql in compiled)
    # A restriction is a new set of restricted paths: a new query, without the restricted treatment.
    PageViewRestriction.objects.create(page=site_tree.swedish, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(url).content.decode()
    assert site_tree.deep_tissue.title in html and site_tree.swedish.title not in html


def test_a_query_that_can_match_nothing_runs_no_sql(db, django_assert_num_queries):
    query = PreparedQuery(lambda slug: Page.objects.filter(slug=slug, pk__in=[]), slug=str)
    with django_assert_num_queries(0):
        assert query(slug="about") == []


def test_a_query_over_ids_is_prepared_per_number_of_ids(site_tree, django_assert_num_queries):
    built = []

    def build(ids):
        built.append(len(ids))
        return Page.objects.filter(id__in=ids).order_by("pk")

    query = PreparedIdsQuery(build, up_to=2)
    about, blog = site_tree.about, site_tree.blog_index
    assert [page.pk for page in query([about.pk, blog.pk])] == sorted([about.pk, blog.pk])
    assert [page.pk for page in query([blog.pk, about.pk])] == sorted([about.pk, blog.pk])
    assert [page.pk for page in query([about.pk])] == [about.pk]
    assert built == [2, 2, 1, 1]  # each number of ids compiled once (twice, to find its values)
    with django_assert_num_queries(0):
        assert query([]) == []
    three = [about.pk, blog.pk, site_tree.home.pk]
    assert sorted(page.pk for page in query(three)) == sorted(three)  # over up_to: built as usual
    assert built[-1] == 3


def test_a_served_pages_relations_come_from_prepared_queries_as_a_prefetch_gives_them(
    client, site_tree, settings, compiled_sql, django_assert_num_queries
):
    """``served_related`` (a treatment's durations, body areas and topics; an article's topics):
    the same objects in the same order as ``prefetch_related``, read without a query after, each
    duration pointing at its page; and compiled by the first request only."""
    from django.db.models import prefetch_related_objects

    from home.models import TreatmentPage
    from home.performance.prepared import PreparedRelation

    names = ("durations", "body_areas", "topics")
    expected = TreatmentPage.objects.get(pk=site_tree.deep_tissue.pk)
    prefetch_related_objects([expected], *names)
    treatment = TreatmentPage.objects.get(pk=site_tree.deep_tissue.pk)
    for name in names:
        PreparedRelation(TreatmentPage, name)(treatment)
    with django_assert_num_queries(0):
        for name in names:
            assert list(getattr(treatment, name).all()) == list(getattr(expected, name).all()), name
        assert all(duration.page is treatment for duration in treatment.durations.all())
    assert treatment.durations.all() and treatment.topics.all()

    with pytest.raises(ImproperlyConfigured, match="not a child relation or a many-to-many field"):
        PreparedRelation(TreatmentPage, "hero_image")

    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    urls = [site_tree.deep_tissue.url, site_tree.sciatica_article.url]
    for url in urls:
        assert client.get(url).status_code == 200
    compiled = compiled_sql()
    for url in urls:
        assert client.get(url).status_code == 200
    relation_tables = ('"home_treatmentduration"', '"home_bodyarea"', 'FROM "home_topic" INNER JOIN')
    assert not [sql for sql in compiled if any(table in sql for table in relation_tables)], compiled


def test_several_pages_children_come_from_one_prepared_query(site_tree, django_assert_num_queries):
    """``PreparedRelation.for_all`` (the treatment index's cards, the offers' savings): each page its
    own children, in their order, as ``prefetch_related`` gives them, and only child relations."""
    from django.db.models import prefetch_related_objects

    from home.models import TreatmentPage
    from home.performance.prepared import PreparedRelation

    pks = [site_tree.deep_tissue.pk, site_tree.swedish.pk]
    expected = list(TreatmentPage.objects.filter(pk__in=pks).order_by("pk"))
    prefetch_related_objects(expected, "durations")
    treatments = list(TreatmentPage.objects.filter(pk__in=pks).order_by("pk"))
    durations = PreparedRelation(TreatmentPage, "durations")
    with django_assert_num_queries(1):
        durations.for_all(treatments)
    with django_assert_num_queries(0):
        for treatment, reference in zip(treatments, expected, strict=True):
            found = list(treatment.durations.all())
            assert [d.pk for d in found] == [d.pk for d in reference.durations.all()]
            assert all(duration.page is treatment for duration in found)
    assert sum(len(t.durations.all()) for t in treatments) > len(treatments)

    with django_assert_num_queries(0):
        durations.for_all([])

    # A many-to-many field: each page its related objects, in the related model's order.
    article = site_tree.sciatica_article
    article.topics.set([site_tree.sciatica, site_tree.piriformis, TopicFactory(name="Back pain", slug="back-pain")])
    article.save()
    articles = list(ArticlePage.objects.order_by("pk"))
    expected = list(ArticlePage.objects.order_by("pk"))
    prefetch_related_objects(expected, "topics")
    topics = PreparedRelation(ArticlePage, "topics")
    with django_assert_num_queries(1):
        topics.for_all(articles)
    with django_assert_num_queries(0):
        found = [[topic.slug for topic in article.topics.all()] for article in articles]
    assert found == [[topic.slug for topic in article.topics.all()] for article in expected]
    assert ["back-pain", "piriformis-syndrome", "sciatica"] in found  # by name, as Topic orders them


def test_the_journal_and_a_topic_listing_compile_no_query(client, site_tree, settings, compiled_sql):
    """Their page of cards, its topics and renditions, the topic, its treatments, the journal's
    topic links and the listing's total (selectors.articles_count) are prepared."""
    settings.CONTENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0
    urls = [site_tree.blog_index.url, site_tree.blog_index.url + "topic/sciatica/"]
    for url in urls:
        assert client.get(url).status_code == 200
    compiled = compiled_sql()
    for url in urls:
        html = client.get(url).content.decode()
        assert site_tree.sciatica_article.title in html, url
    assert site_tree.deep_tissue.title in html  # the topic's treatments
    assert compiled == []


_CHILDREN = PreparedQuery(
    lambda depth: Page.objects.filter(depth=depth).order_by("path"),
    specific=True,
    depth=int,
)


def _fields(page) -> dict:
    deferred = page.get_deferred_fields()
    return {f.attname: getattr(page, f.attname) for f in type(page)._meta.concrete_fields if f.attname not in deferred}


def test_a_specific_query_makes_each_page_as_specific_deferred_does(site_tree, django_assert_num_queries):
    depth = site_tree.home.depth + 1
    expected = [page.specific_deferred for page in Page.objects.filter(depth=depth).order_by("path")]
    assert len({type(page) for page in expected}) >= 3 and Page not in {type(page) for page in expected}
    with django_assert_num_queries(1):
        found = _CHILDREN(depth=depth)
        # The parent link is the row's own key, as Wagtail sets it: reading it asks nothing.
        assert [page.page_ptr_id for page in found] == [page.pk for page in expected]
    assert [type(page) for page in found] == [type(page) for page in expected]
    for page, theirs in zip(found, expected, strict=True):
        assert page.get_deferred_fields() == theirs.get_deferred_fields()
        assert _fields(page) == _fields(theirs)
        assert page._state.adding is False and page._state.db == "default"
        assert page.specific_deferred is page
    treatments = next(page for page in found if isinstance(page, TreatmentIndexPage))
    intro = TreatmentIndexPage.objects.get(pk=treatments.pk).intro
    with django_assert_num_queries(1):  # a field of its own type: loaded when read, as Wagtail's would be
        assert treatments.intro == intro


def test_a_specific_query_leaves_a_page_of_a_removed_type_plain(site_tree):
    stale = ContentType.objects.create(app_label="gone", model="oldpage")
    Page.objects.filter(pk=site_tree.about.pk).update(content_type=stale)
    found = {page.pk: page for page in _CHILDREN(depth=site_tree.home.depth + 1)}
    assert type(found[site_tree.about.pk]) is Page
    assert found[site_tree.about.pk].title == site_tree.about.title


def test_a_specific_query_needs_the_content_type(db):
    query = PreparedQuery(lambda depth: Page.objects.filter(depth=depth).only("pk", "title"), specific=True, depth=int)
    with pytest.raises(ImproperlyConfigured, match="content_type"):
        query(depth=1)


def test_the_nav_sections_are_made_as_their_own_types_without_plain_pages(site_tree, rf, settings):
    settings.CONTENT_CACHE_SECONDS = 0
    request = rf.get("/", HTTP_HOST="localhost")
    assert queries.site_root(request).pk == site_tree.home.pk  # the site and its root page, read first
    with instances_made() as made:
        sections = selectors.site_sections(request)
    assert {type(page) for page in sections} == {TreatmentIndexPage, BlogIndexPage, StandardPage}
    assert Page not in {type(obj) for obj in made}
    assert [page.pk for page in sections] == [
        page.pk for page in Page.objects.child_of(site_tree.home).live().order_by("path") if page.specific_class
    ]
