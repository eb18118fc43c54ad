"""The one way a balance moves: lock the row, check, update the cached balance, write the entry.

Session credits and gift cards each keep a cached balance under a CheckConstraint
(never negative) and an append-only ledger whose entries always sum to it. Every
grant, redemption, refund, adjustment, expiry and void goes through :func:`balance_move`,
so that rule lives in one place (and the ledger property test aims at it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import F

from ..models import CreditEntry, CreditGrant, GiftCard, GiftCardEntry
from .errors import BalanceError


@dataclass(frozen=True)
class Ledger:
    entry_model: type[models.Model]
    balance_field: str  # the cached balance on the row
    owner_field: str  # the entry's foreign key to the row
    delta_field: str  # the entry's signed amount


LEDGERS: dict[type[models.Model], Ledger] = {
    CreditGrant: Ledger(CreditEntry, "balance", "grant", "delta"),
    GiftCard: Ledger(GiftCardEntry, "balance_minor", "card", "delta_minor"),
}


def balance_lock(model: type[models.Model], pk: int) -> Any:
    """The row, locked until the transaction ends (rows of several balances: lock in pk order)."""
    return model.objects.select_for_update().get(pk=pk)


def balance_of(row) -> int:
    return getattr(row, LEDGERS[type(row)].balance_field)


def balance_move(
    model: type[models.Model],
    pk: int,
    *,
    delta: int | Callable[[Any], int],
    kind: str,
    actor=None,
    reason: str = "",
    reference: str = "",
    check: Callable[[Any], None] | None = None,
    short: Callable[[Any], str] | None = None,
    record_zero: bool = False,
) -> Any:
    """Move a balance by ``delta`` and write its ledger entry, in one transaction.

    Returns the row with its new balance, and the entry written as ``row.ledger_entry``.

    ``delta`` may be a function of the locked row (e.g. "take back what is unused").
    ``check`` may raise :class:`BalanceError` after the row is locked (expired, voided…);
    ``short`` words the error when the balance would go below zero. A zero move writes no
    entry unless ``record_zero`` (an expiry extension is recorded as a zero entry).
    """
    ledger = LEDGERS[model]
    with transaction.atomic():
        row = balance_lock(model, pk)
        if check is not None:
            check(row)
        amount = delta(row) if callable(delta) else delta
        balance = getattr(row, ledger.balance_field)
        if balance + amount < 0:
            raise BalanceError(short(row) if short else f"Only {balance} left: cannot take {-amount}.")
        if amount == 0 and not record_zero:
            return row
        if amount:
            model.objects.filter(pk=pk).update(**{ledger.balance_field: F(ledger.balance_field) + amount})
            setattr(row, ledger.balance_field, balance + amount)
        row.ledger_entry = ledger.entry_model.objects.create(
            **{ledger.owner_field: row, ledger.delta_field: amount},
            kind=kind,
            actor=actor,
            reason=reason[:300],
            reference=reference,
        )
        return row


def balance_open(model: type[models.Model], *, amount: int, reason: str, reference: str = "", actor=None, **fields):
    """Create a balance row holding ``amount`` together with its opening ``grant`` entry.

    Both rows or neither, without a savepoint of its own: a failure rolls back the caller's
    transaction (or its savepoint: a caller that catches an IntegrityError opens one, as
    ``membership_grant_month`` does).
    """
    ledger = LEDGERS[model]
    with transaction.atomic(savepoint=False):
        row = model.objects.create(**fields, **{ledger.balance_field: amount})
        if amount:
            ledger.entry_model.objects.create(
                **{ledger.owner_field: row, ledger.delta_field: amount},
                kind="grant",
                actor=actor,
                reason=reason[:300],
                reference=reference,
            )
        return row
