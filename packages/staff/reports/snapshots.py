"""Snapshots under Reports: what is owed right now, failing Stripe webhooks, payments needing review."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn

from home.money import format_money

from ...models import CreditGrant, GiftCard, Membership, Review, StripeEvent, not_expired
from .base import ManagerReport


def owed_rows() -> list[dict]:
    """What customers have paid for and not yet used, one row per kind."""
    usable = not_expired()
    cards = GiftCard.objects.filter(kind=GiftCard.Kind.AMOUNT).aggregate(
        delivered=Sum("balance_minor", default=0, filter=Q(status=GiftCard.Status.ACTIVE)),
        delivered_count=Count("pk", filter=Q(status=GiftCard.Status.ACTIVE, balance_minor__gt=0)),
        scheduled=Sum("balance_minor", default=0, filter=Q(status=GiftCard.Status.SCHEDULED)),
        scheduled_count=Count("pk", filter=Q(status=GiftCard.Status.SCHEDULED)),
    )
    # A series session is worth what was paid for it: order total / sessions granted.
    series = (
        CreditGrant.objects.filter(usable, balance__gt=0, order__isnull=False)
        .exclude(source=CreditGrant.Source.MEMBERSHIP)
        .aggregate(
            sessions=Sum("balance", default=0),
            value=Sum(F("balance") * F("order__amount_total_minor") / F("sessions_granted"), default=0),
        )
    )
    month = CreditGrant.objects.filter(usable, source=CreditGrant.Source.MEMBERSHIP).aggregate(
        sessions=Sum("balance", default=0)
    )
    memberships = Membership.objects.aggregate(
        active=Count("pk", filter=Q(status=Membership.Status.ACTIVE)),
        past_due=Count("pk", filter=Q(status=Membership.Status.PAST_DUE)),
    )
    return [
        {
            "what": "Gift cards delivered",
            "count": cards["delivered_count"],
            "amount_minor": cards["delivered"],
            "amount": format_money(cards["delivered"]),
            "note": "money left on delivered cards",
        },
        {
            "what": "Gift cards awaiting delivery",
            "count": cards["scheduled_count"],
            "amount_minor": cards["scheduled"],
            "amount": format_money(cards["scheduled"]),
            "note": "bought, to be emailed on their date",
        },
        {
            "what": "Series sessions",
            "count": series["sessions"],
            "amount_minor": int(series["value"] or 0),
            "amount": format_money(int(series["value"] or 0)),
            "note": "unused sessions, at the price paid per session",
        },
        {
            "what": "Membership sessions",
            "count": month["sessions"],
            "amount_minor": None,
            "amount": "",
            "note": (
                f"this month's, on {memberships['active']} active and {memberships['past_due']} past-due memberships"
            ),
        },
    ]


class OwedReportView(ManagerReport):
    page_title = "Still owed to customers"
    header_icon = "table"
    index_url_name = "shop_reports:owed"
    index_results_url_name = "shop_reports:owed_results"
    columns = [
        Column("what", label="What"),
        NumberColumn("count", label="How many"),
        Column("amount", label="Value"),
        Column("note", label=""),
    ]
    list_export = ["what", "count", "amount_minor", "note"]
    export_headings = {"what": "What", "count": "How many", "amount_minor": "Value (cents)", "note": "Note"}

    def get_queryset(self):
        return owed_rows()

    def get_filtered_queryset(self):
        return self.get_queryset()


class WebhookHealthReportView(ManagerReport):
    page_title = "Failing Stripe webhooks"
    header_icon = "warning"
    index_url_name = "shop_reports:webhooks"
    index_results_url_name = "shop_reports:webhooks_results"
    columns = [
        TitleColumn("type", label="Event", url_name="stripe_events:inspect"),
        NumberColumn("attempts", label="Attempts"),
        DateColumn("received_at", label="First received"),
        Column("short_error", label="Error"),
    ]
    list_export = ["event_id", "type", "attempts", "received_at", "error"]

    def get_queryset(self):
        return (
            StripeEvent.objects.filter(processed_at__isnull=True)
            .only("event_id", "type", "attempts", "error", "received_at")
            .order_by("-received_at")
        )


class ReviewReportView(ManagerReport):
    page_title = "Payments needing review"
    header_icon = "warning"
    index_url_name = "shop_reports:reviews"
    index_results_url_name = "shop_reports:reviews_results"
    columns = [
        Column("get_reason_display", label="What"),
        Column("message", label="Details"),
        Column("order", label="Order"),
        DateColumn("created_at", label="When"),
    ]
    list_export = ["created_at", "reason", "stripe_id", "order", "message"]

    def get_queryset(self):
        return Review.objects.filter(resolved_at__isnull=True).select_related("order").order_by("-created_at")
