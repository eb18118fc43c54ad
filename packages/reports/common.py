"""Periods and months as the reports count them: local dates, whole days, months from their first day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from home.money import format_money


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def parse_month(text: str) -> date:
    """``"2026-03"`` -> ``date(2026, 3, 1)``; a ValueError for anything else."""
    year, _, month = text.strip().partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit()):
        raise ValueError(f"Give the month as YYYY-MM, not {text!r}.")
    return date(int(year), int(month), 1)


def month_label(month: date) -> str:
    return f"{month:%Y-%m}"


def local_start(day: date) -> datetime:
    """The first instant of a local day, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class Period:
    """Whole local days from ``start`` to ``end``, both included."""

    start: date
    end: date

    @classmethod
    def month(cls, month: date) -> Period:
        return cls(first_of_month(month), next_month(month) - timedelta(days=1))

    @classmethod
    def months_back(cls, count: int, *, today: date | None = None) -> Period:
        """The last ``count`` months, this one included."""
        month = first_of_month(today or timezone.localdate())
        first = month
        for _ in range(count - 1):
            first = first_of_month(first - timedelta(days=1))
        return cls(first, cls.month(month).end)

    @property
    def since(self) -> datetime:
        return local_start(self.start)

    @property
    def until(self) -> datetime:
        """The first instant after the period (an exclusive bound)."""
        return local_start(self.end + timedelta(days=1))

    def whole_months(self) -> Period:
        """From the first day of the start's month to the last day of the end's month."""
        return Period(first_of_month(self.start), Period.month(self.end).end)

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"


def months_in(period: Period) -> list[date]:
    """The first day of each month the period touches."""
    months, month = [], first_of_month(period.start)
    while month <= period.end:
        months.append(month)
        month = next_month(month)
    return months


def local_month(moment: datetime) -> date:
    return first_of_month(timezone.localtime(moment).date())


# What Stripe charged for an order, with the shop's own price for orders kept before
# Stripe's amounts were stored (the four stripe_amount_* fields are null on those).
def charged(prefix: str = ""):
    return Coalesce(F(f"{prefix}stripe_amount_total"), F(f"{prefix}amount_total_minor"), output_field=IntegerField())


def our_discount(prefix: str = ""):
    """The discount we took off before Stripe (a promotion code with a gift card: ``Order.discount_before_stripe``);
    0 when Stripe applied the code, whose discount is then Stripe's own (never counted twice)."""
    return Case(
        When(
            Q(**{f"{prefix}promotion_code__isnull": False, f"{prefix}card_amount_minor__gt": 0}),
            then=F(f"{prefix}discount_minor"),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def subtotal(prefix: str = ""):
    """Stripe's subtotal, plus our own discount that was already off it (so subtotal − discounts + tax = total)."""
    stripe = Coalesce(
        F(f"{prefix}stripe_amount_subtotal"), F(f"{prefix}amount_total_minor"), output_field=IntegerField()
    )
    return stripe + our_discount(prefix)


def discount(prefix: str = ""):
    """Every discount once: Stripe's (``Order.discount_total_minor`` in SQL) and ours."""
    return Coalesce(F(f"{prefix}stripe_amount_discount"), Value(0), output_field=IntegerField()) + our_discount(prefix)


def tax(prefix: str = ""):
    return Coalesce(F(f"{prefix}stripe_amount_tax"), Value(0), output_field=IntegerField())


def net_paid(stripe_total: int | None, stripe_tax: int | None, amount_total: int) -> int:
    """What the customer paid for the goods: Stripe's total less its tax, else the order's price."""
    if stripe_total is None:
        return amount_total
    return stripe_total - (stripe_tax or 0)


def signed_money(amount_minor: int, currency: str) -> str:
    """Money with its sign in front: -1200 -> "-$12" (format_money alone would write "$-12")."""
    text = format_money(abs(amount_minor), currency)
    return f"-{text}" if amount_minor < 0 else text
