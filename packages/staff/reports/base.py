"""What every shop report shares: Managers only, and a date range that rows are read for."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.utils.functional import cached_property
from django_filters import DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from ...models import Order
from ...reports import Period
from ...reports.common import signed_money


class ManagerReport(ReportView):
    """Reports are for whoever may view orders (the Managers group)."""

    permission_policy = ModelPermissionPolicy(Order)
    permission_required = "view"


class PeriodFilterSet(WagtailFilterSet):
    """Only a date range: the report reads its rows for it (nothing is filtered afterwards)."""

    period = DateFromToRangeFilter(label="Between", widget=DateRangePickerWidget, method="keep")

    class Meta:
        model = Order
        fields = []

    def keep(self, queryset, name, value):
        return queryset


def as_date(value: date | datetime | None) -> date | None:
    """The range filter hands back the bounds as datetimes (midnight, and the day's last instant)."""
    return value.date() if isinstance(value, datetime) else value


def money_display(value, row: dict, column: str, money_columns) -> str:
    if value is None:
        return ""
    if column in money_columns and row.get("money", True):
        return signed_money(value, settings.SHOP_CURRENCY)
    return f"{value:,}" if isinstance(value, int) else str(value)


class PeriodReport(ManagerReport):
    """A report of plain rows (dicts) read for a date range, shown with money formatted.

    The export (``list_export``) carries the raw numbers in minor units under the same
    column names as ``manage.py shop_report``; the screen shows them formatted.
    """

    header_icon = "table"
    filterset_class = PeriodFilterSet
    default_months = 1  # no range chosen: this month (or the last N months)
    monthly = False  # rows per month: the range widens to whole months
    read_rows = staticmethod(lambda period: [])  # the rows for a Period
    money_columns: tuple[str, ...] = ()
    labels: dict[str, str] = {}

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "queryset": Order.objects.none()}

    @cached_property
    def period(self) -> Period:
        default = Period.months_back(self.default_months)
        chosen = None
        if self.filters is not None and self.filters.is_valid():
            chosen = self.filters.form.cleaned_data.get("period")
        start = as_date(chosen.start if chosen else None) or default.start
        end = as_date(chosen.stop if chosen else None) or max(default.end, start)
        period = Period(min(start, end), max(start, end))
        return period.whole_months() if self.monthly else period

    @cached_property
    def columns(self):
        return [Column(f"{name}_display", label=self.labels.get(name, name)) for name in self.list_export]

    @property
    def export_headings(self):
        return {name: name for name in self.list_export}

    def get_filename(self):
        return f"{self.export_filename}-{self.period.start:%Y-%m-%d}-to-{self.period.end:%Y-%m-%d}"

    def get_queryset(self):
        return self.read_rows(self.period)

    def get_filtered_queryset(self):
        rows = self.get_queryset()
        for row in rows:
            for name in self.list_export:
                row[f"{name}_display"] = money_display(row[name], row, name, self.money_columns)
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_subtitle"] = str(self.period)
        return context
