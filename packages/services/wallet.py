"""Session credits: granting, redeeming at the desk, staff adjustments, expiry reminders.

"Usable" is the model's rule (``CreditGrant.objects.usable()``); every balance
change goes through :func:`.ledger.balance_move`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .. import tasks
from ..models import CreditGrant, Customer, LedgerKind, Membership, Order
from .errors import BalanceError
from .ledger import balance_lock, balance_move, balance_open
from .outbox import enqueue


def credit_grant_create(
    *,
    customer: Customer,
    source: str,
    terms: dict,
    sessions: int,
    expires_at: datetime | None,
    order: Order | None = None,
    membership: Membership | None = None,
    stripe_invoice_id: str | None = None,
    reason: str,
    reference: str = "",
) -> CreditGrant:
    return balance_open(
        CreditGrant,
        amount=sessions,
        reason=reason,
        reference=reference,
        customer=customer,
        order=order,
        membership=membership,
        source=source,
        treatment_name=terms["treatment"],
        session_minutes=terms["session_minutes"],
        sessions_granted=sessions,
        expires_at=expires_at,
        stripe_invoice_id=stripe_invoice_id,
    )


def credit_to_use(*, customer: Customer, grant_id: int | None = None) -> CreditGrant | None:
    """The credit a desk redemption will take: the chosen one, else the usable one that expires first."""
    grants = CreditGrant.objects.filter(customer=customer)
    if grant_id is not None:
        return grants.filter(pk=grant_id).first()
    return grants.usable().first_to_use().first()


def _check_redeemable(grant: CreditGrant) -> None:
    if grant.frozen:
        raise BalanceError("These sessions are on hold: their payment is disputed with the bank.")
    if grant.is_expired:
        raise BalanceError(f"This credit expired on {grant.expires_at:%b %-d, %Y}.")
    if grant.balance <= 0:
        raise BalanceError("This credit is used up: no sessions left on it.")


def credit_redeem(*, customer: Customer, actor, grant_id: int | None = None, note: str = "") -> CreditGrant:
    """Use one session: from the chosen credit, or the usable one that expires first.

    Returns the credit used (its ``label`` names it; ``balance`` is what is left on it).
    """
    for attempt in range(2):
        grant = credit_to_use(customer=customer, grant_id=grant_id)
        if grant is None and grant_id is not None:
            raise BalanceError("That credit does not belong to this customer.")
        if grant is None:
            left = CreditGrant.objects.filter(customer=customer, balance__gt=0).order_by("-expires_at").first()
            if left is not None:
                raise BalanceError(f"All remaining sessions expired (the last on {left.expires_at:%b %-d, %Y}).")
            raise BalanceError("This customer has no sessions left.")
        try:
            grant = balance_move(
                CreditGrant,
                grant.pk,
                delta=-1,
                kind=LedgerKind.REDEEM,
                actor=actor,
                reason=note or "Session redeemed at the desk",
                check=_check_redeemable,  # again, under the lock: another desk may have been first
            )
        except BalanceError:
            if grant_id is not None or attempt:
                raise
            continue  # another desk took the last session of that credit: choose again
        entry_id = grant.ledger_entry.pk
        enqueue(tasks.send_session_receipt, entry_id)
        return grant
    raise AssertionError("unreachable")


def credit_adjust(*, grant_id: int, delta: int, actor, reason: str) -> CreditGrant:
    if not reason.strip():
        raise BalanceError("Give a reason for the adjustment.")
    if delta == 0:
        raise BalanceError("Enter a number of sessions to add (positive) or remove (negative).")
    return balance_move(
        CreditGrant,
        grant_id,
        delta=delta,
        kind=LedgerKind.ADJUST,
        actor=actor,
        reason=reason,
        short=lambda grant: f"Only {grant.balance} session(s) left: cannot remove {-delta}.",
    )


def credit_extend(*, grant_id: int, expires_at: datetime, actor, reason: str) -> CreditGrant:
    if not reason.strip():
        raise BalanceError("Give a reason for extending the expiry.")
    with transaction.atomic():
        grant = balance_lock(CreditGrant, grant_id)
        if grant.expires_at and expires_at <= grant.expires_at:
            raise BalanceError("The new expiry must be later than the current one.")
        old = f"{grant.expires_at:%b %-d, %Y}" if grant.expires_at else "none"
        CreditGrant.objects.filter(pk=grant.pk).update(expires_at=expires_at)
        return balance_move(
            CreditGrant,
            grant.pk,
            delta=0,
            kind=LedgerKind.ADJUST,
            actor=actor,
            reason=f"Expiry extended from {old} to {expires_at:%b %-d, %Y}: {reason}",
            record_zero=True,
        )


def credit_expiry_reminders_send(*, within_days: int = 30) -> int:
    """Remind each customer once when a series with sessions left expires within ``within_days``.

    Membership months are left out (they renew); the reminder is marked in the same
    transaction as the email is queued, so a customer is never reminded twice.
    """
    now = timezone.now()
    due = (
        CreditGrant.objects.usable(now)
        .filter(expires_at__lte=now + timedelta(days=within_days), expiry_reminder_sent_at__isnull=True)
        .exclude(source=CreditGrant.Source.MEMBERSHIP)
    )
    sent = 0
    for grant_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            marked = CreditGrant.objects.filter(pk=grant_id, expiry_reminder_sent_at__isnull=True).update(
                expiry_reminder_sent_at=now
            )
            if marked:
                enqueue(tasks.send_expiry_reminder, grant_id)
                sent += 1
    return sent
