"""The Wagtail internals home/performance/wagtail_internals.py relies on are still where it expects them.

Run on every Wagtail upgrade (part of the suite): a failure here names the shortcut that
moved, instead of a silent loss of speed (or of correctness) somewhere else.
"""

from __future__ import annotations

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.blocks import CharBlock, ListBlock
from wagtail.models import Page, Site

from home.performance import wagtail_internals as internals


def test_the_request_site_is_what_wagtail_reads(site_tree):
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    site = Site.objects.get(is_default_site=True)
    assert not internals.request_has_site(request)
    internals.set_request_site(request, site)
    assert internals.request_has_site(request)
    with CaptureQueriesContext(connection) as ctx:
        assert Site.find_for_request(request) is site
    assert ctx.captured_queries == []


def test_a_given_specific_page_answers_specific(site_tree):
    page = Page.objects.get(pk=site_tree.home.pk)
    home = type(site_tree.home).objects.get(pk=site_tree.home.pk)
    internals.set_specific(page, home)
    with CaptureQueriesContext(connection) as ctx:
        assert page.specific is home
    assert ctx.captured_queries == []


def test_a_cached_parent_answers_get_parent(site_tree):
    article = Page.objects.get(pk=site_tree.sciatica_article.pk)
    internals.set_cached_parent(article, site_tree.blog_index)
    with CaptureQueriesContext(connection) as ctx:
        assert article.get_parent() is site_tree.blog_index
    assert ctx.captured_queries == []


def test_prefetched_renditions_are_where_wagtail_looks(site_tree, settings, tmp_path):
    from home.factories import ImageFactory

    settings.MEDIA_ROOT = str(tmp_path)
    image = ImageFactory()
    assert not internals.has_prefetched_renditions(image)
    internals.set_prefetched_renditions(image, [])
    assert internals.has_prefetched_renditions(image)
    assert image._get_prefetched_renditions() == []


def test_a_list_items_value_in_either_stored_format():
    block = ListBlock(CharBlock())
    assert internals.list_item_value(block, {"type": "item", "value": "New", "id": "a1"}) == "New"
    assert internals.list_item_value(block, "Old") == "Old"
    assert list(block.to_python([{"type": "item", "value": "New", "id": "a1"}, "Old"])) == ["New", "Old"]


def test_our_view_restriction_check_replaces_wagtails():
    from wagtail import hooks
    from wagtail import wagtail_hooks as core

    from home.performance import routing

    serving = hooks.get_hooks("on_serve_page")
    assert routing.check_view_restrictions in serving
    assert core.check_view_restrictions not in serving


def test_restricted_pages_and_pages_under_them_still_ask_for_the_password(client, site_tree):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(
        page=site_tree.blog_index, restriction_type=PageViewRestriction.PASSWORD, password="stretch"
    )
    for page in (site_tree.blog_index, site_tree.sciatica_article):
        response = client.get(page.url)
        assert response.status_code == 200
        assert b"password" in response.content.lower()
        assert "no-cache" in response["Cache-Control"]
    assert client.get(site_tree.treatment_index.url).status_code == 200


# Wagtail's private names the adapter wraps; nothing else in the project may touch them.
PRIVATE_NAMES = {"_cached_parent_obj", "_wagtail_site", "_raw_data", "_bound_blocks", "_hooks"}
PRIVATE_STRINGS = {"prefetched_renditions", *PRIVATE_NAMES}
PROJECT_PACKAGES = ("home", "blog", "packages", "site", "jobs", "staff")


def _private_uses(path) -> list[str]:
    import io
    import tokenize

    found = []
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    for previous, token in zip(tokens, tokens[1:], strict=False):
        attribute = token.type == tokenize.NAME and previous.string == "." and token.string in PRIVATE_NAMES
        literal = token.type == tokenize.STRING and token.string.strip("\"'") in PRIVATE_STRINGS
        if attribute or literal:
            found.append(f"{path}:{token.start[0]}: {token.string}")
    return found


def test_only_the_adapter_touches_wagtails_private_attributes():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    adapter = root / "home" / "performance" / "wagtail_internals.py"
    uses = []
    for package in PROJECT_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if path != adapter and "migrations" not in path.parts:
                uses += _private_uses(path)
    assert uses == [], "use home/performance/wagtail_internals.py instead:\n" + "\n".join(uses)


def test_routing_to_a_child_sets_its_parent_through_the_adapter(site_tree, rf):
    """The section, treatment and article routes hand the parent they hold to the child (no query for it)."""
    from wagtail.models import Site

    request = rf.get(site_tree.sciatica_article.url)
    home = Site.find_for_request(request).root_page.specific
    route = home.route(request, [site_tree.blog_index.slug, site_tree.sciatica_article.slug])
    article = route.page
    assert article.pk == site_tree.sciatica_article.pk
    with CaptureQueriesContext(connection) as ctx:
        parent = article.get_parent()
    assert parent.pk == site_tree.blog_index.pk and ctx.captured_queries == []


def test_a_page_asked_without_a_request_keeps_the_root_paths_on_the_request_being_served(site_tree, rf):
    # Wagtail's _get_site_root_paths(cache_object) keeps them on the page when given none.
    request = rf.get("/")
    page = Page.objects.get(pk=site_tree.about.pk).specific
    with internals.serving(request):
        paths = page._get_site_root_paths()
    assert request._wagtail_cached_site_root_paths is paths
    assert not hasattr(page, "_wagtail_cached_site_root_paths")
    plain = Page.objects.get(pk=site_tree.about.pk)  # Wagtail's own Page: kept on the page
    Page._get_site_root_paths(plain)
    assert hasattr(plain, "_wagtail_cached_site_root_paths")
