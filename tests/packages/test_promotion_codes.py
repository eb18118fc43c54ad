"""Promotion codes: managers make them; checkout (form, API) takes them; Stripe or the stand-in applies them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from packages import services
from packages.models import Order, PromotionCode

from .conftest import checkout_session, event, make_order, post_webhook
from .test_gateway import fake_stripe  # noqa: F401 - real mode with the SDK's fake transport

pytestmark = pytest.mark.django_db


@pytest.fixture
def spring(db):
    return PromotionCode.objects.create(code="spring 15", percent_off=15, offer_kinds=["series"], max_redemptions=2)


def api_checkout(client, shop, code, **extra):
    body = {
        "kind": "series",
        "slug": shop.series.slug,
        "email": "b@example.com",
        "name": "B",
        "accept_disclaimer": True,
    }
    return client.post("/api/shop/checkout", {**body, "promotion_code": code, **extra}, content_type="application/json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": "NOSUCH"}, "This promotion code is not valid."),
        ({"valid_until": "past"}, "This promotion code has expired."),
        ({"active": False}, "This promotion code has expired."),
        ({"valid_from": "future"}, "This promotion code is not valid yet."),
        ({"times_redeemed": 2}, "This promotion code has been used up."),
        ({"offer_kinds": ["membership"]}, "This promotion code does not apply to this offer."),
    ],
    ids=["unknown", "expired", "switched-off", "not-yet", "used-up", "other-offers"],
)
def test_a_code_that_cannot_be_used_gets_a_422_on_its_field(client, shop, spring, change, message):
    code = change.pop("code", "SPRING15")
    now = timezone.now()
    values = {
        "valid_until": now - timedelta(days=1) if change.get("valid_until") == "past" else spring.valid_until,
        "valid_from": now + timedelta(days=1) if change.get("valid_from") == "future" else spring.valid_from,
    }
    PromotionCode.objects.filter(pk=spring.pk).update(**{**change, **values})
    response = api_checkout(client, shop, code)
    assert response.status_code == 422
    assert response.json()["errors"] == {"promotion_code": message}
    assert code not in str(response.json())  # never echoed back
    assert not Order.objects.exists()


def test_a_code_discounts_the_order_through_the_stand_in_and_is_counted_once_paid(
    client, shop, spring, deliver_in_process
):
    response = api_checkout(client, shop, " spring15 ")
    assert response.status_code == 201
    order = Order.objects.get()
    assert (order.promotion_code, order.discount_minor, order.amount_total_minor) == (spring, 6375, 42500)
    assert (
        client.post(response.json()["checkout_url"].replace("http://127.0.0.1:8000", ""), {"action": "pay"}).status_code
        == 302
    )
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert (order.stripe_amount_discount, order.stripe_amount_total) == (6375, 36125)
    spring.refresh_from_db()
    assert spring.times_redeemed == 1


def test_the_offer_form_takes_a_code(client, shop, spring):
    url = f"/shop/series/{shop.series.slug}/"
    data = {"name": "C", "email": "c@example.com", "accept_disclaimer": "on", "promotion_code": "WRONG"}
    page = client.post(url, data)
    assert page.status_code == 400 and "This promotion code is not valid." in page.content.decode()
    assert client.post(url, {**data, "promotion_code": "spring15"}).status_code == 302
    assert Order.objects.get().discount_minor == 6375


def test_the_openapi_schema_lists_promotion_code_on_checkout(client):
    schema = client.get("/api/shop/openapi.json").json()
    assert "promotion_code" in schema["components"]["schemas"]["CheckoutIn"]["properties"]


def test_real_mode_mirrors_the_code_to_stripe_once_and_checkout_carries_it(fake_stripe, shop, spring):  # noqa: F811
    fake_stripe.fail_with = [
        (200, {"id": "coupon_1Spring", "object": "coupon", "percent_off": 15}),
        (200, {"id": "promo_1Spring", "object": "promotion_code", "code": "SPRING15"}),
    ]
    order = make_order(shop.series, checkout=False, promotion_code="SPRING15")
    services.order_start_checkout(
        order=order, success_url="https://s/?id={CHECKOUT_SESSION_ID}", cancel_url="https://c"
    )
    coupon, promotion, session = fake_stripe.sent[-3:]
    assert (coupon.path, coupon.params) == (
        "/v1/coupons",
        {"duration": "once", "name": "SPRING15", "metadata[code]": "SPRING15", "percent_off": "15"},
    )
    assert (promotion.path, promotion.params) == (
        "/v1/promotion_codes",
        {
            "promotion[type]": "coupon",
            "promotion[coupon]": "coupon_1Spring",
            "code": "SPRING15",
            "max_redemptions": "2",
        },
    )
    assert session.params["discounts[0][promotion_code]"] == "promo_1Spring"
    assert "allow_promotion_codes" not in session.params
    spring.refresh_from_db()
    assert spring.stripe_promotion_code_id == "promo_1Spring"
    # The next order with the code reuses it: no second coupon.
    services.order_start_checkout(
        order=make_order(shop.series, checkout=False, promotion_code="SPRING15", email="x@example.com"),
        success_url="https://s/?id={CHECKOUT_SESSION_ID}",
        cancel_url="https://c",
    )
    assert [sent.path for sent in fake_stripe.sent[-1:]] == ["/v1/checkout/sessions"]


def test_managers_create_codes_in_the_admin(client, django_user_model):
    user = django_user_model.objects.create_user("boss-p", password="pw-123456789")
    user.groups.add(Group.objects.get(name="Managers"))
    client.force_login(user)
    assert client.get("/admin/snippets/packages/promotioncode/add/").status_code == 200


def test_the_receipt_shows_the_discount_tax_and_what_was_charged(client, shop, mailoutbox):
    order = make_order(shop.series)
    session = checkout_session(
        order,
        amount_subtotal=42500,
        amount_total=40375,
        total_details={"amount_discount": 4250, "amount_shipping": 0, "amount_tax": 2125},
    )
    post_webhook(client, event("checkout.session.completed", session))
    receipt = next(m for m in mailoutbox if m.to == [order.customer.email])
    assert "Discount: −$42.50" in receipt.body and "Tax: $21.25" in receipt.body
    assert "Total paid: $403.75" in receipt.body


def test_automatic_tax_asks_stripe_to_add_it(fake_stripe, shop, settings):  # noqa: F811
    settings.SHOP_AUTOMATIC_TAX = True
    services.order_start_checkout(
        order=make_order(shop.series, checkout=False),
        success_url="https://s/?id={CHECKOUT_SESSION_ID}",
        cancel_url="https://c",
    )
    assert fake_stripe.sent[-1].params["automatic_tax[enabled]"] == "true"
