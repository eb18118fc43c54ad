"""Refunds: asked of Stripe by a manager, applied to balances when Stripe confirms them.

Stripe is never called while a row is locked: the refund is recorded as pending
and committed, Stripe is called, and its answer is recorded. ``charge.refunded``
then takes back what is unused, once per Stripe refund id, and reports what had
already been used. A pending record is matched to Stripe's refund by its id or by
the ``refund_record`` we put in the refund's metadata, whichever arrives first.

An order paid partly or wholly by a gift card is refunded to both means
(:mod:`.refund_means` splits it): the gift card's part goes back on the card when the
refund is applied, with the Stripe part's confirmation, or at once when there is no
Stripe part (an order the card paid entirely never reached Stripe).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from home.money import format_money

from .. import tasks
from ..models import CreditGrant, GiftCard, LedgerKind, Order, OrderRefund
from ..payments import GatewayError, get_gateway
from .errors import BalanceError
from .ledger import balance_lock, balance_move
from .outbox import deliver_on_commit, enqueue
from .refund_means import (
    card_give_back,
    card_refunded_minor,
    card_value,
    fully_refunded,
    refund_split,
    sessions_for_refund,
)


def order_refund(
    *,
    order_id: int,
    amount_minor: int,
    actor,
    reason: str,
    sessions: int | None = None,
    card_minor: int | None = None,
) -> OrderRefund:
    """Refund (part of) an order to the means that paid it; balances follow when charge.refunded arrives.

    The Stripe part goes through Stripe; the gift card's part (``card_minor``, or its share of the
    order when None) goes back on the card with the Stripe part's confirmation, or at once when
    there is no Stripe part. ``sessions`` lets the manager take back fewer sessions than the policy
    would (never more).
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        split = refund_split(order, amount_minor, card_minor)
        if sessions is not None and sessions < 0:
            raise BalanceError("Enter how many sessions to take back (0 or more).")
        record = OrderRefund.objects.create(
            order=order,
            amount_minor=split.stripe_minor,
            card_amount_minor=split.card_minor,
            reason=reason,
            requested_by=actor,
            sessions_requested=sessions,
            already_used_note=split.card_refused[:300],
        )
        if not split.stripe_minor:  # nothing for Stripe: the gift card's part is given back now
            _apply(order, record)
            _set_refunded_status(order)
            enqueue(tasks.send_refund_email, record.pk)
            return record

    return _ask_stripe(record, payment_intent=order.stripe_payment_intent_id, token=order.public_token)


def _ask_stripe(record: OrderRefund, *, payment_intent: str, token: str) -> OrderRefund:
    """The pending refund is committed: ask Stripe (no row is locked), then record its answer."""
    gateway = get_gateway()
    try:
        refund = gateway.create_refund(
            payment_intent=payment_intent,
            amount_minor=record.amount_minor,
            idempotency_key=f"{token}-{record.pk}",
            metadata={"order": token, "refund_record": str(record.pk)},
        )
    except GatewayError as error:
        OrderRefund.objects.filter(pk=record.pk).update(failure=error.user_message[:500])
        raise

    with transaction.atomic():
        record = OrderRefund.objects.select_for_update().get(pk=record.pk)
        if record.stripe_refund_id is None:  # else charge.refunded came first and matched it
            record.stripe_refund_id = refund["id"]
            record.save(update_fields=["stripe_refund_id"])
        deliver_on_commit(gateway.take_events())
    return record


def _record_for(order: Order, refund: dict[str, Any]) -> OrderRefund:
    """Our record of one Stripe refund: by its id, else the pending one we asked for, else a new one."""
    record = OrderRefund.objects.select_for_update().filter(stripe_refund_id=refund["id"]).first()
    if record is not None:
        return record
    asked = str((refund.get("metadata") or {}).get("refund_record") or "")
    if asked.isdigit():
        record = (
            OrderRefund.objects.select_for_update()
            .filter(Q(stripe_refund_id__isnull=True), pk=int(asked), order=order)
            .first()
        )
        if record is not None:
            record.stripe_refund_id = refund["id"]
            record.amount_minor = refund["amount"]
            record.save(update_fields=["stripe_refund_id", "amount_minor"])
            return record
    # A refund made in Stripe's Dashboard: ours to apply all the same.
    return OrderRefund.objects.create(order=order, stripe_refund_id=refund["id"], amount_minor=refund["amount"])


def refund_apply(*, charge: dict[str, Any]) -> list[OrderRefund]:
    """charge.refunded: take back what is unused, once per Stripe refund id."""
    payment_intent = charge.get("payment_intent")
    if not payment_intent:
        return []
    month = CreditGrant.objects.filter(stripe_payment_intent_id=payment_intent).values_list("pk", flat=True).first()
    if month is None and not Order.objects.filter(stripe_payment_intent_id=payment_intent).exists():
        return []  # not one of our payments
    # Current API versions list no refunds on the charge: ask Stripe, before any row is locked.
    refunds = ((charge.get("refunds") or {}).get("data")) or get_gateway().list_refunds(charge_id=charge["id"])
    if month is not None:
        return _month_refunds_apply(month, refunds)
    with transaction.atomic():
        order = Order.objects.select_for_update().get(stripe_payment_intent_id=payment_intent)
        applied = []
        for refund in sorted(refunds, key=lambda r: (r.get("created") or 0, r["id"])):
            if refund.get("status") not in (None, "succeeded", "pending"):
                continue
            record = _record_for(order, refund)
            if record.applied_at is not None:
                continue
            record.stripe_card_last4 = _card_last4(charge)
            _apply(order, record)
            applied.append(record)
            enqueue(tasks.send_refund_email, record.pk)
        if applied:
            _set_refunded_status(order)
        return applied


def _card_last4(charge: dict[str, Any]) -> str:
    """The last four digits of the card Stripe charged (and refunds to), when its charge says."""
    card = ((charge.get("payment_method_details") or {}).get("card")) or {}
    return str(card.get("last4") or "")[:4]


def _apply(order: Order, record: OrderRefund) -> None:
    """Apply one refund, once (the caller holds the order's lock): take back what is unused, give the
    gift card's part back, and count the Stripe part as refunded."""
    _revoke_for_refund(order, record)
    record.applied_at = timezone.now()
    record.save()
    Order.objects.filter(pk=order.pk).update(amount_refunded_minor=F("amount_refunded_minor") + record.amount_minor)
    order.refresh_from_db()


def _set_refunded_status(order: Order) -> None:
    """Refunded once Stripe's charge and the gift card's part are all given back; partly refunded before."""
    done = order.amount_refunded_minor >= order.stripe_paid_minor and card_refunded_minor(order, applied_only=True) >= (
        order.card_paid_minor
    )
    order.status = Order.Status.REFUNDED if done else Order.Status.PARTIALLY_REFUNDED
    order.save(update_fields=["status", "updated_at"])


def _month_refunds_apply(grant_id: int, refunds: list[dict[str, Any]]) -> list[OrderRefund]:
    """A membership month's payment refunded: its unused sessions go, up to the refund's value."""
    with transaction.atomic():
        grant = balance_lock(CreditGrant, grant_id)
        order = Order.objects.get(pk=grant.membership.order_id)
        paid, applied = grant.amount_paid_minor or 0, []
        for refund in sorted(refunds, key=lambda r: (r.get("created") or 0, r["id"])):
            if refund.get("status") not in (None, "succeeded", "pending"):
                continue
            record = _record_for(order, refund)
            if record.applied_at is not None:
                continue
            refunded_before = sum(grant.refunds.filter(applied_at__isnull=False).values_list("amount_minor", flat=True))
            full = not paid or refunded_before + record.amount_minor >= paid
            # Whole sessions up to the refund's value: floor(refund / price paid per session).
            take = grant.balance if full else min(grant.balance, record.amount_minor * grant.sessions_granted // paid)
            if record.sessions_requested is not None:
                take = min(take, record.sessions_requested)
            grant = balance_move(
                CreditGrant,
                grant.pk,
                delta=-take,
                kind=LedgerKind.REFUND,
                reason=f"Refund {record.stripe_refund_id} of this month's payment",
                reference=record.stripe_refund_id,
            )
            record.grant, record.sessions_revoked, record.applied_at = grant, take, timezone.now()
            record.save()
            applied.append(record)
            enqueue(tasks.send_refund_email, record.pk)
        return applied


def membership_month_refund(
    *, membership_id: int, actor, reason: str, amount_minor: int | None = None, sessions: int | None = None
) -> OrderRefund:
    """Refund the latest paid month of a membership through Stripe (all of it unless ``amount_minor``).

    Its unused sessions are taken back when Stripe confirms the refund (charge.refunded).
    """
    with transaction.atomic():
        grant = (
            CreditGrant.objects.select_for_update()
            .filter(membership_id=membership_id, source=CreditGrant.Source.MEMBERSHIP)
            .exclude(stripe_payment_intent_id="")
            .order_by("-created_at", "-pk")
            .first()
        )
        if grant is None:
            raise BalanceError("This membership has no paid month we can refund here (refund it in Stripe).")
        order = Order.objects.get(pk=grant.membership.order_id)
        in_flight = grant.refunds.filter(failure="").aggregate(total=Sum("amount_minor"))["total"] or 0
        refundable = (grant.amount_paid_minor or 0) - in_flight
        amount_minor = refundable if amount_minor is None else amount_minor
        if refundable <= 0:
            raise BalanceError("This month's payment has already been refunded.")
        if amount_minor <= 0 or amount_minor > refundable:
            raise BalanceError(f"Enter an amount between 0.01 and {format_money(refundable, order.currency)}.")
        record = OrderRefund.objects.create(
            order=order,
            grant=grant,
            amount_minor=amount_minor,
            reason=reason,
            requested_by=actor,
            sessions_requested=sessions,
        )
    return _ask_stripe(record, payment_intent=grant.stripe_payment_intent_id, token=order.public_token)


def _revoke_for_refund(order: Order, record: OrderRefund) -> None:
    """Give the gift card's part back, then revoke value in proportion to the whole refund (Stripe's
    part and the card's), never below zero; report what was already used."""
    card = None if order.is_bulk else GiftCard.objects.filter(order=order).first()  # bulk: _revoke_bulk's own order
    # Lock both cards in pk order: the one the order made (taken back) and the one that paid (given back).
    for pk in sorted({pk for pk in (card.pk if card else None, order.paid_with_card_id) if pk}):
        balance_lock(GiftCard, pk)
    refused = card_give_back(order, record)
    full = fully_refunded(order, record)
    value = record.total_minor
    reason = f"Refund {record.stripe_refund_id or record.pk}"
    reference = record.stripe_refund_id or f"order-refund-{record.pk}"
    earlier, record.already_used_note = record.already_used_note, ""  # e.g. why the card's part was left out
    _revoke_bought(order, record, card, full=full, value=value, reason=reason, reference=reference)
    record.already_used_note = " ".join(filter(None, [earlier, record.already_used_note, refused]))[:300]


def _revoke_bought(order, record, card, *, full: bool, value: int, reason: str, reference: str) -> None:
    """Take back what the order bought: bulk cards, a gift card's money, or unused sessions."""
    if order.is_bulk:
        _revoke_bulk(order, record, full=full, reason=reason, reference=reference)
        return
    if card is not None and card.kind == GiftCard.Kind.AMOUNT:
        before = balance_lock(GiftCard, card.pk).balance_minor
        wanted = before if full else card_value(order, card, value)
        card = balance_move(
            GiftCard,
            card.pk,
            delta=lambda c: -min(wanted, c.balance_minor),
            kind=LedgerKind.REFUND,
            reason=reason,
            reference=reference,
        )
        take = before - card.balance_minor
        record.amount_revoked_minor = take
        if take < wanted and not full:
            used = format_money(wanted - take, order.currency)
            record.already_used_note = f"{used} had already been spent from the card."
        if full:
            GiftCard.objects.filter(pk=card.pk).update(status=GiftCard.Status.VOIDED)
        return
    grant = CreditGrant.objects.filter(order=order).first()
    if grant is None:
        return
    grant = balance_lock(CreditGrant, grant.pk)
    # Used means redeemed: sessions an earlier refund took back were not used by anyone.
    used = -sum(grant.entries.filter(kind=LedgerKind.REDEEM).values_list("delta", flat=True))
    take = grant.balance if full else sessions_for_refund(order, value, unused=grant.balance)
    if record.sessions_requested is not None:
        take = min(take, record.sessions_requested)
    balance_move(CreditGrant, grant.pk, delta=-take, kind=LedgerKind.REFUND, reason=reason, reference=reference)
    record.sessions_revoked = take
    amount = format_money(value, order.currency)
    if take == 0 and not full:
        record.already_used_note = f"A goodwill refund of {amount}: no sessions were taken back."
    elif full and used:
        record.already_used_note = f"{used} session(s) had already been used and could not be taken back."
    if card is not None and full:
        GiftCard.objects.filter(pk=card.pk).update(status=GiftCard.Status.VOIDED)


def _revoke_bulk(order: Order, record: OrderRefund, *, full: bool, reason: str, reference: str) -> None:
    """A bulk order refunded in full: every card gives back what is left on it and is voided.

    A partial refund (made in Stripe's Dashboard) changes no card: which cards it covers is
    the manager's call, made by voiding them at the front desk.
    """
    if not full:
        record.already_used_note = "A partial refund of a bulk order: no card was changed (void the cards it covers)."
        return
    taken = spent = 0
    for card_id in GiftCard.objects.filter(order=order).order_by("pk").values_list("pk", flat=True):
        card = balance_lock(GiftCard, card_id)
        if card.status == GiftCard.Status.VOIDED:
            continue
        before = card.balance_minor
        card = balance_move(
            GiftCard,
            card_id,
            delta=lambda c: -c.balance_minor,
            kind=LedgerKind.REFUND,
            reason=reason,
            reference=reference,
        )
        taken += before - card.balance_minor
        spent += card.initial_amount_minor - before
        GiftCard.objects.filter(pk=card_id).update(status=GiftCard.Status.VOIDED)
    record.amount_revoked_minor = taken
    if spent:
        record.already_used_note = f"{format_money(spent, order.currency)} had already been spent from the cards."
