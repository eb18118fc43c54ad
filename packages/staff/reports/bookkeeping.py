"""The bookkeeper's reports: liability, revenue, memberships, sales, front desk (reads in ``packages.reports``)."""

from __future__ import annotations

from ... import reports
from ...reports import liability, revenue
from ...reports import memberships as membership_reads
from ...reports import sales as sales_reads
from ...reports.frontdesk import MONEY_COLUMNS as DESK_MONEY
from .base import PeriodReport


class LiabilityReportView(PeriodReport):
    page_title = "Liability: what is owed to customers"
    index_url_name = "shop_reports:liability"
    index_results_url_name = "shop_reports:liability_results"
    export_filename = "liability"
    default_months = 12
    monthly = True
    read_rows = staticmethod(reports.liability_rows)
    list_export = reports.LIABILITY_COLUMNS
    money_columns = tuple(liability.LIABILITY_COLUMNS[3:])
    labels = {
        "month": "Month",
        "kind": "What",
        "unit": "Counted in",
        "opening": "Opening",
        "sold": "Sold",
        "redeemed": "Redeemed",
        "refunded": "Refunded",
        "expired": "Expired",
        "voided": "Voided",
        "adjusted": "Adjusted (±)",
        "closing": "Closing",
    }


class RevenueReportView(PeriodReport):
    page_title = "Revenue: cash taken and revenue recognised"
    index_url_name = "shop_reports:revenue"
    index_results_url_name = "shop_reports:revenue_results"
    export_filename = "revenue"
    default_months = 12
    monthly = True
    read_rows = staticmethod(reports.revenue_rows)
    list_export = reports.REVENUE_COLUMNS
    money_columns = tuple(revenue.MONEY_COLUMNS)
    labels = {
        "month": "Month",
        "cash_taken": "Cash taken",
        "tax": "of which tax",
        "refunds_paid": "Refunds paid",
        "recognised_redemptions": "Recognised: used",
        "recognised_breakage": "Recognised: expired (breakage)",
        "recognised_memberships": "Recognised: membership months",
        "recognised_total": "Recognised in all",
        "deferred_opening": "Deferred at start",
        "deferred_closing": "Deferred at end",
    }


class MembershipReportView(PeriodReport):
    page_title = "Memberships by plan"
    index_url_name = "shop_reports:memberships"
    index_results_url_name = "shop_reports:memberships_results"
    export_filename = "memberships"
    read_rows = staticmethod(reports.membership_rows)
    list_export = reports.MEMBERSHIP_COLUMNS
    money_columns = tuple(membership_reads.MONEY_COLUMNS)
    labels = {
        "plan": "Plan",
        "active": "Active",
        "new": "New",
        "cancelled": "Cancelled",
        "past_due": "Past due",
        "paused": "Paused",
        "mrr": "Monthly recurring revenue",
        "churn_rate": "Churn (%)",
    }


class SalesReportView(PeriodReport):
    page_title = "Sales by offer and channel"
    index_url_name = "shop_reports:sales"
    index_results_url_name = "shop_reports:sales_results"
    export_filename = "sales"
    read_rows = staticmethod(reports.sales_rows)
    list_export = reports.SALES_COLUMNS
    money_columns = tuple(sales_reads.MONEY_COLUMNS)
    labels = {
        "offer": "Offer",
        "kind": "What",
        "channel": "Channel",
        "orders": "Orders",
        "subtotal": "Price",
        "discounts": "Discounts",
        "tax": "Tax",
        "total": "Charged",
        "refunded": "Refunded",
        "net": "Net",
    }


class FrontDeskReportView(PeriodReport):
    page_title = "Front desk: redemptions and adjustments by staff"
    index_url_name = "shop_reports:frontdesk"
    index_results_url_name = "shop_reports:frontdesk_results"
    export_filename = "front-desk"
    read_rows = staticmethod(reports.frontdesk_rows)
    list_export = reports.FRONTDESK_COLUMNS
    money_columns = tuple(DESK_MONEY)
    labels = {
        "day": "Day",
        "staff": "Staff",
        "sessions_redeemed": "Sessions redeemed",
        "gift_money_redeemed": "Gift-card money redeemed",
        "session_adjustments": "Session adjustments",
        "sessions_adjusted": "Sessions added (±)",
        "gift_card_adjustments": "Gift-card adjustments",
        "gift_money_adjusted": "Gift-card money added (±)",
    }
