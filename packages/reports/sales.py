"""Paid orders by offer and channel over a period, with discounts and tax as charged.

Discounts are Stripe's and ours (a promotion code with a gift card comes off before Stripe),
each counted once; the subtotal is before both, so subtotal − discounts + tax = total, what
Stripe charged. A gift card's part of an order is not in these columns (it was paid for when
the card was sold).

An offer is named as it was sold (the order line's snapshot). Every order today is
bought online; the channel column is there for front-desk sales when they come.
Orders kept before Stripe's amounts were stored count at their price, with no
discount and no tax. A membership counts its first month (the order); renewals are
in the revenue report.
"""

from __future__ import annotations

from django.db.models import Count, Sum

from ..models import Order
from .common import Period, charged, discount, subtotal, tax

SALES_COLUMNS = ["offer", "kind", "channel", "orders", "subtotal", "discounts", "tax", "total", "refunded", "net"]
MONEY_COLUMNS = SALES_COLUMNS[4:]
ONLINE = "Online"


def sales_rows(period: Period) -> list[dict]:
    kinds = dict(Order.Kind.choices)
    rows = (
        Order.objects.filter(fulfilled_at__gte=period.since, fulfilled_at__lt=period.until)
        .values("lines__name", "kind")
        .annotate(
            orders=Count("pk", distinct=True),
            subtotal=Sum(subtotal()),
            discounts=Sum(discount()),
            tax=Sum(tax()),
            total=Sum(charged()),
            refunded=Sum("amount_refunded_minor"),
        )
        .order_by("kind", "lines__name")
    )
    return [
        {
            "offer": row["lines__name"] or "(no line)",
            "kind": kinds.get(row["kind"], row["kind"]),
            "channel": ONLINE,
            "orders": row["orders"],
            "subtotal": row["subtotal"],
            "discounts": row["discounts"],
            "tax": row["tax"],
            "total": row["total"],
            "refunded": row["refunded"],
            "net": row["total"] - row["refunded"],
            "money": True,
        }
        for row in rows
    ]
