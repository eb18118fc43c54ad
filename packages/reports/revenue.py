"""Cash taken against revenue recognised, per month, beside the deferred revenue it leaves.

* Cash taken: what Stripe charged (tax included) for the one-off orders paid in the
  month, and for each membership month paid in it (one granted month per paid invoice,
  at the price of the membership's order).
* Revenue is recognised when a gift card's money or a series session is used
  (redemptions), when what is left of it expires (breakage), and for a membership when
  its month is paid. Tax is never revenue.
* Deferred revenue at a month's end is the liability report's money closing (gift-card
  money and series sessions' value) for that month: the two reports read the same ledgers.

Refunds paid are the applied refunds' Stripe parts, dated when Stripe confirmed them; a gift
card's part of a refund is no cash (it goes back on the card: a ledger entry the deferred
revenue counts).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from ..models import CreditEntry, CreditGrant, LedgerKind, Order, OrderRefund
from .common import Period, charged, local_month, month_label, months_in, net_paid, tax
from .liability import MONEY_KINDS, liability_rows

REVENUE_COLUMNS = [
    "month",
    "cash_taken",
    "tax",
    "refunds_paid",
    "recognised_redemptions",
    "recognised_breakage",
    "recognised_memberships",
    "recognised_total",
    "deferred_opening",
    "deferred_closing",
]
MONEY_COLUMNS = REVENUE_COLUMNS[1:]


def _cash(period: Period) -> dict[date, dict[str, int]]:
    cash: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    orders = (
        Order.objects.filter(fulfilled_at__isnull=False, paid_at__gte=period.since, paid_at__lt=period.until)
        .exclude(kind=Order.Kind.MEMBERSHIP)
        .annotate(charged=charged(), tax=tax())
        .values_list("paid_at", "charged", "tax")
    )
    for paid_at, amount, order_tax in orders.iterator():
        month = cash[local_month(paid_at)]
        month["cash_taken"] += amount
        month["tax"] += order_tax
    months_paid = CreditEntry.objects.filter(
        kind=LedgerKind.GRANT,
        grant__source=CreditGrant.Source.MEMBERSHIP,
        grant__membership__isnull=False,
        created_at__gte=period.since,
        created_at__lt=period.until,
    ).values_list(
        "created_at",
        "grant__membership__order__stripe_amount_total",
        "grant__membership__order__stripe_amount_tax",
        "grant__membership__order__amount_total_minor",
    )
    for created_at, total, month_tax, price in months_paid.iterator():
        month = cash[local_month(created_at)]
        month["cash_taken"] += price if total is None else total
        month["tax"] += month_tax or 0
        month["recognised_memberships"] += net_paid(total, month_tax, price)
    refunds = OrderRefund.objects.filter(applied_at__gte=period.since, applied_at__lt=period.until).values_list(
        "applied_at", "amount_minor"
    )
    for applied_at, amount in refunds.iterator():
        cash[local_month(applied_at)]["refunds_paid"] += amount
    return cash


def revenue_rows(period: Period) -> list[dict]:
    """One row per month of the period (whole months), oldest first, in minor units of the shop's currency."""
    period = period.whole_months()
    cash = _cash(period)
    money = defaultdict(lambda: defaultdict(int))
    for row in liability_rows(period):
        if row["key"] in MONEY_KINDS:
            for column in ("opening", "redeemed", "expired", "closing"):
                money[row["month"]][column] += row[column]
    rows = []
    for month in months_in(period):
        label, taken, deferred = month_label(month), cash[month], money[month_label(month)]
        row = {
            "month": label,
            "cash_taken": taken["cash_taken"],
            "tax": taken["tax"],
            "refunds_paid": taken["refunds_paid"],
            "recognised_redemptions": deferred["redeemed"],
            "recognised_breakage": deferred["expired"],
            "recognised_memberships": taken["recognised_memberships"],
            "deferred_opening": deferred["opening"],
            "deferred_closing": deferred["closing"],
        }
        row["recognised_total"] = sum(row[f"recognised_{what}"] for what in ("redemptions", "breakage", "memberships"))
        rows.append(row)
    return rows
