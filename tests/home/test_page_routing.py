"""Routing through the page tree (home/performance/page_routing.py): one query per level, Wagtail's answers.

The query counts themselves are budgets (tests/home/test_query_budgets.py); here, that the
shortcut answers what Wagtail's own routing would: the same page, as its own type, with its
parents, and Wagtail's way for anything the shortcut does not know.
"""

from __future__ import annotations

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from blog.models import ArticlePage, BlogIndexPage
from home.factories import StandardPageFactory
from home.models import HomePage, StandardPage, TreatmentPage
from home.performance import wagtail_internals as internals
from home.performance.queries import ancestors


def route(site_tree, path: str):
    request = RequestFactory().get(path, HTTP_HOST="localhost")
    internals.set_request_site(request, site_tree.site)
    return Page.route_for_request(request, path)


def test_each_page_routes_to_itself_as_its_own_type(site_tree):
    for page in site_tree.live_public_pages:
        result = route(site_tree, page.url)
        assert result is not None, page.url
        assert type(result.page) is type(page.specific) and result.page.pk == page.pk


def test_the_served_page_comes_with_its_images_and_parents(site_tree):
    result = route(site_tree, site_tree.sciatica_article.url)
    article = result.page
    with CaptureQueriesContext(connection) as ctx:
        assert article.get_parent().pk == site_tree.blog_index.pk
        assert article.get_parent().get_parent().pk == site_tree.home.pk
        article.hero_image  # noqa: B018 - loaded with the page
        article.share_image  # noqa: B018
        list(article.topics.all())
    assert ctx.captured_queries == []
    assert isinstance(article, ArticlePage)


def test_a_treatment_is_found_in_one_query_per_level_below_the_sections(site_tree):
    url = site_tree.deep_tissue.url
    with CaptureQueriesContext(connection) as ctx:
        result = route(site_tree, url)
    assert isinstance(result.page, TreatmentPage)
    page_loads = [q["sql"] for q in ctx.captured_queries if '"wagtailcore_page"."path", ' in q["sql"]]
    # the sections (nav), the treatment index, the treatment as its own type: never a base Page then its type
    assert len(page_loads) <= 3, page_loads


def test_a_child_of_another_type_still_routes_wagtails_way(site_tree):
    # Not a type BlogIndexPage allows, but made in code (or left from before subpage_types changed).
    odd = StandardPageFactory(parent=site_tree.blog_index, title="Reading list", slug="reading-list")
    result = route(site_tree, odd.url)
    assert result is not None and isinstance(result.page, StandardPage) and result.page.pk == odd.pk


def test_a_nested_standard_page_routes(site_tree):
    child = StandardPageFactory(parent=site_tree.about, title="Our rooms", slug="rooms")
    result = route(site_tree, child.url)
    assert isinstance(result.page, StandardPage) and result.page.pk == child.pk


def test_unknown_and_draft_paths_route_to_nothing(site_tree):
    assert route(site_tree, site_tree.blog_index.url + "no-such-article/") is None
    assert route(site_tree, site_tree.draft_article.url) is None
    assert route(site_tree, "/no-such-section/") is None


def test_sub_routes_come_before_children(site_tree):
    result = route(site_tree, site_tree.blog_index.url + "topic/sciatica/")
    assert isinstance(result.page, BlogIndexPage)
    view, args, kwargs = result.args
    assert kwargs == {"slug": "sciatica"}


def test_a_page_serving_one_of_its_own_routes_is_loaded_whole(site_tree):
    # The journal serving a topic listing is the page shown (its share image, meta tags): loaded
    # whole while routing, not passed through with only the fields every page has.
    result = route(site_tree, site_tree.blog_index.url + "topic/sciatica/")
    index = result.page
    assert isinstance(index, BlogIndexPage) and result.args[2] == {"slug": "sciatica"}
    with CaptureQueriesContext(connection) as ctx:
        assert index.get_deferred_fields() == set()
        index.get_share_image()
        assert [page.pk for page in ancestors(index)] == [site_tree.home.pk]
    assert ctx.captured_queries == []


def test_a_page_only_passed_through_is_not_loaded_again(site_tree):
    # An article under the journal: the journal is the section the nav read, not loaded again.
    with CaptureQueriesContext(connection) as ctx:
        result = route(site_tree, site_tree.sciatica_article.url + "not-a-route/")
    assert result is None
    assert not [q["sql"] for q in ctx.captured_queries if 'FROM "blog_blogindexpage"' in q["sql"]]


def test_the_home_page_is_served_with_its_images(site_tree):
    result = route(site_tree, "/")
    assert isinstance(result.page, HomePage)
    with CaptureQueriesContext(connection) as ctx:
        result.page.hero_image  # noqa: B018
        result.page.share_image  # noqa: B018
    assert ctx.captured_queries == []


def test_a_restricted_featured_treatment_is_left_off_the_home_page(client, site_tree):
    assert site_tree.deep_tissue.title in client.get("/").content.decode()
    PageViewRestriction.objects.create(
        page=site_tree.deep_tissue, restriction_type=PageViewRestriction.PASSWORD, password="members"
    )
    html = client.get("/").content.decode()
    assert site_tree.swedish.title in html
    assert f'href="{site_tree.deep_tissue.url}"' not in html
    assert [p.pk for p in site_tree.home.specific.featured_treatment_pages] == [site_tree.swedish.pk]
