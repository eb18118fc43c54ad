"""What each staff member did at the desk, per day: redemptions and adjustments, from the ledgers' ``actor``."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.utils import timezone

from ..models import CreditEntry, GiftCardEntry, LedgerKind
from .common import Period

FRONTDESK_COLUMNS = [
    "day",
    "staff",
    "sessions_redeemed",
    "gift_money_redeemed",
    "session_adjustments",
    "sessions_adjusted",
    "gift_card_adjustments",
    "gift_money_adjusted",
]
MONEY_COLUMNS = ["gift_money_redeemed", "gift_money_adjusted"]
DESK_KINDS = (LedgerKind.REDEEM, LedgerKind.ADJUST)


def staff_name(user) -> str:
    return user.get_full_name() or user.get_username()


def frontdesk_rows(period: Period) -> list[dict]:
    """One row per day and staff member who redeemed or adjusted something, newest day first."""
    days: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    window = {"created_at__gte": period.since, "created_at__lt": period.until, "kind__in": DESK_KINDS}
    for model, delta, what in ((CreditEntry, "delta", "session"), (GiftCardEntry, "delta_minor", "gift")):
        entries = model.objects.filter(actor__isnull=False, **window)
        entries = entries.values_list("created_at", "actor_id", "kind", delta)
        for created_at, actor_id, kind, amount in entries.iterator():
            counts = days[timezone.localtime(created_at).date(), actor_id]
            if kind == LedgerKind.REDEEM:
                counts[f"{what}_redeemed"] -= amount
            else:
                counts[f"{what}_adjustments"] += 1
                counts[f"{what}_adjusted"] += amount
    users = get_user_model().objects.in_bulk({actor_id for _, actor_id in days})
    rows = []
    for (day, actor_id), counts in days.items():
        rows.append(
            {
                "day": day,
                "staff": staff_name(users[actor_id]),
                "sessions_redeemed": counts["session_redeemed"],
                "gift_money_redeemed": counts["gift_redeemed"],
                "session_adjustments": counts["session_adjustments"],
                "sessions_adjusted": counts["session_adjusted"],
                "gift_card_adjustments": counts["gift_adjustments"],
                "gift_money_adjusted": counts["gift_adjusted"],
                "money": True,
            }
        )
    rows.sort(key=lambda row: (-row["day"].toordinal(), row["staff"]))
    return rows
