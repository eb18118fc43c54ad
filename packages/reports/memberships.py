"""Memberships per plan: active, new, cancelled, past due, paused, MRR and churn over a period.

The shop keeps a membership's current status, not its history, so:

* active: joined before the period ended and not cancelled by then (past due included);
* new: joined in the period; cancelled: cancelled in the period (dated by the
  membership's last change, which for a cancelled one is its cancellation);
* past due: past due or unpaid now; paused: always 0 (there is no pause yet);
* MRR: the monthly price (less tax) of the active memberships that are not past due;
* churn rate: cancelled in the period / active at its start, in percent.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from ..models import Membership
from .common import Period, net_paid

MEMBERSHIP_COLUMNS = ["plan", "active", "new", "cancelled", "past_due", "paused", "mrr", "churn_rate"]
MONEY_COLUMNS = ["mrr"]
OVERDUE = (Membership.Status.PAST_DUE, Membership.Status.UNPAID)


def _subscribed(status: str, created_at, updated_at, at) -> bool:
    if status == Membership.Status.INCOMPLETE or created_at >= at:
        return False
    return not (status == Membership.Status.CANCELED and updated_at < at)


def churn_rate(cancelled: int, at_start: int) -> Decimal | None:
    if not at_start:
        return None
    return (Decimal(100 * cancelled) / at_start).quantize(Decimal("0.1"))


def membership_rows(period: Period) -> list[dict]:
    """One row per plan (by title), then "All plans"."""
    since, until = period.since, period.until
    plans: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    memberships = Membership.objects.values_list(
        "plan__title",
        "status",
        "created_at",
        "updated_at",
        "order__stripe_amount_total",
        "order__stripe_amount_tax",
        "order__amount_total_minor",
    )
    for title, status, created_at, updated_at, total, month_tax, price in memberships.iterator():
        counts = plans[title or "(plan deleted)"]
        counts["_seen"] += 1
        active = _subscribed(status, created_at, updated_at, until)
        counts["active"] += active
        counts["_at_start"] += _subscribed(status, created_at, updated_at, since)
        counts["new"] += status != Membership.Status.INCOMPLETE and since <= created_at < until
        counts["cancelled"] += status == Membership.Status.CANCELED and since <= updated_at < until
        counts["past_due"] += status in OVERDUE and created_at < until
        if active and status not in OVERDUE:
            counts["mrr"] += net_paid(total, month_tax, price)
    total = defaultdict(int)
    rows = []
    for title in sorted(plans):
        counts = plans[title]
        for key, value in counts.items():
            total[key] += value
        rows.append(_row(title, counts))
    rows.append(_row("All plans", total))
    return rows


def _row(title: str, counts) -> dict:
    return {
        "plan": title,
        "active": counts["active"],
        "new": counts["new"],
        "cancelled": counts["cancelled"],
        "past_due": counts["past_due"],
        "paused": 0,
        "mrr": counts["mrr"],
        "churn_rate": churn_rate(counts["cancelled"], counts["_at_start"]),
        "money": True,
    }
