"""charge.refunded: the unused part is taken back once per Stripe refund id; what was used is reported."""

from __future__ import annotations

import pytest
from django.test import Client

from packages import payments, services
from packages.models import CreditGrant, GiftCard, Order, OrderRefund

from .conftest import checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db

PI = "pi_1PgafyB7WZ01zgkWSjxsAJo3"  # the payment intent checkout_session() puts on payment-mode sessions


def charge_refunded(order: Order, refunds: list[tuple[str, int]]) -> dict:
    """A charge.refunded event as Stripe sends it, its refunds listed (id, amount)."""
    total = sum(amount for _, amount in refunds)
    return event(
        "charge.refunded",
        {
            "id": "ch_1PgafuB7WZ01zgkWXYmPNZs8",
            "object": "charge",
            "amount": order.amount_total_minor,
            "amount_refunded": total,
            "currency": "usd",
            "payment_intent": PI,
            "refunded": total >= order.amount_total_minor,
            "refunds": {
                "object": "list",
                "data": [
                    {"id": rid, "object": "refund", "amount": amount, "status": "succeeded", "payment_intent": PI}
                    for rid, amount in refunds
                ],
            },
            "status": "succeeded",
        },
    )


@pytest.fixture
def paid_series(client, shop):
    order = make_order(shop.series)  # $425 for 5 sessions
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    return Order.objects.get(pk=order.pk)


def test_duplicate_charge_refunded_revokes_once(client, paid_series):
    first = charge_refunded(paid_series, [("re_1", 8500)])
    assert post_webhook(client, first).status_code == 200
    # Stripe sends a new event for the same refund (e.g. after an update): nothing more happens.
    assert post_webhook(client, charge_refunded(paid_series, [("re_1", 8500)])).status_code == 200
    assert post_webhook(client, first).status_code == 200  # and the very same event again
    grant = CreditGrant.objects.get()
    assert grant.balance == 4
    assert grant.entries.filter(kind="refund").count() == 1
    refund = OrderRefund.objects.get()
    assert (refund.stripe_refund_id, refund.sessions_revoked) == ("re_1", 1)
    paid_series.refresh_from_db()
    assert paid_series.amount_refunded_minor == 8500 and paid_series.status == Order.Status.PARTIALLY_REFUNDED

    # A second refund on the same charge lists both; only the new one is applied.
    post_webhook(client, charge_refunded(paid_series, [("re_1", 8500), ("re_2", 8500)]))
    grant.refresh_from_db()
    assert grant.balance == 3 and OrderRefund.objects.count() == 2


def test_full_refund_after_use_takes_back_only_what_is_left_and_reports_the_rest(
    client, paid_series, django_user_model
):
    staff = django_user_model.objects.create_user("desk-r")
    for _ in range(2):
        services.credit_redeem(customer=paid_series.customer, actor=staff)
    post_webhook(client, charge_refunded(paid_series, [("re_full", 42500)]))
    grant = CreditGrant.objects.get()
    assert grant.balance == 0 and grant.balance == sum(e.delta for e in grant.entries.all())
    refund = OrderRefund.objects.get()
    assert refund.sessions_revoked == 3
    assert "2 session(s) had already been used" in refund.already_used_note
    paid_series.refresh_from_db()
    assert paid_series.status == Order.Status.REFUNDED


def test_refunding_a_gift_card_voids_what_is_left(client, shop, django_user_model):
    order = make_order(
        shop.gift,
        amount_minor=10000,
        gift=services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam"),
    )
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    card = GiftCard.objects.get()
    manager = django_user_model.objects.create_superuser("d")
    services.gift_card_redeem(card_id=card.pk, amount_minor=3000, actor=manager, override_reason="test")
    post_webhook(client, charge_refunded(order, [("re_gift", 10000)]))
    card.refresh_from_db()
    assert card.balance_minor == 0 and card.status == GiftCard.Status.VOIDED
    assert card.balance_minor == sum(e.delta_minor for e in card.entries.all())
    assert OrderRefund.objects.get().amount_revoked_minor == 7000


def test_refund_for_a_payment_that_is_not_ours_is_ignored(client, paid_series):
    other = charge_refunded(paid_series, [("re_x", 100)])
    other["data"]["object"]["payment_intent"] = "pi_someone_else"
    assert post_webhook(client, other).status_code == 200
    assert not OrderRefund.objects.exists() and CreditGrant.objects.get().balance == 5


# --- Policy: whole sessions up to the refund's value, never more than unused --------------------------


@pytest.mark.parametrize(
    ("amount", "taken"),
    [(12000, 1), (17000, 2), (16999, 1), (2000, 0)],
    ids=["more-than-one-session-less-than-two", "exactly-two", "a-cent-short-of-two", "goodwill"],
)
def test_a_partial_refund_takes_back_whole_sessions_up_to_its_value(client, paid_series, amount, taken):
    # $425 for 5 sessions: $85 paid per session.
    post_webhook(client, charge_refunded(paid_series, [("re_partial", amount)]))
    grant = CreditGrant.objects.get()
    assert grant.balance == 5 - taken and grant.balance == sum(e.delta for e in grant.entries.all())
    refund = OrderRefund.objects.get()
    assert refund.sessions_revoked == taken and refund.amount_minor == amount
    if not taken:
        assert refund.already_used_note == "A goodwill refund of $20: no sessions were taken back."


def test_a_refund_never_takes_back_more_than_is_unused(client, paid_series, django_user_model):
    staff = django_user_model.objects.create_user("desk-p")
    for _ in range(4):
        services.credit_redeem(customer=paid_series.customer, actor=staff)
    post_webhook(client, charge_refunded(paid_series, [("re_three", 25500)]))  # three sessions' worth
    assert CreditGrant.objects.get().balance == 0
    assert OrderRefund.objects.get().sessions_revoked == 1


def test_sessions_taken_back_by_an_earlier_refund_are_not_counted_as_used(client, paid_series, django_user_model):
    staff = django_user_model.objects.create_user("desk-u")
    services.credit_redeem(customer=paid_series.customer, actor=staff)
    post_webhook(client, charge_refunded(paid_series, [("re_a", 17000)]))  # takes back 2
    post_webhook(client, charge_refunded(paid_series, [("re_a", 17000), ("re_b", 25500)]))  # the rest: full
    last = OrderRefund.objects.get(stripe_refund_id="re_b")
    assert last.sessions_revoked == 2
    assert last.already_used_note == "1 session(s) had already been used and could not be taken back."


def test_the_manager_may_take_back_fewer_sessions_and_the_buyer_is_told(
    paid_series, django_user_model, mailoutbox, monkeypatch, django_capture_on_commit_callbacks
):
    delivered = []

    def post_event(evt):  # the stand-in's "Stripe servers", through a plain test client
        delivered.append((evt["type"], post_webhook(Client(), evt).status_code))
        return delivered[-1][1]

    monkeypatch.setattr(payments.stand_in, "post_event", post_event)
    manager = django_user_model.objects.create_user("boss-r")
    preview = services.refund_preview(order=paid_series, amount_minor=17000)
    assert (preview["sessions"], preview["unused"]) == (2, 5)
    with django_capture_on_commit_callbacks(execute=True):  # the stand-in's charge.refunded goes to the webhook
        services.order_refund(
            order_id=paid_series.pk, amount_minor=17000, actor=manager, reason="Moved away", sessions=1
        )
    assert delivered == [("charge.refunded", 200)]
    refund = OrderRefund.objects.get()
    assert refund.sessions_requested == 1
    assert refund.applied_at is not None and refund.sessions_revoked == 1
    assert CreditGrant.objects.get().balance == 4
    receipts = [m for m in mailoutbox if m.subject.startswith("Your refund of $170")]
    assert len(receipts) == 1 and receipts[0].to == [paid_series.customer.email]
    assert "1 session was taken back" in receipts[0].body
