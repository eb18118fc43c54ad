"""Disputes (chargebacks): what is unused on a disputed order is frozen until the bank decides.

``charge.dispute.created`` freezes the order's credits and gift card (no redemption, no
spending) and tells the managers; ``charge.dispute.closed`` unfreezes them when the
dispute is won, and takes back what is unused, with ledger entries, when it is lost.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from home.money import format_money

from ..models import CreditGrant, GiftCard, LedgerKind, Order, Review
from .ledger import balance_move
from .reviews import review_open


def _order_for_dispute(dispute: dict[str, Any], *, lock: bool) -> Order | None:
    payment_intent = dispute.get("payment_intent") or ""
    queryset = Order.objects.select_for_update() if lock else Order.objects
    match = Q(dispute_id=dispute.get("id") or "-")
    if payment_intent:
        match |= Q(stripe_payment_intent_id=payment_intent)
    return queryset.filter(match).first()


def _set_frozen(order: Order, frozen: bool) -> None:
    CreditGrant.objects.filter(order=order).update(frozen=frozen)
    GiftCard.objects.filter(order=order).update(frozen=frozen)


def dispute_opened(*, dispute: dict[str, Any]) -> Order | None:
    """Freeze what is unused on the disputed order and tell the managers (once per dispute)."""
    with transaction.atomic():
        order = _order_for_dispute(dispute, lock=True)
        if order is None:
            return None  # a charge that is not one of our orders
        if order.dispute_id == dispute["id"] and order.dispute_status:
            return order  # seen before
        Order.objects.filter(pk=order.pk).update(dispute_id=dispute["id"], dispute_status="open")
        _set_frozen(order, True)
        amount = format_money(dispute.get("amount") or order.amount_total_minor, order.currency)
        review_open(
            reason=Review.Reason.DISPUTE,
            message=(
                f"The buyer disputed {amount} with their bank ({dispute.get('reason') or 'no reason given'}). "
                "What is unused on the order is on hold until the bank decides; answer the dispute in Stripe."
            ),
            stripe_id=dispute["id"],
            order=order,
        )
        order.refresh_from_db()
        return order


def dispute_closed(*, dispute: dict[str, Any]) -> Order | None:
    """Won: the order's credits and card are usable again. Lost: what is unused is taken back."""
    status = dispute.get("status")
    with transaction.atomic():
        order = _order_for_dispute(dispute, lock=True)
        if order is None or order.dispute_status in ("won", "lost"):
            return order
        if status == "won":
            _set_frozen(order, False)
            Order.objects.filter(pk=order.pk).update(dispute_id=dispute["id"], dispute_status="won")
        elif status == "lost":
            reason, reference = f"Dispute {dispute['id']} lost: the bank returned the payment", dispute["id"]
            for grant_id in CreditGrant.objects.filter(order=order).values_list("pk", flat=True):
                balance_move(
                    CreditGrant,
                    grant_id,
                    delta=lambda g: -g.balance,
                    kind=LedgerKind.REFUND,
                    reason=reason,
                    reference=reference,
                )
            for card_id in GiftCard.objects.filter(order=order).values_list("pk", flat=True):
                balance_move(
                    GiftCard,
                    card_id,
                    delta=lambda c: -c.balance_minor,
                    kind=LedgerKind.REFUND,
                    reason=reason,
                    reference=reference,
                )
                GiftCard.objects.filter(pk=card_id).update(status=GiftCard.Status.VOIDED)
            Order.objects.filter(pk=order.pk).update(dispute_id=dispute["id"], dispute_status="lost")
        else:
            return order  # warning_closed and the like: nothing changes hands
        order.refresh_from_db()
        return order
