"""Refunding an order paid partly or wholly by a gift card, or discounted: each part goes back to what paid it.

A $425 series paid $100 by gift card and $325 by card: Stripe is asked for at most its $325, the
gift card gets its share back as a ledger entry (once, however often charge.refunded arrives), and
sessions are valued at what was paid per session.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from packages import payments, services
from packages.models import CreditGrant, GiftCard, LedgerKind, Order, OrderRefund, PromotionCode
from packages.reports import Period, sales_rows

from .conftest import checkout_session, event, known_code, post_webhook
from .test_balance_check import delivered_card
from .test_bulk_gift_cards import buy as bulk_buy
from .test_gateway import fake_stripe  # noqa: F401 - real mode with the SDK's fake transport

pytestmark = pytest.mark.django_db

PI = "pi_3MixedPaidSeries000001"  # the series' payment (the gift card's own order has another)


def ledger_ok(card: GiftCard) -> bool:
    card.refresh_from_db()
    return card.balance_minor == sum(e.delta_minor for e in card.entries.all()) and card.balance_minor >= 0


def grant_ok(grant: CreditGrant) -> bool:
    grant.refresh_from_db()
    return grant.balance == sum(e.delta for e in grant.entries.all())


def api_checkout(client, shop, **extra):
    body = {
        "kind": "series",
        "slug": shop.series.slug,
        "email": "b@example.com",
        "name": "B",
        "accept_disclaimer": True,
    }
    response = client.post("/api/shop/checkout", {**body, **extra}, content_type="application/json")
    assert response.status_code == 201, response.content
    return Order.objects.get(public_token=response.json()["order"])


def card_and_code(shop, amount_minor: int) -> tuple[GiftCard, str]:
    """A delivered gift card and its code (a test that commits has it delivered on commit: a known code then)."""
    card, code = delivered_card(shop.gift, amount_minor=amount_minor)
    return card, code or known_code(card)


def paid_by_card_and_stripe(client, shop, *, card_minor=10000, **extra):
    """The $425 series: the gift card pays ``card_minor``, Stripe the rest (paid through the webhook)."""
    card, code = card_and_code(shop, card_minor)
    order = api_checkout(client, shop, gift_card=code, **extra)
    due = order.stripe_amount_due_minor
    paid = checkout_session(order, amount_subtotal=due, amount_total=due, payment_intent=PI)
    assert post_webhook(client, event("checkout.session.completed", paid)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and order.card_hold == "captured"
    return order, card, code


def charge_refunded(refunds: list[tuple[str, int, int | None]], *, last4: str = "4242") -> dict:
    """charge.refunded for the series' payment, its refunds listed as (id, amount, our record's pk)."""
    total = sum(amount for _, amount, _ in refunds)
    return event(
        "charge.refunded",
        {
            "id": "ch_3MixedPaidSeries0001",
            "object": "charge",
            "amount": 32500,
            "amount_refunded": total,
            "currency": "usd",
            "payment_intent": PI,
            "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": last4}},
            "refunds": {
                "object": "list",
                "data": [
                    {
                        "id": rid,
                        "object": "refund",
                        "amount": amount,
                        "status": "succeeded",
                        "payment_intent": PI,
                        "metadata": {"refund_record": str(record)} if record else {},
                    }
                    for rid, amount, record in refunds
                ],
            },
            "status": "succeeded",
        },
    )


def stripe_refunds(fake) -> list:
    return [sent for sent in fake.sent if sent.path == "/v1/refunds"]


# --- Through the real SDK: Stripe is asked for its share only -----------------------------------------------------


def test_a_full_refund_asks_stripe_for_its_part_and_puts_the_cards_part_back(
    client,
    shop,
    fake_stripe,  # noqa: F811
    django_user_model,
):
    order, card, code = paid_by_card_and_stripe(client, shop)
    assert (order.stripe_paid_minor, order.card_paid_minor, order.paid_minor) == (32500, 10000, 42500)
    assert services.gift_card_for_payment(code) is None  # used up paying for the series
    manager = django_user_model.objects.create_user("boss-mixed")
    fake_stripe.fail_with = [(200, {"id": "re_3Mixed0000Full", "object": "refund", "amount": 32500})]

    record = services.order_refund(order_id=order.pk, amount_minor=42500, actor=manager, reason="Moved away")

    [sent] = stripe_refunds(fake_stripe)
    assert sent.params["payment_intent"] == PI and sent.params["amount"] == "32500"  # never the $425
    assert (record.amount_minor, record.card_amount_minor) == (32500, 10000)
    card.refresh_from_db()
    assert card.balance_minor == 0  # the card's part goes back with Stripe's confirmation

    webhook = charge_refunded([("re_3Mixed0000Full", 32500, record.pk)])
    assert post_webhook(client, webhook).status_code == 200
    record.refresh_from_db()
    assert record.applied_at is not None and record.sessions_revoked == 5 and record.stripe_card_last4 == "4242"
    assert ledger_ok(card) and card.balance_minor == 10000
    [back] = card.entries.filter(kind=LedgerKind.REFUND)
    assert back.delta_minor == 10000 and back.actor == manager
    assert services.gift_card_for_payment(code) == card  # usable again
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.amount_refunded_minor == 32500
    grant = CreditGrant.objects.get(order=order)
    assert grant.balance == 0 and grant_ok(grant)
    with pytest.raises(services.BalanceError, match="Nothing is left to refund"):
        services.order_refund(order_id=order.pk, amount_minor=100, actor=manager, reason="again")


def test_a_partial_refund_is_split_as_the_order_was_paid(client, shop, fake_stripe):  # noqa: F811
    order, card, _ = paid_by_card_and_stripe(client, shop)
    fake_stripe.fail_with = [(200, {"id": "re_3Mixed000Part1", "object": "refund", "amount": 13000})]
    # $170 of $425 paid ($100 card, $325 Stripe): $40 back on the card, $130 to Stripe; two sessions' worth.
    preview = services.refund_preview(order=order, amount_minor=17000)
    assert (preview["stripe_minor"], preview["card_minor"], preview["sessions"]) == (13000, 4000, 2)

    record = services.order_refund(order_id=order.pk, amount_minor=17000, actor=None, reason="Part")
    assert stripe_refunds(fake_stripe)[-1].params["amount"] == "13000"
    post_webhook(client, charge_refunded([("re_3Mixed000Part1", 13000, record.pk)]))
    assert ledger_ok(card) and card.balance_minor == 4000
    grant = CreditGrant.objects.get(order=order)
    assert grant.balance == 3 and grant_ok(grant)
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED
    assert services.refundable(order) == (19500, 6000)

    # The manager may choose: never more than Stripe has left, nor more than the card's part…
    with pytest.raises(services.BalanceError, match=r"Stripe has only \$195 left"):
        services.refund_preview(order=order, amount_minor=25500, card_minor=0)
    with pytest.raises(services.BalanceError, match=r"between 0 and \$60 to go back on the gift card"):
        services.refund_preview(order=order, amount_minor=25500, card_minor=7000)
    # … and the rest of the card's part alone goes back with no Stripe call at all.
    asked = len(fake_stripe.sent)
    services.order_refund(order_id=order.pk, amount_minor=6000, card_minor=6000, actor=None, reason="Card")
    assert len(fake_stripe.sent) == asked
    assert ledger_ok(card) and card.balance_minor == 10000


def test_a_stripe_refusal_gives_nothing_back_on_the_card(client, shop, fake_stripe):  # noqa: F811
    order, card, _ = paid_by_card_and_stripe(client, shop)
    refusal = {"error": {"type": "invalid_request_error", "code": "charge_already_refunded", "message": "Refunded"}}
    fake_stripe.fail_with = [(400, refusal)]
    with pytest.raises(payments.GatewayError):
        services.order_refund(order_id=order.pk, amount_minor=42500, actor=None, reason="x")
    assert ledger_ok(card) and card.balance_minor == 0
    assert services.refundable(order) == (32500, 10000)  # a refused refund holds nothing back


def test_a_duplicate_charge_refunded_never_gives_the_card_back_twice(client, shop, fake_stripe):  # noqa: F811
    order, card, _ = paid_by_card_and_stripe(client, shop)
    fake_stripe.fail_with = [(200, {"id": "re_3Mixed0000Dup1", "object": "refund", "amount": 32500})]
    record = services.order_refund(order_id=order.pk, amount_minor=42500, actor=None, reason="x")
    webhook = charge_refunded([("re_3Mixed0000Dup1", 32500, record.pk)])
    for payload in (webhook, webhook, charge_refunded([("re_3Mixed0000Dup1", 32500, record.pk)])):
        assert post_webhook(client, payload).status_code == 200
    assert ledger_ok(card) and card.balance_minor == 10000
    assert card.entries.filter(kind=LedgerKind.REFUND).count() == 1
    assert OrderRefund.objects.filter(order=order).count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("Your refund of $425")]) == 1


# --- An order the gift card paid entirely: Stripe never hears of it -----------------------------------------------


def test_an_order_the_card_paid_entirely_is_refunded_onto_the_card_without_stripe(
    client,
    shop,
    fake_stripe,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    card, code = delivered_card(shop.gift, amount_minor=50000)
    order = api_checkout(client, shop, gift_card=code)
    assert order.status == Order.Status.FULFILLED and not order.stripe_payment_intent_id
    sent_before = len(fake_stripe.sent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record = services.order_refund(order_id=order.pk, amount_minor=42500, actor=None, reason="Changed mind")
    assert len(fake_stripe.sent) == sent_before  # no Stripe call
    assert (record.amount_minor, record.card_amount_minor, record.stripe_refund_id) == (0, 42500, None)
    assert record.applied_at is not None and record.sessions_revoked == 5
    assert ledger_ok(card) and card.balance_minor == 50000
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED and order.amount_refunded_minor == 0
    [receipt] = [m for m in mail.outbox if m.to == ["b@example.com"]]
    assert receipt.subject.startswith("Your refund of $425")
    assert f"$425 back on your gift card ending {card.code_last4}" in receipt.body
    assert "Banks usually" not in receipt.body


def test_a_voided_card_takes_nothing_back_and_says_why(client, shop, django_user_model, deliver_in_process):
    card, code = delivered_card(shop.gift, amount_minor=50000)
    order = api_checkout(client, shop, gift_card=code)
    services.gift_card_void(card_id=card.pk, actor=django_user_model.objects.create_user("v"), reason="Lost")
    with pytest.raises(services.BalanceError, match="This gift card has been voided"):
        services.refund_preview(order=order, amount_minor=42500)
    with pytest.raises(services.BalanceError, match="cannot go back on the gift card"):
        services.order_refund(order_id=order.pk, amount_minor=42500, actor=None, reason="x")
    assert ledger_ok(card) and card.balance_minor == 0 and not OrderRefund.objects.exists()


@pytest.mark.parametrize(
    ("change", "why"),
    [({"status": GiftCard.Status.VOIDED}, "has been voided"), ({"frozen": True}, "is on hold")],
    ids=["voided", "frozen"],
)
def test_by_default_stripe_gets_its_part_and_the_email_says_why_the_card_did_not(
    client, manager, shop, deliver_in_process, change, why
):
    order, card, _ = paid_by_card_and_stripe(client, shop)
    GiftCard.objects.filter(pk=card.pk).update(**change)
    preview = services.refund_preview(order=order, amount_minor=42500)
    assert (preview["stripe_minor"], preview["card_minor"]) == (32500, 0) and why in preview["card_refused"]
    with pytest.raises(services.BalanceError, match=why):
        services.refund_preview(order=order, amount_minor=42500, card_minor=10000)
    mail.outbox.clear()
    url = f"/admin/front-desk/orders/{order.pk}/refund/"
    page = manager.post(url, {"amount": "425", "reason": "x"}).content.decode()
    assert f"cannot go back on the gift card ending {card.code_last4}" in page and "That part is not refunded" in page
    manager.post(url, {"amount": "425", "reason": "x", "confirm": "yes"})
    record = OrderRefund.objects.get()
    assert (record.amount_minor, record.card_amount_minor, record.applied_at is not None) == (32500, 0, True)
    assert ledger_ok(card) and card.balance_minor == 0
    [receipt] = [m for m in mail.outbox if m.to == ["b@example.com"]]
    assert "$325 to your card ending 4242." in receipt.body
    assert f"$100 cannot go back on the gift card ending {card.code_last4}: This gift card {why}" in receipt.body
    order.refresh_from_db()
    assert order.status == Order.Status.PARTIALLY_REFUNDED


# --- Sessions are valued at what was paid -------------------------------------------------------------------------


def test_a_discounted_orders_preview_uses_what_was_paid(client, shop, deliver_in_process):
    PromotionCode.objects.create(code="TENTH", percent_off=10)
    order = api_checkout(client, shop, promotion_code="TENTH")
    paid = checkout_session(
        order, amount_subtotal=42500, amount_total=38250, total_details={"amount_discount": 4250, "amount_tax": 0}
    )
    post_webhook(client, event("checkout.session.completed", paid))
    order.refresh_from_db()
    assert order.paid_minor == 38250
    # $382.50 for 5 sessions: $76.50 paid per session, so $76.50 takes one back (on the list price, none).
    assert services.refund_preview(order=order, amount_minor=7650)["sessions"] == 1
    assert services.refund_preview(order=order, amount_minor=15300)["sessions"] == 2
    with pytest.raises(services.BalanceError, match=r"between 0.01 and \$382.50"):
        services.refund_preview(order=order, amount_minor=42500)


def test_a_taxed_order_is_refunded_up_to_what_stripe_charged(
    client, shop, deliver_in_process, django_capture_on_commit_callbacks
):
    order = api_checkout(client, shop)
    paid = checkout_session(
        order, amount_subtotal=42500, amount_total=44625, total_details={"amount_discount": 0, "amount_tax": 2125}
    )
    post_webhook(client, event("checkout.session.completed", paid))
    assert services.refundable(Order.objects.get(pk=order.pk)) == (44625, 0)
    with django_capture_on_commit_callbacks(execute=True):  # the stand-in's charge.refunded, to the webhook
        services.order_refund(order_id=order.pk, amount_minor=44625, actor=None, reason="All of it")
    assert ("charge.refunded", 200) in deliver_in_process
    order.refresh_from_db()
    assert (order.status, order.amount_refunded_minor) == (Order.Status.REFUNDED, 44625)
    assert CreditGrant.objects.get(order=order).balance == 0


# --- The manager's form and the buyer's email ---------------------------------------------------------------------


def test_the_managers_form_previews_the_split_then_refunds_both(client, manager, shop, deliver_in_process):
    card, code = delivered_card(shop.gift, amount_minor=10000)
    order = api_checkout(client, shop, gift_card=code)
    client.post(order.checkout_url.replace("http://127.0.0.1:8000", ""), {"action": "pay"})  # on the stand-in
    mail.outbox.clear()
    url = f"/admin/front-desk/orders/{order.pk}/refund/"
    page = manager.get(url).content.decode()
    assert f"$325 by card through Stripe, $100 by gift card ending {card.code_last4}" in page
    assert "Of which back on the gift card" in page

    preview = manager.post(url, {"amount": "425", "reason": "Moving"}).content.decode()
    assert (
        f"<strong>$325</strong> to the card through Stripe and <strong>$100</strong> back on the gift card "
        f"ending {card.code_last4}" in preview
    )
    assert "<strong>5</strong> of 5 unused sessions" in preview and not OrderRefund.objects.exists()
    chosen = manager.post(url, {"amount": "425", "card_amount": "0", "reason": "Moving"}, follow=True)
    assert "Stripe has only $325 left to refund" in chosen.content.decode()

    done = manager.post(url, {"amount": "425", "reason": "Moving", "confirm": "yes"}, follow=True).content.decode()
    assert f"$100 goes back on the gift card ending {card.code_last4} with it" in done
    assert ("charge.refunded", 200) in deliver_in_process
    assert ledger_ok(card) and card.balance_minor == 10000
    assert OrderRefund.objects.get().applied_at is not None
    [receipt] = [m for m in mail.outbox if m.to == ["b@example.com"]]
    assert receipt.subject.startswith("Your refund of $425")
    assert f"$325 to your card ending 4242 and $100 back on your gift card ending {card.code_last4}" in receipt.body
    html = receipt.alternatives[0][0] if receipt.alternatives else ""
    assert "$325 to your card ending 4242" in html


def test_the_form_refunds_the_card_part_alone_at_once(client, manager, shop, deliver_in_process):
    card, code = delivered_card(shop.gift, amount_minor=10000)
    order = api_checkout(client, shop, gift_card=code)
    client.post(order.checkout_url.replace("http://127.0.0.1:8000", ""), {"action": "pay"})
    url = f"/admin/front-desk/orders/{order.pk}/refund/"
    preview = manager.post(url, {"amount": "85", "card_amount": "85", "reason": "Goodwill"}).content.decode()
    assert "<strong>$85</strong> back on the gift card" in preview and "now (Stripe is not involved)" in preview
    done = manager.post(
        url, {"amount": "85", "card_amount": "85", "reason": "Goodwill", "confirm": "yes"}, follow=True
    ).content.decode()
    assert f"Refund done: $85 is back on the gift card ending {card.code_last4}." in done
    assert not [kind for kind, _ in deliver_in_process if kind == "charge.refunded"]
    assert ledger_ok(card) and card.balance_minor == 8500
    assert CreditGrant.objects.get(order=order).balance == 4  # $85 paid per session: one goes


# --- The sales report's discounts ---------------------------------------------------------------------------------


def test_the_sales_report_counts_our_discount_with_a_gift_card_once(client, shop, deliver_in_process):
    PromotionCode.objects.create(code="TENTH", percent_off=10)
    order, _, _ = paid_by_card_and_stripe(client, shop, promotion_code="TENTH")
    assert (order.discount_minor, order.stripe_amount_discount, order.stripe_amount_total) == (4250, 0, 28250)
    today = timezone.localdate()
    series = next(row for row in sales_rows(Period(today, today)) if row["offer"] == "5 deep tissue sessions")
    # $425 less the $100 the card paid is $325 before the discount; $42.50 off; Stripe charged $282.50.
    assert (series["subtotal"], series["discounts"], series["total"]) == (32500, 4250, 28250)
    assert series["subtotal"] - series["discounts"] + series["tax"] == series["total"]


def test_a_bulk_order_paid_partly_by_gift_card_is_refunded_in_full_to_both(
    client,
    shop,
    fake_stripe,  # noqa: F811
):
    card, code = card_and_code(shop, 10000)
    response = bulk_buy(client, shop, gift_card=code)  # 3 × $50: the card pays $100, Stripe $50
    order = Order.objects.get(public_token=response.json()["order"])
    paid = checkout_session(order, amount_subtotal=5000, amount_total=5000, payment_intent=PI)
    post_webhook(client, event("checkout.session.completed", paid))
    order.refresh_from_db()
    with pytest.raises(services.BalanceError, match=r"refunded in full \(\$150\)"):
        services.order_refund(order_id=order.pk, amount_minor=5000, actor=None, reason="one card")
    fake_stripe.fail_with = [(200, {"id": "re_3MixedBulk00001", "object": "refund", "amount": 5000})]
    record = services.order_refund(order_id=order.pk, amount_minor=15000, actor=None, reason="Event cancelled")
    assert stripe_refunds(fake_stripe)[-1].params["amount"] == "5000"
    post_webhook(client, charge_refunded([("re_3MixedBulk00001", 5000, record.pk)]))
    assert set(GiftCard.objects.filter(order=order).values_list("status", "balance_minor")) == {("voided", 0)}
    assert ledger_ok(card) and card.balance_minor == 10000 and card.status == GiftCard.Status.ACTIVE
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED
