"""A promotion code and a gift card on one order: the discount first, then the card pays part or all of the
rest, Stripe charges what is left with no discount of its own, and the order records both."""

from __future__ import annotations

import pytest
from django.core import mail

from packages import services
from packages.models import GiftCard, Order, PromotionCode, Review

from .conftest import checkout_session, event, post_webhook
from .test_balance_check import delivered_card
from .test_gateway import fake_stripe  # noqa: F401 - real mode with the SDK's fake transport

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenth(db):
    return PromotionCode.objects.create(code="TENTH", percent_off=10)


def api_checkout(client, shop, **extra):
    body = {
        "kind": "series",
        "slug": shop.series.slug,  # $425
        "email": "b@example.com",
        "name": "B",
        "accept_disclaimer": True,
        "promotion_code": "tenth",
    }
    return client.post("/api/shop/checkout", {**body, **extra}, content_type="application/json")


def test_the_discount_comes_off_first_and_the_card_pays_part_of_the_rest(client, shop, tenth, deliver_in_process):
    card, code = delivered_card(shop.gift, amount_minor=10000)
    response = api_checkout(client, shop, gift_card=code)
    assert response.status_code == 201, response.content
    order = Order.objects.get(public_token=response.json()["order"])
    assert (order.promotion_code, order.discount_minor, order.card_amount_minor) == (tenth, 4250, 10000)
    params = order.stand_in_sessions.get().params
    assert params["line_items"][0]["price_data"]["unit_amount"] == 28250  # $425 − $42.50 − $100
    assert "discounts" not in params  # no second discount at Checkout

    client.post(response.json()["checkout_url"].replace("http://127.0.0.1:8000", ""), {"action": "pay"})
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and order.card_hold == "captured"
    assert order.stripe_amount_total == 28250 and order.charged_display == "$282.50"
    assert order.adjustments == [("Discount (TENTH)", "−$42.50"), ("Paid with a gift card", "−$100")]
    assert PromotionCode.objects.get(pk=tenth.pk).times_redeemed == 1
    assert GiftCard.objects.get(pk=card.pk).balance_minor == 0
    receipt = next(m for m in mail.outbox if m.to == ["b@example.com"] and "receipt" in m.subject.lower())
    assert "Discount (TENTH)" in receipt.body and "Paid with a gift card" in receipt.body and "$282.50" in receipt.body


def test_a_card_that_covers_the_discounted_price_pays_it_all_without_stripe(client, shop, tenth):
    card, code = delivered_card(shop.gift, amount_minor=50000)
    response = api_checkout(client, shop, gift_card=code)
    order = Order.objects.get(public_token=response.json()["order"])
    assert order.status == Order.Status.FULFILLED and not order.stand_in_sessions.exists()
    assert (order.discount_minor, order.card_amount_minor) == (4250, 38250)
    assert GiftCard.objects.get(pk=card.pk).balance_minor == 50000 - 38250
    assert PromotionCode.objects.get(pk=tenth.pk).times_redeemed == 1


def test_through_the_real_sdk_stripe_gets_the_rest_and_no_coupon(client, shop, tenth, fake_stripe):  # noqa: F811
    _, code = delivered_card(shop.gift, amount_minor=10000)
    response = api_checkout(client, shop, gift_card=code)
    assert response.status_code == 201, response.content
    assert fake_stripe.sent[-1].path == "/v1/checkout/sessions"
    assert not [sent for sent in fake_stripe.sent if "coupon" in sent.path or "promotion" in sent.path]
    params = fake_stripe.sent[-1].params
    assert params["line_items[0][price_data][unit_amount]"] == "28250"
    assert "discounts[0][promotion_code]" not in params and "allow_promotion_codes" not in params
    order = Order.objects.get(public_token=response.json()["order"])
    paid = checkout_session(order, amount_subtotal=28250, amount_total=28250)
    assert post_webhook(client, event("checkout.session.completed", paid)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and not Review.objects.exists()
    assert order.card_hold == "captured" and order.charged_display == "$282.50"


def test_an_unpaid_checkout_gives_the_card_back_and_counts_no_use(client, shop, tenth):
    card, code = delivered_card(shop.gift, amount_minor=10000)
    order = Order.objects.get(public_token=api_checkout(client, shop, gift_card=code).json()["order"])
    post_webhook(client, event("checkout.session.expired", checkout_session(order, status="expired")))
    assert GiftCard.objects.get(pk=card.pk).balance_minor == 10000
    assert PromotionCode.objects.get(pk=tenth.pk).times_redeemed == 0
    assert services.gift_card_for_payment(code) is not None


def test_the_offer_form_takes_both(client, shop, tenth, deliver_in_process):
    _, code = delivered_card(shop.gift, amount_minor=10000)
    data = {
        "name": "C",
        "email": "c@example.com",
        "accept_disclaimer": "on",
        "gift_card": code,
        "promotion_code": "TENTH",
    }
    response = client.post(f"/shop/series/{shop.series.slug}/", data)
    assert response.status_code == 302
    order = Order.objects.get(customer__email="c@example.com")
    assert (order.discount_minor, order.card_amount_minor, order.stripe_amount_due_minor) == (4250, 10000, 28250)
