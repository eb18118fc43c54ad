"""Which requests read the Site and its settings from the content cache before their view runs.

Every view that renders the site (pages, search, the APIs, the shop) is given the request's
Site, with its settings, from the content cache first: Wagtail looks the Site up on every
request. A view marked ``content_cache.reads_no_site`` (the Stripe webhook, the health check, robots.txt,
the shop API's offers)
shows nothing of the site, and its request reads none of those entries.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import override_settings

from home.performance import generation

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "site-reads"}}


@pytest.fixture
def names_read(monkeypatch):
    """The content cache entries read during the test, by name."""
    read: list[str] = []
    lookup = generation.lookup

    def spy(name, *, request=None):
        read.append(name)
        return lookup(name, request=request)

    monkeypatch.setattr(generation, "lookup", spy)
    with override_settings(CONTENT_CACHE_SECONDS=300, PAGE_CACHE_SECONDS=0, CACHES=CACHES):
        cache.clear()
        yield read


def site_reads(names: list[str]) -> list[str]:
    return [name for name in names if name.startswith("site:")]


def test_a_page_reads_its_site_and_settings_from_the_content_cache(client, site_tree, names_read):
    assert client.get(site_tree.sciatica_article.url).status_code == 200
    assert site_reads(names_read) == ["site:testserver:80"]  # the settings come with the Site
    names_read.clear()
    assert client.get("/search/?q=sciatica").status_code == 200
    assert site_reads(names_read), names_read


def test_the_stripe_webhook_reads_no_site(client, site_tree, names_read):
    response = client.post(
        "/stripe/webhook/", data=b"{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=0"
    )
    assert response.status_code == 400  # refused for its signature, by the view itself
    assert site_reads(names_read) == []


def test_the_health_check_and_robots_txt_read_no_site(client, site_tree, names_read):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert client.get("/robots.txt").status_code == 200
    assert site_reads(names_read) == []


def test_the_shop_apis_offers_read_no_site_its_other_operations_do(client, site_tree, names_read):
    response = client.get("/api/shop/offers")
    assert response.status_code == 200
    assert isinstance(response.json(), list)
    assert site_reads(names_read) == []
    # The mark is per operation: the checkout (another view of the same API) is given the Site as usual.
    names_read.clear()
    client.post("/api/shop/checkout", data={}, content_type="application/json")
    assert site_reads(names_read) == ["site:testserver:80"]
