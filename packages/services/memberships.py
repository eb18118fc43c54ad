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
from django.db.models import Q
from django.utils import timezone

from .. import tasks
from ..models import CreditGrant, LedgerKind, Membership, MembershipPlan, Order, OrderLine, StripeEvent
from ..payments import get_gateway
from .common import add_months, from_timestamp
from .errors import BalanceError, FulfilmentError
from .ledger import balance_lock, balance_move
from .outbox import deliver_on_commit, enqueue
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
    membership, created = Membership.objects.get_or_create(
        stripe_subscription_id=subscription_id,
        defaults={
            "customer": order.customer,
            "plan_id": line.plan_id,
            "order": order,
            "status": Membership.Status.ACTIVE,
        },
    )
    if created:
        membership = subscription_events_apply(membership)
    if session.get("invoice"):
        # The first month's sessions, keyed by the first invoice; invoice.paid may bring the period.
        now = timezone.now()
        membership_grant_month(
            membership=membership, invoice_id=session["invoice"], period_start=now, period_end=add_months(now, 1)
        )


def invoice_payment(invoice: dict[str, Any]) -> tuple[str, int | None]:
    """(payment intent, amount paid) of an invoice: ``payments`` in the current API, ``payment_intent`` before."""
    payments = ((invoice.get("payments") or {}).get("data")) or []
    intents = [(p.get("payment") or {}).get("payment_intent") for p in payments]
    intent = next((i for i in intents if i), None) or invoice.get("payment_intent") or ""
    return (intent if isinstance(intent, str) else intent.get("id", "")), invoice.get("amount_paid")


def membership_grant_month(
    *,
    membership: Membership,
    invoice_id: str,
    period_start: datetime,
    period_end: datetime,
    payment_intent: str = "",
    amount_paid: int | None = None,
) -> CreditGrant | None:
    """Grant one paid month's sessions, once per invoice, rolling over unused ones up to the cap.

    The month keeps what paid for it (payment intent, amount), so a manager can refund it later.
    """
    existing = CreditGrant.objects.filter(stripe_invoice_id=invoice_id)
    if existing.exists():
        if payment_intent:  # the first month, granted at checkout: its invoice now says what paid
            existing.filter(stripe_payment_intent_id="").update(
                stripe_payment_intent_id=payment_intent, amount_paid_minor=amount_paid
            )
        return None
    terms = membership.terms  # a changed plan counts from the next month
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
            if payment_intent:
                CreditGrant.objects.filter(pk=grant.pk).update(
                    stripe_payment_intent_id=payment_intent, amount_paid_minor=amount_paid
                )
    except IntegrityError:
        return None  # a concurrent delivery granted this invoice first
    Membership.objects.filter(pk=membership.pk).update(current_period_start=period_start, current_period_end=period_end)
    return grant


def invoice_subscription(invoice: dict[str, Any]) -> tuple[str | None, dict]:
    """The subscription an invoice bills and its metadata, in the current and the older API shape."""
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription") or invoice.get("subscription"), details.get("metadata") or {}


#: The invoices that pay for a month of sessions: the first, and each renewal. Plan changes
#: (prorations, ``subscription_update``), manual and one-off invoices grant nothing.
GRANTING_BILLING_REASONS = frozenset({"subscription_create", "subscription_cycle"})


def _subscription_line(line: dict[str, Any], subscription_id: str | None) -> bool:
    """The invoice line of the subscription's own item, in the current and the older API shape."""
    parent = line.get("parent") or {}
    if parent.get("type") == "subscription_item_details":
        details = parent.get("subscription_item_details") or {}
        return not subscription_id or details.get("subscription") in (None, subscription_id)
    if line.get("type") == "subscription" or line.get("subscription_item"):  # older API versions
        return not subscription_id or line.get("subscription") in (None, subscription_id)
    return False


def invoice_period(invoice: dict[str, Any]) -> tuple[datetime, datetime]:
    """The month an invoice pays for: the period of the subscription's own line, never whatever line
    comes first (a renewal may carry one-off items before it)."""
    subscription_id, _ = invoice_subscription(invoice)
    lines = (invoice.get("lines") or {}).get("data") or []
    line = next((line for line in lines if _subscription_line(line, subscription_id)), None)
    period = ((line or {}).get("period")) or {}
    start = from_timestamp(period.get("start") or invoice.get("period_start")) or timezone.now()
    end = from_timestamp(period.get("end") or invoice.get("period_end")) or add_months(start, 1)
    return start, end


def subscription_period(subscription: dict[str, Any]) -> tuple[datetime | None, datetime | None]:
    """The current period: on the subscription's item (current API), or on the subscription (older)."""
    items = (subscription.get("items") or {}).get("data") or []
    source = items[0] if items and items[0].get("current_period_end") else subscription
    return from_timestamp(source.get("current_period_start")), from_timestamp(source.get("current_period_end"))


def subscription_events_apply(membership: Membership) -> Membership:
    """Apply the newest subscription event that arrived before the membership existed (kept, not refused)."""
    stored = (
        StripeEvent.objects.filter(
            type__in=["customer.subscription.updated", "customer.subscription.deleted"],
            payload__data__object__id=membership.stripe_subscription_id,
        )
        .order_by("-created", "-pk")
        .first()
    )
    if stored is None:
        return membership
    return membership_sync_subscription(subscription=stored.payload["data"]["object"], event_created=stored.created)


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
            enqueue(tasks.send_membership_past_due_email, membership.pk)
        return membership


def membership_sync_subscription(*, subscription: dict[str, Any], event_created: int) -> Membership | None:
    """Apply customer.subscription.updated/.deleted; an older event never overwrites a newer one."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(stripe_subscription_id=subscription["id"]).first()
        if membership is None:
            # Not ours, or ours before its checkout completed: the stored event is applied when the
            # membership appears (subscription_events_apply), so nothing is refused or retried.
            return None
        if event_created < membership.last_event_at:
            return membership
        if membership.status == Membership.Status.CANCELED and subscription.get("status") != "canceled":
            return membership  # a cancelled subscription never comes back to life
        membership.status = SUBSCRIPTION_STATUS.get(subscription.get("status"), membership.status)
        membership.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
        membership.cancel_at = (
            from_timestamp(subscription.get("cancel_at")) if not membership.cancel_at_period_end else None
        )
        _follow_plan_change(membership, subscription)
        resumes_at = (subscription.get("pause_collection") or {}).get("resumes_at")
        membership.paused_until = from_timestamp(resumes_at)
        start, end = subscription_period(subscription)
        if end:
            membership.current_period_start, membership.current_period_end = start, end
        membership.last_event_at = event_created
        membership.save()
        return membership


def minimum_term_end(membership: Membership) -> datetime:
    """When the minimum term the member bought with ends (months from the start of the membership)."""
    months = membership.order.lines.get().terms.get("minimum_term_months") or 0
    return add_months(membership.created_at, months)


def _follow_plan_change(membership: Membership, subscription: dict[str, Any]) -> None:
    """The member changed plan (the portal, the stand-in): later months follow the new plan's terms.

    The plan is known by the subscription item's price: a plan's Stripe Price, or the
    ``plan`` the price's metadata names. A price we cannot match changes nothing.
    """
    items = (subscription.get("items") or {}).get("data") or []
    price = (items[0].get("price") if items else None) or {}
    if not price:
        return
    match = Q(slug=(price.get("metadata") or {}).get("plan") or "-")
    if price.get("id"):
        match |= Q(stripe_price_id=price["id"])
    plan = MembershipPlan.objects.filter(match).select_related("treatment").first()
    if plan is not None and plan.pk != membership.plan_id:
        membership.plan, membership.plan_terms = plan, plan.terms()


def membership_cancel_date(membership: Membership, *, override: bool = False) -> datetime | None:
    """When a cancellation asked now would end the membership: the paid period's end, or, inside
    the minimum term, the minimum term's end (unless a manager overrides it)."""
    period_end = membership.current_period_end
    term_end = minimum_term_end(membership)
    if override or (period_end and term_end <= period_end):
        return period_end
    return term_end


def membership_cancel(*, membership_id: int, actor, override_reason: str = "") -> Membership:
    """Cancel: Stripe ends it at the paid period's end, or at the minimum term's end (``cancel_at``).

    A manager may end it at the period's end inside the minimum term, giving a reason (kept in the log).
    """
    membership = Membership.objects.select_related("order").get(pk=membership_id)
    if membership.status == Membership.Status.CANCELED:
        raise BalanceError("This membership is already cancelled.")
    if membership.cancel_at_period_end or membership.cancel_at:
        raise BalanceError("This membership is already set to end.")
    override = bool(override_reason.strip())
    ends = membership_cancel_date(membership, override=override)
    inside_term = ends and ends != membership.current_period_end
    if override:
        logger.info("Membership %s cancelled inside its minimum term by %s: %s", membership.pk, actor, override_reason)
    gateway = get_gateway()
    subscription = gateway.cancel_subscription(
        subscription_id=membership.stripe_subscription_id,
        cancel_at=int(ends.timestamp()) if inside_term else None,
        membership=membership,
    )
    deliver_on_commit(gateway.take_events())
    # Apply what Stripe answered now; the webhook that follows finds it done.
    return membership_sync_subscription(subscription=subscription, event_created=int(timezone.now().timestamp()))


def membership_pause(*, membership_id: int, months: int, actor) -> Membership:
    """Pause for 1 to the plan's limit of months: Stripe takes no payment and grants no month until then.

    Sessions already granted keep their expiry; Stripe resumes the membership by itself on the date.
    """
    membership = Membership.objects.select_related("order").get(pk=membership_id)
    limit = membership.order.lines.get().terms.get("max_pause_months", 3)
    if membership.status != Membership.Status.ACTIVE or membership.cancel_at_period_end or membership.cancel_at:
        raise BalanceError("Only an active membership that is not set to end can be paused.")
    if membership.paused_until and membership.paused_until > timezone.now():
        raise BalanceError(f"This membership is already paused until {membership.paused_until:%B %-d, %Y}.")
    if not limit:
        raise BalanceError("This plan cannot be paused.")
    if not 1 <= months <= limit:
        raise BalanceError(f"Pause for 1 to {limit} month{'s' if limit > 1 else ''}.")
    start = membership.current_period_end or timezone.now()
    resumes = add_months(start, months)
    gateway = get_gateway()
    subscription = gateway.pause_subscription(
        subscription_id=membership.stripe_subscription_id, resumes_at=int(resumes.timestamp()), membership=membership
    )
    deliver_on_commit(gateway.take_events())
    logger.info("Membership %s paused until %s by %s", membership.pk, resumes.date(), actor or "the member")
    return membership_sync_subscription(subscription=subscription, event_created=int(timezone.now().timestamp()))


def membership_plans_to_switch_to(membership: Membership):
    """The plans this member may move to: the other active plans (in real mode, those with a Stripe Price)."""
    plans = MembershipPlan.objects.filter(active=True).exclude(pk=membership.plan_id).order_by("sort_order", "pk")
    if not get_gateway().offline:
        plans = plans.exclude(stripe_price_id="")
    return plans


def membership_change_plan(*, membership_id: int, plan_id: int, actor) -> Membership:
    """Move an active membership to another plan from its next billing cycle.

    Stripe bills the new plan's price from the next invoice (no proration); that invoice's
    month grants the new plan's sessions, and the terms the member sees are the new plan's.
    """
    membership = Membership.objects.select_related("order", "plan").get(pk=membership_id)
    if membership.status != Membership.Status.ACTIVE or membership.cancel_at_period_end or membership.cancel_at:
        raise BalanceError("Only an active membership that is not set to end can change plan.")
    plan = membership_plans_to_switch_to(membership).filter(pk=plan_id).first()
    if plan is None:
        raise BalanceError("Choose one of the plans offered here; that plan cannot be chosen online.")
    gateway = get_gateway()
    subscription = gateway.change_subscription_plan(
        subscription_id=membership.stripe_subscription_id, plan=plan, membership=membership
    )
    deliver_on_commit(gateway.take_events())
    logger.info("Membership %s moves to plan %s by %s", membership.pk, plan.slug, actor or "the member")
    return membership_sync_subscription(subscription=subscription, event_created=int(timezone.now().timestamp()))


def membership_cancel_at_period_end(*, membership_id: int, actor, reason: str = "Cancelled by staff") -> Membership:
    """Staff end a membership at the paid period's end, minimum term or not (an override, with its reason)."""
    return membership_cancel(membership_id=membership_id, actor=actor, override_reason=reason)
