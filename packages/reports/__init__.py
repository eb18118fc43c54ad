"""The shop's bookkeeping reads: every number the reports, the dashboard and ``shop_report`` show.

A read layer beside ``packages.selectors``: it imports only ``packages.models`` (and
``home.money``), never the services, and writes nothing. One module per report;
each returns plain rows (dicts keyed by the export column names) for a period, so
the admin's ``ReportView``s, their CSV/XLSX exports and the management command
show the same numbers.
"""

from .common import Period, month_label, months_in, parse_month
from .dashboard import today_numbers
from .frontdesk import FRONTDESK_COLUMNS, frontdesk_rows
from .liability import LIABILITY_COLUMNS, LIABILITY_KINDS, liability_rows
from .memberships import MEMBERSHIP_COLUMNS, membership_rows
from .revenue import REVENUE_COLUMNS, revenue_rows
from .sales import SALES_COLUMNS, sales_rows

#: name -> (columns, rows function of a Period): what ``shop_report NAME`` prints.
REPORT_ROWS = {
    "liability": (LIABILITY_COLUMNS, liability_rows),
    "revenue": (REVENUE_COLUMNS, revenue_rows),
    "memberships": (MEMBERSHIP_COLUMNS, membership_rows),
    "sales": (SALES_COLUMNS, sales_rows),
    "frontdesk": (FRONTDESK_COLUMNS, frontdesk_rows),
}

__all__ = [
    "FRONTDESK_COLUMNS",
    "LIABILITY_COLUMNS",
    "LIABILITY_KINDS",
    "MEMBERSHIP_COLUMNS",
    "REPORT_ROWS",
    "REVENUE_COLUMNS",
    "SALES_COLUMNS",
    "Period",
    "frontdesk_rows",
    "liability_rows",
    "membership_rows",
    "month_label",
    "months_in",
    "parse_month",
    "revenue_rows",
    "sales_rows",
    "today_numbers",
]
