"""Manager reports under Wagtail's Reports menu, each a ``ReportView`` with CSV and XLSX export.

The bookkeeper's reports (``bookkeeping``) read a date range through ``packages.reports``,
the same rows ``manage.py shop_report`` prints; the snapshots (``snapshots``) show now.
``REPORTS`` is what ``packages/wagtail_hooks.py`` registers, in menu order.
"""

from .base import ManagerReport, PeriodReport
from .bookkeeping import (
    FrontDeskReportView,
    LiabilityReportView,
    MembershipReportView,
    RevenueReportView,
    SalesReportView,
)
from .snapshots import OwedReportView, ReviewReportView, WebhookHealthReportView, owed_rows

REPORTS = [
    ("reviews", "Payments needing review", ReviewReportView),
    ("liability", "Liability", LiabilityReportView),
    ("revenue", "Revenue", RevenueReportView),
    ("memberships", "Memberships", MembershipReportView),
    ("sales", "Sales by offer", SalesReportView),
    ("frontdesk", "Front desk activity", FrontDeskReportView),
    ("owed", "Still owed to customers", OwedReportView),
    ("webhooks", "Failing Stripe webhooks", WebhookHealthReportView),
]

__all__ = [
    "REPORTS",
    "FrontDeskReportView",
    "LiabilityReportView",
    "ManagerReport",
    "MembershipReportView",
    "OwedReportView",
    "PeriodReport",
    "RevenueReportView",
    "ReviewReportView",
    "SalesReportView",
    "WebhookHealthReportView",
    "owed_rows",
]
