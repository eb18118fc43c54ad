"""The shop API: catalog, checkout (201 / 404 / 422), order status, and its OpenAPI schema."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from packages.models import Order

from .conftest import EMAIL, checkout_session, event, post_webhook

pytestmark = pytest.mark.django_db


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_offers_lists_the_active_catalog_with_terms(client, shop):
    shop.gift.active = False
    shop.gift.save()
    response = client.get("/api/shop/offers")
    assert response.status_code == 200
    offers = {(o["kind"], o["slug"]): o for o in response.json()}
    assert set(offers) == {("series", "deep-5"), ("membership", "monthly")}
    series = offers[("series", "deep-5")]
    assert series["price_minor"] == 42500 and series["currency"] == "usd"
    assert series["sessions"] == 5 and series["session_minutes"] == 60 and series["saving_minor"] == 5000
    assert series["requires_disclaimer"] is True
    assert "valid for 6 months" in series["terms"]
    assert offers[("membership", "monthly")]["sessions_per_month"] == 1


def test_checkout_creates_order_and_returns_checkout_url(client, shop):
    response = post_json(
        client,
        "/api/shop/checkout",
        {
            "kind": "series",
            "slug": "deep-5",
            "email": EMAIL,
            "name": "Maya",
            "accept_disclaimer": True,
            # an amount sent for a series is ignored: amounts come from the server
            "amount_minor": 1,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    order = Order.objects.get(public_token=body["order"])
    assert order.amount_total_minor == 42500
    assert body["checkout_url"] == order.checkout_url
    assert "/shop/stand-in/checkout/cs_test_offline_" in body["checkout_url"]
    assert len(body["order"]) >= 24  # unguessable, not a sequential id


def test_checkout_validation_errors_are_422_with_field_messages(client, shop):
    response = post_json(client, "/api/shop/checkout", {"kind": "series", "slug": "deep-5", "email": "x", "name": ""})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"email", "name", "accept_disclaimer"} <= set(errors)
    assert Order.objects.count() == 0

    schema_error = post_json(client, "/api/shop/checkout", {"kind": "nonsense", "slug": "deep-5"})
    assert schema_error.status_code == 422
    assert "kind" in schema_error.json()["errors"]

    past = (timezone.localdate() - timezone.timedelta(days=1)).isoformat()
    gift = post_json(
        client,
        "/api/shop/checkout",
        {
            "kind": "gift-card",
            "slug": "gift-card",
            "email": EMAIL,
            "name": "Sam",
            "amount_minor": 100,
            "gift": {
                "recipient_name": "Ana",
                "recipient_email": "ana@example.com",
                "sender_name": "Sam",
                "delivery_date": past,
            },
        },
    )
    assert gift.status_code == 422
    assert set(gift.json()["errors"]) == {"amount", "delivery_date"}


def test_checkout_unknown_or_inactive_offer_is_404(client, shop):
    shop.series.active = False
    shop.series.save()
    response = post_json(
        client,
        "/api/shop/checkout",
        {"kind": "series", "slug": "deep-5", "email": EMAIL, "name": "Maya", "accept_disclaimer": True},
    )
    assert response.status_code == 404


def test_order_status_follows_fulfilment(client, shop):
    created = post_json(
        client,
        "/api/shop/checkout",
        {"kind": "series", "slug": "deep-5", "email": EMAIL, "name": "Maya", "accept_disclaimer": True},
    ).json()
    status = client.get(f"/api/shop/orders/{created['order']}").json()
    assert status["status"] == "pending" and status["sessions_granted"] is None
    assert status["lines"][0]["unit_amount_minor"] == 42500

    order = Order.objects.get(public_token=created["order"])
    assert post_webhook(client, event("checkout.session.completed", checkout_session(order))).status_code == 200
    status = client.get(f"/api/shop/orders/{created['order']}").json()
    assert status["status"] == "fulfilled" and status["sessions_granted"] == 5
    assert client.get("/api/shop/orders/not-a-real-token").status_code == 404


def test_openapi_schema_documents_the_shop(client):
    schema = client.get("/api/shop/openapi.json").json()
    assert {"/api/shop/offers", "/api/shop/checkout", "/api/shop/orders/{token}"} <= set(schema["paths"])
    assert "CheckoutIn" in schema["components"]["schemas"]


def test_offers_are_served_from_the_content_cache_until_an_offer_changes(client, shop, settings):
    from django.core.cache import cache

    settings.CONTENT_CACHE_SECONDS = 300
    cache.clear()
    first = client.get("/api/shop/offers").json()
    assert {o["slug"]: o["price_minor"] for o in first}["deep-5"] == 42500
    with django_assert_no_queries():
        assert client.get("/api/shop/offers").json() == first
    shop.series.price_minor = 39900
    shop.series.save()  # a saved offer starts a new content generation
    again = {o["slug"]: o["price_minor"] for o in client.get("/api/shop/offers").json()}
    assert again["deep-5"] == 39900


def django_assert_no_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    class NoQueries(CaptureQueriesContext):
        def __exit__(self, *exc):
            super().__exit__(*exc)
            assert not self.captured_queries, self.captured_queries

    return NoQueries(connection)
