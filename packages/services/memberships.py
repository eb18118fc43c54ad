"""Memberships: the first month at checkout, each paid month's sessions, Stripe's subscription updates.

A month is granted once per Stripe invoice (a unique invoice id on the grant decides);
unused sessions roll over up to the plan's cap. An older subscription event never
overwrites a newer one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .. import tasks
from ..models import CreditGrant, LedgerKind, Membership, Order, OrderLine
from ..payments import get_gateway
from .common import add_months, from_timestamp
from .errors import BalanceError, FulfilmentError
from .ledger import balance_lock, balance_move
from .outbox import deliver_on_commit
from .wallet import credit_grant_create

logger = logging.getLogger(__name__)

SUBSCRIPTION_STATUS = {
    "active": Membership.Status.ACTIVE,
    "trialing": Membership.Status.ACTIVE,
    "past_due": Membership.Status.PAST_DUE,
    "unpaid": Membership.Status.UNPAID,
    "canceled": Membership.Status.CANCELED,
    "incomplete": Membership.Status.INCOMPLETE,
    "incomplete_expired": Membership.Status.CANCELED,
    "paused": Membership.Status.PAST_DUE,
}


def fulfil_membership(order: Order, line: OrderLine, session: dict[str, Any]) -> None:
    """A paid membership checkout: the membership, and the first month when the session names its invoice."""
    subscription_id = session.get("subscription")
    if not subscription_id:
        raise FulfilmentError(f"Membership checkout {session.get('id')} has no subscription")
    membership, _ = Membership.objects.get_or_create(
        stripe_subscription_id=subscription_id,
        defaults={
            "customer": order.customer,
            "plan_id": line.plan_id,
            "order": order,
            "status": Membership.Status.ACTIVE,
        },
    )
    if session.get("invoice"):
        # The first month's sessions, keyed by the first invoice; invoice.paid may bring the period.
        now = timezone.now()
        membership_grant_month(
            membership=membership, invoice_id=session["invoice"], period_start=now, period_end=add_months(now, 1)
        )


def membership_grant_month(
    *, membership: Membership, invoice_id: str, period_start: datetime, period_end: datetime
) -> CreditGrant | None:
    """Grant one paid month's sessions, once per invoice, rolling over unused ones up to the cap."""
    if CreditGrant.objects.filter(stripe_invoice_id=invoice_id).exists():
        return None
    terms = membership.order.lines.get().terms
    cap = terms.get("rollover_cap", 0)
    carried = 0
    previous_months = CreditGrant.objects.filter(membership=membership, balance__gt=0).order_by("pk")
    for previous_id in previous_months.values_list("pk", flat=True):
        previous = balance_lock(CreditGrant, previous_id)
        keep = min(previous.balance, cap - carried)
        carried += keep
        balance_move(
            CreditGrant,
            previous_id,
            delta=lambda grant: -grant.balance,
            kind=LedgerKind.EXPIRE,
            reason=f"Month ended; {keep} session(s) rolled over" if keep else "Month ended",
            reference=invoice_id,
        )
    try:
        with transaction.atomic():
            grant = credit_grant_create(
                customer=membership.customer,
                source=CreditGrant.Source.MEMBERSHIP,
                terms=terms,
                sessions=terms["sessions_per_month"] + carried,
                expires_at=period_end + timedelta(days=7),
                membership=membership,
                stripe_invoice_id=invoice_id,
                reason=f"Membership month {period_start:%b %d}–{period_end:%b %d}"
                + (f" (+{carried} rolled over)" if carried else ""),
                reference=invoice_id,
            )
    except IntegrityError:
        return None  # a concurrent delivery granted this invoice first
    Membership.objects.filter(pk=membership.pk).update(current_period_start=period_start, current_period_end=period_end)
    return grant


def invoice_subscription(invoice: dict[str, Any]) -> tuple[str | None, dict]:
    """The subscription an invoice bills and its metadata, in the current and the older API shape."""
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription") or invoice.get("subscription"), details.get("metadata") or {}


def invoice_period(invoice: dict[str, Any]) -> tuple[datetime, datetime]:
    lines = (invoice.get("lines") or {}).get("data") or []
    period = (lines[0].get("period") if lines else None) or {}
    start = from_timestamp(period.get("start") or invoice.get("period_start")) or timezone.now()
    end = from_timestamp(period.get("end") or invoice.get("period_end")) or add_months(start, 1)
    return start, end


def membership_invoice_failed(*, invoice: dict[str, Any]) -> Membership | None:
    """A renewal failed: mark past due and tell the customer once per invoice."""
    subscription_id, _ = invoice_subscription(invoice)
    if not subscription_id:
        return None
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
        if membership is None:
            return None
        membership.status = Membership.Status.PAST_DUE
        notify = membership.past_due_notified_for != invoice["id"]
        membership.past_due_notified_for = invoice["id"]
        membership.save(update_fields=["status", "past_due_notified_for", "updated_at"])
        if notify:
            transaction.on_commit(lambda: tasks.send_membership_past_due_email.enqueue(membership.pk))
        return membership


def membership_sync_subscription(*, subscription: dict[str, Any], event_created: int) -> Membership | None:
    """Apply customer.subscription.updated/.deleted; an older event never overwrites a newer one."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(stripe_subscription_id=subscription["id"]).first()
        if membership is None:
            token = (subscription.get("metadata") or {}).get("order", "")
            if token and Order.objects.filter(public_token=token, kind=Order.Kind.MEMBERSHIP).exists():
                # Ours, but checkout has not been fulfilled yet: fail so Stripe delivers it again later.
                raise FulfilmentError(f"Subscription {subscription['id']} arrived before its checkout completed")
            return None  # not one of our memberships
        if event_created < membership.last_event_at:
            return membership
        if membership.status == Membership.Status.CANCELED and subscription.get("status") != "canceled":
            return membership  # a cancelled subscription never comes back to life
        membership.status = SUBSCRIPTION_STATUS.get(subscription.get("status"), membership.status)
        membership.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
        items = (subscription.get("items") or {}).get("data") or []
        if items and items[0].get("current_period_end"):
            membership.current_period_start = from_timestamp(items[0].get("current_period_start"))
            membership.current_period_end = from_timestamp(items[0]["current_period_end"])
        membership.last_event_at = event_created
        membership.save()
        return membership


def membership_cancel_at_period_end(*, membership_id: int, actor) -> Membership:
    membership = Membership.objects.get(pk=membership_id)
    if membership.status == Membership.Status.CANCELED:
        raise BalanceError("This membership is already cancelled.")
    if membership.cancel_at_period_end:
        raise BalanceError("This membership already ends at the end of the paid period.")
    gateway = get_gateway()
    subscription = gateway.cancel_subscription_at_period_end(
        subscription_id=membership.stripe_subscription_id, membership=membership
    )
    deliver_on_commit(gateway.take_events())
    # Apply what Stripe answered now; the webhook that follows finds it done.
    return membership_sync_subscription(subscription=subscription, event_created=int(timezone.now().timestamp()))
