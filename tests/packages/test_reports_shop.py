"""Sales, memberships and front desk reports against hand-computed histories, and ``manage.py shop_report``."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from packages import services
from packages.models import Membership, Order
from packages.reports import Period, frontdesk_rows, liability_rows, membership_rows, sales_rows
from packages.reports.memberships import churn_rate

from .conftest import known_code, make_order
from .reports_history import Dated, at, buy_gift_card, buy_series, month_start, refund

pytestmark = pytest.mark.django_db


def this_month() -> Period:
    return Period.months_back(1)


def test_sales_by_offer_with_discounts_tax_and_the_old_orders_fallback(shop):
    buy_series(shop, amount_total=40000, total_details={"amount_discount": 4500, "amount_tax": 2000})
    old_order, _ = buy_series(shop)
    Order.objects.filter(pk=old_order.pk).update(
        stripe_amount_subtotal=None, stripe_amount_discount=None, stripe_amount_tax=None, stripe_amount_total=None
    )
    card_order, _ = buy_gift_card(shop, 5000)
    refund(card_order, 1000, "re_card")
    rows = {row["offer"]: row for row in sales_rows(this_month())}
    series = rows["5 deep tissue sessions"]
    assert (series["kind"], series["channel"], series["orders"]) == ("Session series", "Online", 2)
    # 42500 + 42500 priced, 4500 off one, 2000 tax on it; the old order counts at its price.
    assert (series["subtotal"], series["discounts"], series["tax"], series["total"]) == (85000, 4500, 2000, 82500)
    card = rows[card_order.lines.get().name]
    assert (card["kind"], card["total"], card["refunded"], card["net"]) == ("Gift card", 5000, 1000, 4000)


def test_sales_outside_the_period_are_not_counted(shop):
    with Dated(at(1, 3)):
        buy_series(shop)
    assert sales_rows(this_month()) == []
    assert sales_rows(Period.months_back(2))[0]["orders"] == 1


def membership(plan_order, status, created, updated, sub):
    row = Membership.objects.create(
        customer=plan_order.customer,
        plan=plan_order.lines.get().plan,
        order=plan_order,
        stripe_subscription_id=sub,
        status=status,
    )
    Membership.objects.filter(pk=row.pk).update(created_at=created, updated_at=updated)


def test_membership_counts_mrr_and_churn_per_plan(shop):
    before, during = month_start(1) - timedelta(days=3), month_start(0) + timedelta(hours=1)
    orders = [make_order(shop.plan, email=f"m{i}@example.com") for i in range(5)]
    membership(orders[0], Membership.Status.ACTIVE, before, before, "sub_a")  # active all along
    membership(orders[1], Membership.Status.CANCELED, before, during, "sub_b")  # cancelled this month
    membership(orders[2], Membership.Status.PAST_DUE, before, during, "sub_c")  # past due now
    membership(orders[3], Membership.Status.ACTIVE, during, during, "sub_d")  # new this month
    membership(orders[4], Membership.Status.INCOMPLETE, during, during, "sub_e")  # never started
    rows = {row["plan"]: row for row in membership_rows(this_month())}
    plan = rows["Monthly prevention"]
    price = orders[0].amount_total_minor
    assert (plan["active"], plan["new"], plan["cancelled"], plan["past_due"], plan["paused"]) == (3, 1, 1, 1, 0)
    assert plan["mrr"] == 2 * price  # active and paying: a and d
    assert plan["churn_rate"] == churn_rate(1, 3) == Decimal("33.3")
    assert rows["All plans"]["active"] == 3


def test_front_desk_counts_each_staff_members_day(shop, django_user_model):
    ana = django_user_model.objects.create_user("ana", first_name="Ana", last_name="Front")
    bo = django_user_model.objects.create_user("bo")
    _, grant = buy_series(shop)
    _, card = buy_gift_card(shop, 10000)
    services.credit_redeem(customer=grant.customer, actor=ana, grant_id=grant.pk)
    services.credit_redeem(customer=grant.customer, actor=ana, grant_id=grant.pk)
    services.gift_card_redeem(card_id=card.pk, amount_minor=1500, actor=bo, code=known_code(card))
    services.gift_card_adjust(card_id=card.pk, delta_minor=-200, actor=bo, reason="Typo")
    services.credit_adjust(grant_id=grant.pk, delta=1, actor=bo, reason="Cut short")
    rows = {row["staff"]: row for row in frontdesk_rows(this_month())}
    assert rows["Ana Front"]["sessions_redeemed"] == 2 and rows["Ana Front"]["session_adjustments"] == 0
    assert (rows["bo"]["gift_money_redeemed"], rows["bo"]["gift_card_adjustments"]) == (1500, 1)
    assert (rows["bo"]["gift_money_adjusted"], rows["bo"]["sessions_adjusted"]) == (-200, 1)
    assert {row["day"] for row in rows.values()} == {timezone.localdate()}


def test_shop_report_prints_the_same_rows_as_csv(shop):
    with Dated(at(1, 5)):
        buy_series(shop)
    month = f"{at(1, 5):%Y-%m}"
    out = io.StringIO()
    call_command("shop_report", "liability", month=month, format="csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == [
        "month",
        "kind",
        "unit",
        "opening",
        "sold",
        "redeemed",
        "refunded",
        "expired",
        "voided",
        "adjusted",
        "closing",
    ]
    expected = liability_rows(Period.month(at(1, 5).date()))
    assert [(r["kind"], int(r["closing"])) for r in rows] == [(r["kind"], r["closing"]) for r in expected]
    assert {r["month"] for r in rows} == {month}


@pytest.mark.parametrize("name", ["liability", "revenue", "memberships", "sales", "frontdesk"])
def test_shop_report_prints_a_table(shop, name):
    buy_series(shop)
    out = io.StringIO()
    call_command("shop_report", name, stdout=out)
    assert out.getvalue().splitlines()[0].split()[0] in ("month", "plan", "offer", "day")


def test_shop_report_refuses_a_malformed_month():
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("shop_report", "liability", month="March", stdout=io.StringIO())
