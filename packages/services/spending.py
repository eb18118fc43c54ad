"""Paying an order: with a gift card first (held), then Stripe Checkout for what is left, if anything.

An order the card pays entirely never goes to Stripe: it is fulfilled at once, through
the same fulfilment as a paid Checkout Session (keyed by a session id of our own).
"""

from __future__ import annotations

from django.db import transaction

from ..models import Order
from .fulfilment import order_fulfil
from .giftcards import gift_card_hold
from .orders import order_start_checkout


def order_pay(*, order: Order, success_url: str, cancel_url: str) -> str:
    """Hold the gift card's part, then return where the buyer goes next: Stripe Checkout, or, when the
    card paid it all, the order page (``success_url`` without a session)."""
    if order.paid_with_card_id:
        gift_card_hold(order)
    if order.paid_with_card_id and order.stripe_amount_due_minor <= 0:
        with transaction.atomic():
            session_id = f"giftcard_{order.public_token}"
            Order.objects.filter(pk=order.pk).update(stripe_checkout_session_id=session_id)
            order.stripe_checkout_session_id = session_id
            order_fulfil(
                session={
                    "id": session_id,
                    "client_reference_id": order.public_token,
                    "payment_status": "no_payment_required",
                    "mode": order.checkout_mode,
                    "currency": order.currency,
                    "amount_subtotal": 0,
                    "amount_total": 0,
                }
            )
        return success_url.split("?")[0]
    return order_start_checkout(order=order, success_url=success_url, cancel_url=cancel_url)
