"""Issue 12, item 5: pages with one customer's data are never stored by browsers, proxies or CDNs.

The order page and the order API show the buyer's name and email to whoever has the
link; they answered with no Cache-Control at all. Every customer-specific path now
says ``private, no-store`` (site.security.PrivatePagesMiddleware), whatever its view set.
"""

from __future__ import annotations

import pytest

from tests.packages.conftest import build_shop, make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(site_tree):
    return make_order(build_shop(site_tree).series)


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_order_page_is_private_no_store(client, order):
    response = client.get(f"/shop/orders/{order.public_token}/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)
    assert "public" not in cache_control(response)


def test_order_api_is_private_no_store(client, order):
    response = client.get(f"/api/shop/orders/{order.public_token}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


@pytest.mark.parametrize(
    "path", ["/shop/orders/unknown/", "/shop/account/", "/shop/gift-cards/balance/", "/api/shop/orders/unknown"]
)
def test_other_customer_paths_and_misses_are_private_too(client, site_tree, path):
    assert {"private", "no-store"} <= cache_control(client.get(path))


def test_public_pages_keep_their_caching(client, site_tree):
    assert "no-store" not in cache_control(client.get("/"))
    assert "no-store" not in cache_control(client.get("/api/shop/offers"))
