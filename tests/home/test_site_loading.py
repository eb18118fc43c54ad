"""The request's Site in one query: Wagtail's choice of site, the root page as its own type, the
settings, and the paths of restricted and alias pages.

Wagtail reads the Site (one query), then the root page's own type (another), then each
site setting (one more each), and the view-restriction check reads the restricted paths.
``queries.load_site`` joins them; with the content cache off that is what every request
runs, with it on what a cache miss runs.
"""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from home.models import HomePage, StandardPage, StudioSettings
from home.performance import queries


def wagtails_choice(hostname: str, port: int) -> Site | None:
    try:
        return get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None


def test_one_query_gives_the_site_its_root_page_as_its_type_and_its_settings(site_tree):
    studio = StudioSettings.for_site(Site.objects.get(is_default_site=True))
    studio.studio_name = "Runway Massage Studio"
    studio.save()
    with CaptureQueriesContext(connection) as ctx:
        site = queries.load_site("anything.example", 80)
        root = site.root_page.specific
        settings = queries.site_settings(site)
        assert root.title == site_tree.home.title
        assert root.url_path == site_tree.home.url_path
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]
    assert site.is_default_site
    assert type(root) is HomePage
    assert root.pk == site_tree.home.pk
    assert [type(s) for s in settings] == [StudioSettings]
    assert settings[0].studio_name == "Runway Massage Studio"


def test_the_home_pages_images_and_call_to_action_come_with_the_site(site_tree, settings, tmp_path):
    # What the home page shows when served (page_routing.py: served_hero_renditions, served_joined).
    from home.factories import ImageFactory

    settings.MEDIA_ROOT = str(tmp_path)
    home = site_tree.home
    home.hero_image, home.share_image = ImageFactory(), ImageFactory()
    home.hero_cta_page = site_tree.treatment_index
    home.save()
    with CaptureQueriesContext(connection) as ctx:
        root = queries.load_site("localhost", 80).root_page.specific
        shown = (root.hero_image.pk, root.share_image.pk, root.hero_cta_page.pk, root.hero_cta_page.url_path)
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]
    index = site_tree.treatment_index
    assert shown == (home.hero_image.pk, home.share_image.pk, index.pk, index.url_path)

    home.hero_image = home.share_image = home.hero_cta_page = None
    home.save()
    with CaptureQueriesContext(connection) as ctx:
        root = queries.load_site("localhost", 80).root_page.specific
        assert (root.hero_image, root.share_image, root.hero_cta_page) == (None, None, None)
    assert len(ctx.captured_queries) == 1


def test_the_restricted_and_alias_paths_come_with_the_site(site_tree):
    alias = site_tree.about.create_alias(update_slug="about-the-studio-again")
    PageViewRestriction.objects.create(page=site_tree.treatment_index, restriction_type="login")
    site = queries.load_site("localhost", 80)
    assert site.special_paths == queries._read_special_paths()
    assert site.special_paths == {
        "restricted": sorted([site_tree.private_article.path, site_tree.treatment_index.path]),
        "alias": [alias.path],
    }
    PageViewRestriction.objects.all().delete()
    alias.delete()
    assert queries.load_site("localhost", 80).special_paths == {"restricted": [], "alias": []}


def test_a_site_without_settings_yet_has_none_joined(site_tree):
    StudioSettings.objects.all().delete()
    site = queries.load_site("localhost", 80)
    assert queries.site_settings(site) == []


@pytest.mark.parametrize("default_site", [True, False], ids=["with a default site", "without a default site"])
def test_the_site_chosen_is_wagtails(site_tree, default_site):
    home = site_tree.home
    Site.objects.filter(is_default_site=True).update(is_default_site=default_site)
    Site.objects.create(hostname="studio.example", port=80, root_page=home, site_name="Studio")
    Site.objects.create(hostname="studio.example", port=8080, root_page=site_tree.treatment_index, site_name="8080")
    Site.objects.create(hostname="twice.example", port=80, root_page=site_tree.blog_index, site_name="Twice 80")
    Site.objects.create(hostname="twice.example", port=81, root_page=site_tree.about, site_name="Twice 81")
    hosts = ["studio.example", "twice.example", "localhost", "nowhere.example"]
    for hostname, port in itertools.product(hosts, [80, 81, 8080, 443]):
        expected = wagtails_choice(hostname, port)
        found = queries.load_site(hostname, port)
        assert (found and found.pk) == (expected and expected.pk), (hostname, port)
        if found is not None:
            assert found.root_page.specific.pk == expected.root_page.pk
            assert type(found.root_page.specific) is type(expected.root_page.specific)


def test_a_root_page_of_a_type_not_joined_is_still_its_type(site_tree):
    Site.objects.create(hostname="about.example", port=80, root_page=site_tree.about, site_name="About")
    site = queries.load_site("about.example", 80)
    assert type(site.root_page.specific) is StandardPage
    assert site.root_page.specific.title == site_tree.about.title


@override_settings(CONTENT_CACHE_SECONDS=0)
def test_uncached_a_request_reads_its_site_and_settings_once(site_tree):
    request = RequestFactory().get("/", HTTP_HOST="testserver")
    with CaptureQueriesContext(connection) as ctx:
        queries.attach_cached_site(request)
        assert Site.find_for_request(request).root_page.specific.pk == site_tree.home.pk
        assert StudioSettings.for_request(request).pk is not None
        restricted = queries.restricted_paths(request)
        aliases = queries.alias_paths(request)
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]
    assert restricted == (site_tree.private_article.path,)
    assert aliases == ()
    assert isinstance(Site.find_for_request(request).root_page, Page)
