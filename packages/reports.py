"""Manager reports: sales, what the studio still owes (gift cards, sessions), webhook health.

Reads only; each figure is one aggregate query, whatever the number of orders.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Q, Sum
from django.db.models.functions import TruncMonth
from django.template.response import TemplateResponse
from django.utils import timezone

from home.money import format_money

from .models import CreditGrant, GiftCard, Membership, Order, StripeEvent


def sales_by_month(*, months: int = 12) -> list[dict]:
    since = timezone.now() - timedelta(days=31 * months)
    rows = (
        Order.objects.filter(fulfilled_at__gte=since)
        .annotate(month=TruncMonth("fulfilled_at"))
        .values("month", "kind", "currency")
        .annotate(orders=Count("pk"), gross=Sum("amount_total_minor"), refunded=Sum("amount_refunded_minor"))
        .order_by("-month", "kind")
    )
    return [
        {
            **row,
            "gross_display": format_money(row["gross"], row["currency"]),
            "refunded_display": format_money(row["refunded"], row["currency"]),
            "net_display": format_money(row["gross"] - row["refunded"], row["currency"]),
        }
        for row in rows
    ]


def liabilities() -> dict:
    """What customers have paid for and not yet used."""
    now = timezone.now()
    cards = GiftCard.objects.filter(status=GiftCard.Status.ACTIVE, kind=GiftCard.Kind.AMOUNT).aggregate(
        total=Sum("balance_minor", default=0), count=Count("pk", filter=Q(balance_minor__gt=0))
    )
    scheduled = GiftCard.objects.filter(status=GiftCard.Status.SCHEDULED, kind=GiftCard.Kind.AMOUNT).aggregate(
        total=Sum("balance_minor", default=0), count=Count("pk")
    )
    live = Q(expires_at__gt=now) | Q(expires_at__isnull=True)
    # A series session is worth what was paid for it: order total / sessions granted.
    sessions = (
        CreditGrant.objects.filter(live, balance__gt=0, order__isnull=False)
        .exclude(source=CreditGrant.Source.MEMBERSHIP)
        .aggregate(
            sessions=Sum("balance", default=0),
            value=Sum(F("balance") * F("order__amount_total_minor") / F("sessions_granted"), default=0),
        )
    )
    membership_sessions = CreditGrant.objects.filter(live, source=CreditGrant.Source.MEMBERSHIP).aggregate(
        sessions=Sum("balance", default=0)
    )
    return {
        "gift_cards": format_money(cards["total"]),
        "gift_card_count": cards["count"],
        "scheduled_gift_cards": format_money(scheduled["total"]),
        "scheduled_count": scheduled["count"],
        "series_sessions": sessions["sessions"],
        "series_value": format_money(int(sessions["value"] or 0)),
        "membership_sessions": membership_sessions["sessions"],
        "active_memberships": Membership.objects.filter(status=Membership.Status.ACTIVE).count(),
        "past_due_memberships": Membership.objects.filter(status=Membership.Status.PAST_DUE).count(),
    }


def webhook_health() -> dict:
    day_ago = timezone.now() - timedelta(hours=24)
    stats = StripeEvent.objects.aggregate(
        last=Max("received_at"),
        day=Count("pk", filter=Q(received_at__gte=day_ago)),
        failing=Count("pk", filter=Q(processed_at__isnull=True)),
    )
    failing = list(
        StripeEvent.objects.filter(processed_at__isnull=True).only(
            "event_id", "type", "attempts", "error", "received_at"
        )[:20]
    )
    return {**stats, "failing_events": failing}


def reports(request):
    if not request.user.has_perm("packages.view_order"):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "packages/admin/reports.html",
        {
            "page_title": "Shop reports",
            "header_icon": "table",
            "sales": sales_by_month(),
            "owed": liabilities(),
            "webhooks": webhook_health(),
        },
    )
