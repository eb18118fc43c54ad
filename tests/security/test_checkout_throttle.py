"""Issue 12, item 7: checkouts cannot be created without limit.

Each one is an Order and a Stripe Checkout Session. The form POST on an offer page and
``POST /api/shop/checkout`` count against one limit per client address and one per
buyer email (packages/storefront/ratelimit.py), answering 429 with Retry-After once over either.
"""

from __future__ import annotations

import json

import pytest

from packages.models import Order
from tests.packages.conftest import build_shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(site_tree, settings):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "checkout_ip": (4, 3600), "checkout_email": (2, 3600)}
    return build_shop(site_tree)


def api_checkout(client, email: str, ip: str):
    body = {"kind": "series", "slug": "deep-5", "email": email, "name": "Maya", "accept_disclaimer": True}
    return client.post("/api/shop/checkout", json.dumps(body), content_type="application/json", REMOTE_ADDR=ip)


def form_checkout(client, shop, email: str, ip: str):
    data = {"email": email, "name": "Maya", "accept_disclaimer": "on"}
    return client.post(f"/shop/series/{shop.series.slug}/", data, REMOTE_ADDR=ip)


def test_api_checkouts_are_limited_per_email(client, shop):
    assert api_checkout(client, "a@example.com", "203.0.113.1").status_code == 201
    assert api_checkout(client, "A@Example.com ", "203.0.113.2").status_code == 201
    response = api_checkout(client, "a@example.com", "203.0.113.3")  # a third address, same buyer
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["detail"].startswith("Too many checkouts")
    assert Order.objects.count() == 2


def test_checkouts_are_limited_per_client_address_across_form_and_api(client, shop):
    for n in range(2):
        assert api_checkout(client, f"api{n}@example.com", "203.0.113.9").status_code == 201
    for n in range(2):
        assert form_checkout(client, shop, f"form{n}@example.com", "203.0.113.9").status_code == 302
    response = form_checkout(client, shop, "new@example.com", "203.0.113.9")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page and "new@example.com" in page  # the form, kept as typed
    assert api_checkout(client, "other@example.com", "203.0.113.9").status_code == 429
    # Someone else is not affected.
    assert api_checkout(client, "other@example.com", "198.51.100.1").status_code == 201
    assert Order.objects.count() == 5


def test_browsing_offers_is_not_counted(client, shop):
    for _ in range(10):
        assert client.get(f"/shop/series/{shop.series.slug}/", REMOTE_ADDR="203.0.113.10").status_code == 200
    assert form_checkout(client, shop, "b@example.com", "203.0.113.10").status_code == 302
