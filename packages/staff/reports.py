"""Manager reports under Wagtail's Reports menu, each a ``ReportView`` (filters, CSV and XLSX export).

* Sales by month and kind, with a date range;
* What the studio still owes customers: gift-card money and unused sessions;
* Stripe webhooks that failed and wait for Stripe's retry.

Reads only; each report is one or a few aggregate queries, whatever the number of orders.
"""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django_filters import DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from home.money import format_money

from ..models import CreditGrant, GiftCard, Membership, Order, StripeEvent, not_expired


class ManagerReport(ReportView):
    """Reports are for whoever may view orders (the Managers group)."""

    permission_policy = ModelPermissionPolicy(Order)
    permission_required = "view"


class SalesFilterSet(WagtailFilterSet):
    fulfilled_at = DateFromToRangeFilter(label="Paid between", widget=DateRangePickerWidget)

    class Meta:
        model = Order
        fields = []


def sales_rows(queryset=None) -> list[dict]:
    """Paid orders per month and kind: count, gross, refunded and net, in minor units and for display."""
    queryset = Order.objects.filter(fulfilled_at__isnull=False) if queryset is None else queryset
    rows = (
        queryset.annotate(month=TruncMonth("fulfilled_at"))
        .values("month", "kind", "currency")
        .annotate(orders=Count("pk"), gross=Sum("amount_total_minor"), refunded=Sum("amount_refunded_minor"))
        .order_by("-month", "kind")
    )
    kinds = dict(Order.Kind.choices)
    return [
        {
            **row,
            "what": kinds.get(row["kind"], row["kind"]),
            "month_display": f"{row['month']:%B %Y}",
            "net": row["gross"] - row["refunded"],
            "gross_display": format_money(row["gross"], row["currency"]),
            "refunded_display": format_money(row["refunded"], row["currency"]),
            "net_display": format_money(row["gross"] - row["refunded"], row["currency"]),
        }
        for row in rows
    ]


class SalesReportView(ManagerReport):
    page_title = "Shop sales"
    header_icon = "table"
    index_url_name = "shop_reports:sales"
    index_results_url_name = "shop_reports:sales_results"
    filterset_class = SalesFilterSet
    columns = [
        Column("month_display", label="Month"),
        Column("what", label="What"),
        NumberColumn("orders", label="Orders"),
        Column("gross_display", label="Gross"),
        Column("refunded_display", label="Refunded"),
        Column("net_display", label="Net"),
    ]
    list_export = ["month", "what", "currency", "orders", "gross", "refunded", "net"]
    export_headings = {
        "month": "Month",
        "what": "What",
        "currency": "Currency",
        "orders": "Orders",
        "gross": "Gross (cents)",
        "refunded": "Refunded (cents)",
        "net": "Net (cents)",
    }

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": self.get_base_queryset()}

    def get_base_queryset(self):
        return Order.objects.filter(fulfilled_at__isnull=False)

    def get_queryset(self):
        return self.get_base_queryset()

    def get_filtered_queryset(self):
        return sales_rows(self.filter_queryset(self.get_queryset()))


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


REPORTS = [
    ("sales", "Shop sales", SalesReportView),
    ("owed", "Still owed to customers", OwedReportView),
    ("webhooks", "Failing Stripe webhooks", WebhookHealthReportView),
]
