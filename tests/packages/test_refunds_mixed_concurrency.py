"""Refunds to a gift card at once (PostgreSQL): the order's row lock and the record's applied mark give the card its
part back exactly once. Run as test_concurrency.py says."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from packages import payments, services
from packages.models import GiftCard, LedgerKind, OrderRefund

from .test_concurrency import run_together, webhook
from .test_refunds_mixed import api_checkout, card_and_code, charge_refunded, ledger_ok, paid_by_card_and_stripe

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock concurrency needs PostgreSQL (SQLite ignores SELECT FOR UPDATE); set DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]


def refund_or_error(order_id: int):
    def call():
        try:
            return services.order_refund(order_id=order_id, amount_minor=42500, actor=None, reason="at once")
        except services.BalanceError as error:
            return error

    return call


def test_two_refunds_of_a_card_paid_order_at_once_give_the_card_back_once(shop):
    card, code = card_and_code(shop, 50000)
    order = api_checkout(Client(), shop, gift_card=code)

    first, second = run_together(refund_or_error(order.pk), refund_or_error(order.pk))

    outcomes = sorted(type(result).__name__ for result in (first, second))
    assert outcomes == ["BalanceError", "OrderRefund"]
    card = GiftCard.objects.get(pk=card.pk)
    assert ledger_ok(card) and card.balance_minor == 50000
    assert card.entries.filter(kind=LedgerKind.REFUND).count() == 1


def test_two_charge_refunded_at_once_give_the_card_back_once(shop, monkeypatch):
    monkeypatch.setattr(payments.stand_in, "post_event", lambda evt: 200)  # Stripe's own event: sent below, twice
    order, card, _ = paid_by_card_and_stripe(Client(), shop)
    record = services.order_refund(order_id=order.pk, amount_minor=42500, actor=None, reason="x")
    refund_id = OrderRefund.objects.get(pk=record.pk).stripe_refund_id
    one, other = (charge_refunded([(refund_id, 32500, record.pk)]) for _ in range(2))  # two event ids

    first, second = run_together(webhook(one), webhook(other))

    assert first.status_code == 200 and second.status_code == 200
    assert ledger_ok(card) and card.balance_minor == 10000
    assert card.entries.filter(kind=LedgerKind.REFUND).count() == 1
    assert OrderRefund.objects.get().applied_at is not None
