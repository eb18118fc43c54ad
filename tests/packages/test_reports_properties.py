"""Property: for any history over several months, the liability report ties to the ledgers.

Hypothesis builds random histories through the services (redemptions, adjustments,
refunds, voids, expiry, on series, gift cards, membership months and staff-added
sessions), each step dated in one of the last four months (in date order). Then for
every month and kind: opening + sold − redeemed − refunded − expired − voided ± adjusted
= closing; each month's closing is the next month's opening; the first opening is 0;
and the last closing is what today's balances hold.
"""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packages import services
from packages.models import CreditGrant, GiftCard
from packages.reports import liability_rows, revenue_rows
from packages.reports.liability import session_value
from packages.services import BalanceError

from .conftest import known_code
from .reports_history import Dated, at, buy_gift_card, buy_series, grant, period, refund

pytestmark = pytest.mark.django_db

MONTHS = 4
operation = st.one_of(
    st.tuples(st.just("redeem"), st.sampled_from(["series", "membership", "extra"])),
    st.tuples(st.just("adjust"), st.sampled_from(["series", "membership", "extra"]), st.integers(-3, 3)),
    st.tuples(st.just("redeem_amount"), st.integers(1, 6000)),
    st.tuples(st.just("adjust_amount"), st.integers(-3000, 3000)),
    st.tuples(st.just("refund_series"), st.integers(1, 42500)),
    st.tuples(st.just("refund_card"), st.integers(1, 10000)),
    st.tuples(st.just("void_card")),
    st.tuples(st.just("expire"), st.sampled_from(["series", "membership", "extra"])),
)
dated = st.tuples(st.integers(min_value=0, max_value=MONTHS - 1), operation)


def balances_today() -> dict[str, int]:
    cards = GiftCard.objects.filter(kind=GiftCard.Kind.AMOUNT)
    today = {"gift_money": sum(cards.values_list("balance_minor", flat=True)), "series": 0, "membership": 0, "extra": 0}
    for row in CreditGrant.objects.select_related("order"):
        if row.source == CreditGrant.Source.MEMBERSHIP:
            today["membership"] += row.balance
        elif row.order is None:
            today["extra"] += row.balance
        else:
            today["series"] += session_value(row.balance, row.order.amount_total_minor, row.sessions_granted)
    return today


def apply(step, staff, orders, grants, card):
    name, *args = step
    if name == "redeem":
        services.credit_redeem(customer=grants[args[0]].customer, actor=staff, grant_id=grants[args[0]].pk)
    elif name == "adjust" and args[1]:
        services.credit_adjust(grant_id=grants[args[0]].pk, delta=args[1], actor=staff, reason="prop")
    elif name == "redeem_amount":
        services.gift_card_redeem(card_id=card.pk, amount_minor=args[0], actor=staff, code=known_code(card))
    elif name == "adjust_amount" and args[0]:
        services.gift_card_adjust(card_id=card.pk, delta_minor=args[0], actor=staff, reason="prop")
    elif name == "void_card":
        services.gift_card_void(card_id=card.pk, actor=staff, reason="prop")
    elif name in ("refund_series", "refund_card"):
        order = orders[name]
        order.refresh_from_db()
        amount = min(args[0], order.amount_total_minor - order.amount_refunded_minor)
        if amount > 0:
            refund(order, amount, f"re_{order.pk}_{order.refunds.count()}")
    elif name == "expire":
        row = grants[args[0]]
        CreditGrant.objects.filter(pk=row.pk).update(expires_at=at(MONTHS))  # long past
        services.credits_expire()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(dated, min_size=1, max_size=14))
def test_each_month_closes_where_the_next_opens_and_the_last_at_todays_balances(shop, django_user_model, steps):
    staff, _ = django_user_model.objects.get_or_create(username="prop-staff")
    with Dated(at(MONTHS - 1, 1)):
        series_order, series = buy_series(shop)
        card_order, card = buy_gift_card(shop, 10000)
        grants = {
            "series": series,
            "membership": grant(series.customer, CreditGrant.Source.MEMBERSHIP, 4),
            "extra": grant(series.customer, CreditGrant.Source.MANUAL, 3),
        }
    orders = {"refund_series": series_order, "refund_card": card_order}
    for index, (offset, step) in enumerate(sorted(steps, key=lambda s: -s[0])):
        with Dated(at(offset, 2 + index) if offset else None), contextlib.suppress(BalanceError):
            apply(step, staff, orders, grants, card)

    rows = liability_rows(period(MONTHS))
    by_kind: dict[str, list[dict]] = {}
    for row in rows:
        assert row["closing"] == (
            row["opening"]
            + row["sold"]
            - row["redeemed"]
            - row["refunded"]
            - row["expired"]
            - row["voided"]
            + row["adjusted"]
        )
        by_kind.setdefault(row["key"], []).append(row)
    for months in by_kind.values():
        assert len(months) == MONTHS and months[0]["opening"] == 0
        for before, after in zip(months, months[1:], strict=False):
            assert before["closing"] == after["opening"]
    assert {kind: months[-1]["closing"] for kind, months in by_kind.items()} == balances_today()
    deferred = revenue_rows(period(MONTHS))[-1]["deferred_closing"]
    assert deferred == balances_today()["gift_money"] + balances_today()["series"]
