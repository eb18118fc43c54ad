"""``manage.py shop_report NAME --month YYYY-MM --format csv|table``: a report's rows, as under Reports.

The same reads as the admin's reports (``packages.reports``), the same column names as
their CSV exports, amounts in minor units (cents) and sessions as counts.
"""

from __future__ import annotations

import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from packages.reports import REPORT_ROWS, Period, parse_month


class Command(BaseCommand):
    help = "Print a shop report (liability, revenue, memberships, sales, frontdesk) for one month, as CSV or a table."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(REPORT_ROWS))
        parser.add_argument("--month", help="YYYY-MM (default: this month)")
        parser.add_argument("--format", choices=["csv", "table"], default="table")

    def handle(self, *args, name, month=None, format="table", **options):
        try:
            first = parse_month(month) if month else timezone.localdate().replace(day=1)
        except ValueError as error:
            raise CommandError(str(error)) from error
        columns, read_rows = REPORT_ROWS[name]
        rows = [[_text(row[column]) for column in columns] for row in read_rows(Period.month(first))]
        if format == "csv":
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(rows)
            return
        widths = [max([len(column), *(len(row[i]) for row in rows)]) for i, column in enumerate(columns)]
        self.stdout.write("  ".join(column.ljust(width) for column, width in zip(columns, widths, strict=True)))
        for row in rows:
            self.stdout.write("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
        if not rows:
            self.stdout.write(f"(nothing in {first:%Y-%m})")


def _text(value) -> str:
    return "" if value is None else str(value)
