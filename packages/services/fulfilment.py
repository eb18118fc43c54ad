"""Fulfilment: what a paid order grants, exactly once.

Fulfilment is idempotent and keyed by the order (its Checkout Session), not by
the event that triggered it: the webhook and the success page both call
:func:`order_fulfil`, and whichever comes second finds the work done. What each
kind of order grants is one function in :data:`FULFILMENT`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .. import tasks
from ..models import CreditGrant, Customer, GiftCard, Membership, Order, OrderLine, PromotionCode, Review
from .bulk import fulfil_bulk_gift_cards
from .common import add_months, customer_get_or_create, gift_expiry
from .errors import FulfilmentError
from .giftcards import gift_card_capture, gift_card_create
from .memberships import (
    GRANTING_BILLING_REASONS,
    fulfil_membership,
    invoice_payment,
    invoice_period,
    invoice_subscription,
    membership_grant_month,
)
from .orders import order_for_session, order_line
from .outbox import enqueue
from .reviews import review_open
from .wallet import credit_grant_create

logger = logging.getLogger(__name__)

PAID = ("paid", "no_payment_required")

#: What :func:`order_fulfil` writes on the order (not the other forty-odd columns).
FULFILLED_FIELDS = [
    "status",
    "paid_at",
    "fulfilled_at",
    "stripe_checkout_session_id",
    "stripe_payment_intent_id",
    "stripe_subscription_id",
    "stripe_customer_id",
    "stripe_session",
    "stripe_amount_subtotal",
    "stripe_amount_discount",
    "stripe_amount_tax",
    "stripe_amount_total",
    "failure_reason",
    "updated_at",
]


def fulfil_series(order: Order, line: OrderLine, session: dict[str, Any]) -> None:
    """A series for the buyer, or, given as a gift, for the recipient with a gift card to announce it."""
    terms, now = line.terms, timezone.now()
    if not order.is_gift:
        credit_grant_create(
            customer=order.customer,
            source=CreditGrant.Source.SERIES,
            terms=terms,
            sessions=terms["sessions"],
            expires_at=add_months(now, terms["validity_months"]),
            order=order,
            reason=f"Bought {line.name}",
            reference=order.public_token,
        )
        return
    recipient = customer_get_or_create(email=order.recipient_email, name=order.recipient_name)
    grant = credit_grant_create(
        customer=recipient,
        source=CreditGrant.Source.GIFT,
        terms=terms,
        sessions=terms["sessions"],
        # A gifted series is a gift card for services: it follows the gift-card expiry
        # policy (none, or at least five years under the US CARD Act), not the series'.
        expires_at=gift_expiry(now),
        order=order,
        reason=f"Gift from {order.sender_name}: {line.name}",
        reference=order.public_token,
    )
    gift_card_create(order, kind=GiftCard.Kind.SERIES, amount_minor=0, grant=grant)


def fulfil_session(order: Order, line: OrderLine, session: dict[str, Any]) -> None:
    """An extra session for the buyer, valid for the months its terms say."""
    credit_grant_create(
        customer=order.customer,
        source=CreditGrant.Source.EXTRA,
        terms=line.terms,
        sessions=1,
        expires_at=add_months(timezone.now(), line.terms["validity_months"]),
        order=order,
        reason=f"Bought {line.name}",
        reference=order.public_token,
    )


def fulfil_gift_card(order: Order, line: OrderLine, session: dict[str, Any]) -> None:
    gift_card_create(order, kind=GiftCard.Kind.AMOUNT, amount_minor=line.unit_amount_minor)


#: What each kind of order grants once paid.
FULFILMENT: dict[str, Callable[[Order, OrderLine, dict[str, Any]], None]] = {
    Order.Kind.SERIES: fulfil_series,
    Order.Kind.MEMBERSHIP: fulfil_membership,
    Order.Kind.GIFT_CARD: fulfil_gift_card,
    Order.Kind.SESSION: fulfil_session,
    Order.Kind.GIFT_CARD_BULK: fulfil_bulk_gift_cards,
}


def session_problem(order: Order, session: dict[str, Any]) -> tuple[str, str] | None:
    """Why a paid session must not fulfil this order, or None.

    Only the Checkout Session we created for the order fulfils it, in its mode and
    currency. Our price is checked against what Stripe priced before discounts and tax
    (``amount_subtotal``): promotion codes and tax change the total, never the subtotal.
    A session that carries no amounts is a mismatch, never a pass.
    """
    session_id, token = session.get("id") or "", order.public_token[:8]
    if not order.stripe_checkout_session_id or session_id != order.stripe_checkout_session_id:
        return Review.Reason.FOREIGN_SESSION, (
            f"Checkout session {session_id or '(no id)'} names order {token} but is not the checkout we created "
            f"for it ({order.stripe_checkout_session_id or 'none was started'}): a Payment Link or the Dashboard?"
        )
    if session.get("mode") and session["mode"] != order.checkout_mode:
        return Review.Reason.FOREIGN_SESSION, (
            f"Checkout session {session_id} is a {session['mode']} but order {token} needs a {order.checkout_mode}."
        )
    currency = (session.get("currency") or "").lower()
    if currency != order.currency.lower():
        return Review.Reason.AMOUNT_MISMATCH, (
            f"Checkout session {session_id} was paid in {currency.upper() or 'no currency'}, "
            f"order {token} is in {order.currency.upper()}."
        )
    subtotal, total = session.get("amount_subtotal"), session.get("amount_total")
    if subtotal is None or total is None:
        return Review.Reason.AMOUNT_MISMATCH, f"Checkout session {session_id} carries no amounts to check."
    if subtotal != order.stripe_amount_due_minor:
        return Review.Reason.AMOUNT_MISMATCH, (
            f"Checkout session {session_id} priced {subtotal} but order {token} totals {order.stripe_amount_due_minor}."
        )
    return None


def order_fulfil(*, session: dict[str, Any]) -> Order | None:
    """Fulfil the order paid by this Checkout Session, exactly once.

    No savepoint of its own: any failure rolls back the caller's transaction, or the
    savepoint the webhook runs each handler in; nothing catches an error from here and goes on.
    """
    with transaction.atomic(savepoint=False):
        order = order_for_session(session, lock=True)
        if order is None:
            logger.info("Ignoring checkout session %s: no order of ours", session.get("id"))
            return None
        if order.fulfilled_at is not None:
            return order  # done before: by the webhook, the success page, or a duplicate
        if session.get("payment_status") not in PAID:
            raise FulfilmentError(f"Checkout session {session.get('id')} is not paid")
        if order.status == Order.Status.NEEDS_REVIEW:
            return order  # a manager decides; redeliveries change nothing
        problem = session_problem(order, session)
        if problem is not None:
            reason, message = problem
            review_open(reason=reason, message=message, stripe_id=session.get("id") or "", order=order)
            return order
        now = timezone.now()
        order.status = Order.Status.FULFILLED
        order.paid_at = order.paid_at or now
        order.fulfilled_at = now
        order.stripe_checkout_session_id = order.stripe_checkout_session_id or session.get("id")
        order.stripe_payment_intent_id = session.get("payment_intent") or ""
        order.stripe_subscription_id = session.get("subscription") or ""
        order.stripe_customer_id = session.get("customer") or ""
        order.stripe_session = {k: v for k, v in session.items() if k != "line_items"}
        totals = session.get("total_details") or {}
        order.stripe_amount_subtotal = session.get("amount_subtotal")
        order.stripe_amount_discount = totals.get("amount_discount") or 0
        order.stripe_amount_tax = totals.get("amount_tax") or 0
        order.stripe_amount_total = session.get("amount_total")
        order.failure_reason = ""
        order.save(update_fields=FULFILLED_FIELDS)
        if order.promotion_code_id:  # counted once paid, never past its limit
            within = Q(max_redemptions__isnull=True) | Q(times_redeemed__lt=F("max_redemptions"))
            counted = PromotionCode.objects.filter(within, pk=order.promotion_code_id).update(
                times_redeemed=F("times_redeemed") + 1
            )
            if not counted:  # two checkouts took its last use at once: the buyer paid the discounted price
                logger.warning("Promotion code %s went over its limit with order %s", order.promotion_code_id, order.pk)
        if order.stripe_customer_id and not order.customer.stripe_customer_id:
            Customer.objects.filter(pk=order.customer_id).update(stripe_customer_id=order.stripe_customer_id)
        gift_card_capture(order)
        FULFILMENT[order.kind](order, order_line(order), session)
        enqueue(tasks.send_order_emails, order.pk)
    return order


def order_sync_from_session(*, session: dict[str, Any]) -> Order | None:
    """Bring the order up to date with a Checkout Session (from a webhook or the success page).

    Sessions that are not ours (Payment Links, the Dashboard, another app on the same
    account) are ignored: answering an error would only make Stripe retry for days.
    """
    if session.get("payment_status") in PAID:
        return order_fulfil(session=session)
    with transaction.atomic():
        order = order_for_session(session, lock=True)
        if order and order.status == Order.Status.PENDING and session.get("status") == "complete":
            order.status = Order.Status.PROCESSING
            order.stripe_checkout_session_id = order.stripe_checkout_session_id or session.get("id")
            order.stripe_session = session
            order.save(update_fields=["status", "stripe_checkout_session_id", "stripe_session", "updated_at"])
        return order


def membership_invoice_paid(*, invoice: dict[str, Any]) -> CreditGrant | None:
    """A paid month: grant its sessions once per invoice; the first may arrive before checkout completes."""
    subscription_id, metadata = invoice_subscription(invoice)
    if not subscription_id:
        return None  # not a subscription invoice: nothing of ours
    reason = invoice.get("billing_reason") or "(none)"
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
        if membership is None:
            order = Order.objects.filter(public_token=metadata.get("order", "")).first()
            if order is None:
                logger.info("Ignoring invoice %s: subscription %s is not ours", invoice.get("id"), subscription_id)
                return None
            # invoice.paid overtook checkout.session.completed: fulfil from what the invoice says.
            order_fulfil(
                session={
                    "id": order.stripe_checkout_session_id,
                    "client_reference_id": order.public_token,
                    "payment_status": "paid",
                    "mode": "subscription",
                    "currency": invoice.get("currency"),
                    "amount_subtotal": invoice.get("subtotal", invoice.get("amount_paid")),
                    "amount_total": invoice.get("amount_paid"),
                    "subscription": subscription_id,
                    "customer": invoice.get("customer"),
                    "invoice": None,
                }
            )
            membership = Membership.objects.select_for_update().get(stripe_subscription_id=subscription_id)
        paused = membership.paused_until and invoice_period(invoice)[0] < membership.paused_until
        if paused:
            reason = "paused"  # Stripe voids paused months' invoices; one paid anyway grants nothing
        if reason not in GRANTING_BILLING_REASONS or membership.status == Membership.Status.CANCELED:
            why = "a cancelled membership" if membership.status == Membership.Status.CANCELED else f"'{reason}'"
            review_open(
                reason=Review.Reason.INVOICE_NOT_GRANTED,
                message=f"Invoice {invoice.get('id')} ({why}) was paid; no sessions were granted for it.",
                stripe_id=invoice.get("id") or "",
                order=membership.order,
                alert=False,  # a proration or manual invoice is routine: listed, not emailed
            )
            return None
        start, end = invoice_period(invoice)
        payment_intent, amount_paid = invoice_payment(invoice)
        grant = membership_grant_month(
            membership=membership,
            invoice_id=invoice["id"],
            period_start=start,
            period_end=end,
            payment_intent=payment_intent,
            amount_paid=amount_paid,
        )
        Membership.objects.filter(pk=membership.pk, status=Membership.Status.PAST_DUE).update(
            status=Membership.Status.ACTIVE
        )
        Membership.objects.filter(pk=membership.pk).update(current_period_start=start, current_period_end=end)
        return grant
