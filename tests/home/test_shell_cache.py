"""The page shell (head, header, footer of templates/base.html) cached with the content on Wagtail pages.

Kept per page and full path under the content generation (home/performance/fragments.py), so
each page keeps its own title, meta tags and current nav item; search (not a Wagtail page, but
an answer that depends on its URL and the content alone) keeps it per URL; rendered afresh in
the shop and for signed-in users.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from tests.home.content_caching import content_cache_on

SHELL = ("head", "header", "footer")


@pytest.fixture(autouse=True)
def content_cache():
    with content_cache_on("shell-cache-tests"):
        yield


def stored_fragments() -> set[str]:
    return {match.group(1) for key in cache._cache if (match := re.search(r"template\.cache\.(\w+)\.", key))}


def current_nav_item(html: str) -> str:
    return re.search(r'<a href="([^"]+)" aria-current="page">', html).group(1)


def test_pages_keep_their_shell(client, site_tree):
    response = client.get(site_tree.sciatica_article.url)
    assert response.status_code == 200
    assert set(SHELL) <= stored_fragments()


def test_each_page_keeps_its_own_title_and_current_section(client, site_tree):
    for _ in range(2):  # the second time from the cache
        article = client.get(site_tree.sciatica_article.url).content.decode()
        treatment = client.get(site_tree.deep_tissue.url).content.decode()
        assert f"<title>{site_tree.sciatica_article.title}" in article
        assert f"<title>{site_tree.deep_tissue.title}" in treatment
        assert current_nav_item(article) == site_tree.blog_index.url
        assert current_nav_item(treatment) == site_tree.treatment_index.url


def test_the_shop_renders_its_shell_afresh(client, site_tree):
    for url in ("/shop/", "/shop/gift-cards/balance/", "/shop/account/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert not set(SHELL) & stored_fragments()


def test_search_keeps_its_shell_per_url(client, site_tree):
    assert client.get("/search/?q=sciatica").status_code == 200
    assert set(SHELL) <= stored_fragments()
    for _ in range(2):  # the second time from the cache
        sciatica = client.get("/search/?q=sciatica").content.decode()
        piriformis = client.get("/search/?q=piriformis").content.decode()
        assert "<title>Search results for “sciatica”" in sciatica
        assert "<title>Search results for “piriformis”" in piriformis
        assert site_tree.sciatica_article.title in sciatica
        assert site_tree.piriformis_article.title in piriformis


def test_a_publish_reaches_the_cached_search_page(client, site_tree):
    assert site_tree.draft_article.title not in client.get("/search/?q=sciatica").content.decode()
    site_tree.draft_article.save_revision().publish()
    assert site_tree.draft_article.title in client.get("/search/?q=sciatica").content.decode()


def test_signed_in_visitors_get_a_fresh_shell(client, site_tree, django_user_model):
    editor = django_user_model.objects.create_user("shell-editor", password=None, is_staff=True)
    client.force_login(editor)
    client.get(site_tree.about.url)
    client.get("/search/?q=sciatica")
    assert not set(SHELL) & stored_fragments()


def test_a_settings_change_reaches_the_cached_footer(client, site_tree):
    assert "+1 555 0100" in client.get(site_tree.about.url).content.decode()
    site_tree.settings.phone = "+1 555 0142"
    site_tree.settings.save()
    html = client.get(site_tree.about.url).content.decode()
    assert "+1 555 0142" in html and "+1 555 0100" not in html


def test_a_search_asked_again_is_answered_from_its_cached_results(client, site_tree, monkeypatch, django_user_model):
    from home import selectors

    searched = []
    search_results = selectors.search_results

    def counting(query, page_number, request):
        searched.append((query, page_number))
        return search_results(query, page_number, request)

    monkeypatch.setattr(selectors, "search_results", counting)

    def results(html: str) -> str:
        return re.search(r'<ol class="search-results".*?</ol>', html, re.DOTALL).group(0)

    first = client.get("/search/?q=sciatica").content.decode()
    assert site_tree.sciatica_article.title in results(first)
    again = client.get("/search/?q=sciatica").content.decode()
    assert searched == [("sciatica", 1)]
    assert results(again) == results(first)  # the same results, from the fragment kept for this URL

    client.get("/search/?q=sciatica&page=2")
    assert len(searched) == 2  # another URL, its own answer
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    assert site_tree.sciatica_article.title in client.get("/search/?q=sciatica").content.decode()
    assert len(searched) == 3  # signed in: searched afresh
