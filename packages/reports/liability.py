"""What the studio owes customers, month by month, straight from the ledgers.

For each month and kind: opening + sold − redeemed − refunded − expired − voided ± adjusted
= closing, where each column is the sum of that month's ledger entries of one ``LedgerKind``
(grant = sold), dated by ``created_at`` in local time. Kinds:

* gift-card money: money gift cards' entries, in minor units;
* series sessions: bought or gifted series, valued at the price paid per session;
* membership sessions: counted (the month is paid and recognised when Stripe bills it);
* staff-added sessions: counted (nobody paid for them).

A series session is worth ``paid / sessions_granted``; so that every column ties to the
ledger to the cent, a balance ``b`` on a grant is worth ``b * paid // sessions_granted``
and an entry is worth the change it makes to that value. A whole series is then worth
exactly what was paid, and a month's closing exactly what its balances are worth.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime

from django.conf import settings

from ..models import CreditEntry, CreditGrant, GiftCard, GiftCardEntry, LedgerKind
from .common import Period, local_month, month_label, months_in, net_paid

LIABILITY_COLUMNS = [
    "month",
    "kind",
    "unit",
    "opening",
    "sold",
    "redeemed",
    "refunded",
    "expired",
    "voided",
    "adjusted",
    "closing",
]

GIFT_MONEY, SERIES, MEMBERSHIP, EXTRA = "gift_money", "series", "membership", "extra"
#: key -> (label, counted in money?)
LIABILITY_KINDS = {
    GIFT_MONEY: ("Gift-card money", True),
    SERIES: ("Series sessions (value)", True),
    MEMBERSHIP: ("Membership sessions", False),
    EXTRA: ("Staff-added sessions", False),
}
MONEY_KINDS = tuple(key for key, (_, money) in LIABILITY_KINDS.items() if money)

MOVE_COLUMNS = {
    LedgerKind.GRANT: "sold",
    LedgerKind.REDEEM: "redeemed",
    LedgerKind.REFUND: "refunded",
    LedgerKind.EXPIRE: "expired",
    LedgerKind.VOID: "voided",
    LedgerKind.ADJUST: "adjusted",
    # A gift card spent online: held at checkout, the hold given back and the amount redeemed when
    # paid (net: redeemed), or given back when not paid (net: nothing). Both count as redemption.
    LedgerKind.HOLD: "redeemed",
    LedgerKind.RELEASE: "redeemed",
}


def money_unit() -> str:
    return f"{settings.SHOP_CURRENCY.upper()} cents"


def session_value(balance: int, paid: int, granted: int) -> int:
    """What ``balance`` sessions of a series are worth: whole cents, the full series exactly ``paid``."""
    return balance * paid // granted if granted else 0


def _credit_kind(source: str, has_order: bool) -> str:
    if source == CreditGrant.Source.MEMBERSHIP:
        return MEMBERSHIP
    return SERIES if has_order else EXTRA


def movements(until: datetime) -> Iterator[tuple[date, str, str, int]]:
    """(local month, liability kind, ledger kind, signed amount) for every ledger entry before ``until``."""
    cards = GiftCardEntry.objects.filter(card__kind=GiftCard.Kind.AMOUNT, created_at__lt=until)
    for created_at, kind, delta in cards.values_list("created_at", "kind", "delta_minor").iterator():
        yield local_month(created_at), GIFT_MONEY, kind, delta
    credits = (
        CreditEntry.objects.filter(created_at__lt=until)
        .order_by("grant_id", "created_at", "pk")
        .values_list(
            "grant_id",
            "created_at",
            "kind",
            "delta",
            "grant__source",
            "grant__sessions_granted",
            "grant__order_id",
            "grant__order__stripe_amount_total",
            "grant__order__stripe_amount_tax",
            "grant__order__amount_total_minor",
        )
    )
    grant, running = None, 0
    for grant_id, created_at, kind, delta, source, granted, order_id, total, tax, price in credits.iterator():
        if grant_id != grant:
            grant, running = grant_id, 0
        liability = _credit_kind(source, order_id is not None)
        amount = delta
        if liability == SERIES:
            paid = net_paid(total, tax, price)
            amount = session_value(running + delta, paid, granted) - session_value(running, paid, granted)
        running += delta
        yield local_month(created_at), liability, kind, amount


def liability_rows(period: Period) -> list[dict]:
    """One row per month of the period (whole months) and kind, oldest month first, in the kinds' order."""
    period = period.whole_months()
    months = months_in(period)
    opening: dict[str, int] = defaultdict(int)
    moves: dict[tuple[date, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for month, kind, ledger_kind, amount in movements(period.until):
        if month < months[0]:
            opening[kind] += amount
        else:
            moves[month, kind][MOVE_COLUMNS[ledger_kind]] += amount
    rows = []
    for month in months:
        for kind, (label, money) in LIABILITY_KINDS.items():
            move = moves[month, kind]
            row = {
                "month": month_label(month),
                "kind": label,
                "unit": money_unit() if money else "sessions",
                "opening": opening[kind],
                "sold": move["sold"],
                # Taken off the balance: shown as positive amounts.
                "redeemed": -move["redeemed"],
                "refunded": -move["refunded"],
                "expired": -move["expired"],
                "voided": -move["voided"],
                "adjusted": move["adjusted"],
                "closing": opening[kind] + sum(move.values()),
                "key": kind,
                "money": money,
            }
            opening[kind] = row["closing"]
            rows.append(row)
    return rows
