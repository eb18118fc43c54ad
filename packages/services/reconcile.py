"""Reconcile: ask Stripe what happened in a window and apply whatever a webhook missed.

Safe at any time, also while webhooks arrive: Stripe is asked first, outside any lock,
and each object then goes through the same idempotent service a webhook would call
(fulfilment keyed by the order, a month by its invoice, a refund by its id, a dispute
by the order), so whatever was applied already is only counted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import CreditGrant, Order, OrderRefund, Review
from ..payments import get_gateway
from .disputes import dispute_closed, dispute_opened
from .fulfilment import PAID, membership_invoice_paid, order_sync_from_session
from .memberships import invoice_subscription
from .orders import order_for_session
from .refunds import refund_apply

logger = logging.getLogger(__name__)


@dataclass
class ReconcileRun:
    seen: int = 0  # objects of ours Stripe listed
    already: int = 0  # applied before (by a webhook, the success page or an earlier run)
    applied: int = 0  # applied now
    review: int = 0  # held for a manager (a mismatch, an invoice that grants nothing…)

    def __str__(self) -> str:
        return (
            f"{self.seen} seen, {self.already} already applied, {self.applied} applied now, {self.review} need review"
        )


def _sessions(run: ReconcileRun, sessions: list[dict[str, Any]]) -> None:
    for session in sessions:
        if session.get("status") != "complete" or session.get("payment_status") not in PAID:
            continue
        order = order_for_session(session, lock=False)
        if order is None:
            continue  # not ours
        run.seen += 1
        if order.fulfilled_at or order.status == Order.Status.NEEDS_REVIEW:
            run.already += 1
            continue
        order_sync_from_session(session=session)
        order.refresh_from_db()
        if order.fulfilled_at:
            run.applied += 1
        else:
            run.review += 1


def _invoices(run: ReconcileRun, invoices: list[dict[str, Any]]) -> None:
    for invoice in invoices:
        subscription_id, _ = invoice_subscription(invoice)
        if invoice.get("status") != "paid" or not subscription_id:
            continue
        done = CreditGrant.objects.filter(stripe_invoice_id=invoice["id"]).exists()
        if done or Review.objects.filter(stripe_id=invoice["id"]).exists():
            run.seen += 1
            run.already += 1
            continue
        grant = membership_invoice_paid(invoice=invoice)
        if grant is not None:
            run.seen += 1
            run.applied += 1
        elif Review.objects.filter(stripe_id=invoice["id"]).exists():
            run.seen += 1
            run.review += 1


def _refunds(run: ReconcileRun, refunds: list[dict[str, Any]]) -> None:
    by_payment: dict[str, list[dict[str, Any]]] = {}
    for refund in refunds:
        if refund.get("payment_intent"):
            by_payment.setdefault(refund["payment_intent"], []).append(refund)
    for payment_intent, listed in by_payment.items():
        if not Order.objects.filter(stripe_payment_intent_id=payment_intent).exists():
            continue
        run.seen += len(listed)
        applied_before = OrderRefund.objects.filter(
            stripe_refund_id__in=[r["id"] for r in listed], applied_at__isnull=False
        ).count()
        charge = {"id": listed[0].get("charge"), "payment_intent": payment_intent, "refunds": {"data": listed}}
        applied = refund_apply(charge=charge)
        run.already += applied_before
        run.applied += len(applied)


def _disputes(run: ReconcileRun, disputes: list[dict[str, Any]]) -> None:
    for dispute in disputes:
        order = Order.objects.filter(stripe_payment_intent_id=dispute.get("payment_intent") or "-").first()
        if order is None:
            continue
        run.seen += 1
        closed = dispute.get("status") in ("won", "lost")
        wanted = dispute["status"] if closed else "open"
        if order.dispute_status == wanted or (order.dispute_status in ("won", "lost") and not closed):
            run.already += 1
            continue
        if not closed:
            dispute_opened(dispute=dispute)
        else:
            if not order.dispute_status:
                dispute_opened(dispute=dispute)
            dispute_closed(dispute=dispute)
        run.applied += 1


def stripe_reconcile(*, since: datetime) -> ReconcileRun:
    """List Checkout Sessions, invoices, refunds and disputes created since ``since``; apply what was missed."""
    gateway, start = get_gateway(), int(since.timestamp())
    listed = {
        what: gateway.list_since(what, since=start) for what in ("checkout_sessions", "invoices", "refunds", "disputes")
    }
    run = ReconcileRun()
    _sessions(run, listed["checkout_sessions"])
    _invoices(run, listed["invoices"])
    _refunds(run, listed["refunds"])
    _disputes(run, listed["disputes"])
    logger.info("Stripe reconcile since %s: %s", since.isoformat(), run)
    return run
