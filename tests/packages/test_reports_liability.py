"""The liability and revenue reports against hand-computed histories, and the ledger identity as a property.

Series: $425 for 5 sessions, so a session is worth $85 (8500 cents).
"""

from __future__ import annotations

import pytest

from packages import services
from packages.models import CreditGrant
from packages.reports import liability_rows, revenue_rows
from tests.site.test_layers import GRAPH

from .conftest import checkout_session, event, invoice, known_code, make_order, post_webhook
from .reports_history import Dated, at, buy_gift_card, buy_series, period, refund

pytestmark = pytest.mark.django_db

NUMBERS = ["opening", "sold", "redeemed", "refunded", "expired", "voided", "adjusted", "closing"]


def table(rows):
    return {(row["month"], row["key"]): [row[column] for column in NUMBERS] for row in rows}


@pytest.fixture
def history(shop, django_user_model):
    """Three months ago: a series and a $100 card sold. Two: a session, $25, a $5 correction, a session
    given back. One: half the series refunded (4 left → 2 taken back), the card voided."""
    desk = django_user_model.objects.create_user("desk", first_name="Dana", last_name="Desk")
    with Dated(at(3, 5)):
        series_order, grant = buy_series(shop)
        card_order, card = buy_gift_card(shop, 10000)
    with Dated(at(2, 10)):
        services.credit_redeem(customer=grant.customer, actor=desk, grant_id=grant.pk)
        services.gift_card_redeem(card_id=card.pk, amount_minor=2500, actor=desk, code=known_code(card))
        services.gift_card_adjust(card_id=card.pk, delta_minor=-500, actor=desk, reason="Typo at the desk")
    with Dated(at(2, 11)):
        services.credit_redeem(customer=grant.customer, actor=desk, grant_id=grant.pk)
        services.credit_adjust(grant_id=grant.pk, delta=1, actor=desk, reason="Cut short")
    with Dated(at(1, 3)):
        refund(series_order, 21250, "re_half")
        services.gift_card_void(card_id=card.pk, actor=desk, reason="Lost")
    return series_order, grant, card


def test_liability_ties_to_the_ledgers_month_by_month(history):
    rows = table(liability_rows(period(4)))
    months = sorted({month for month, _ in rows})
    m3, m2, m1, m0 = months
    assert rows[m3, "gift_money"] == [0, 10000, 0, 0, 0, 0, 0, 10000]
    assert rows[m3, "series"] == [0, 42500, 0, 0, 0, 0, 0, 42500]
    # Two sessions redeemed (2 × 8500), one given back (+8500): 4 left, worth 34000.
    assert rows[m2, "series"] == [42500, 0, 17000, 0, 0, 0, 8500, 34000]
    assert rows[m2, "gift_money"] == [10000, 0, 2500, 0, 0, 0, -500, 7000]
    # Half of $425 refunded: floor(21250 / 8500) = 2 whole sessions taken back; the card's $70 voided.
    assert rows[m1, "series"] == [34000, 0, 0, 17000, 0, 0, 0, 17000]
    assert rows[m1, "gift_money"] == [7000, 0, 0, 0, 0, 7000, 0, 0]
    assert rows[m0, "series"] == [17000, 0, 0, 0, 0, 0, 0, 17000]
    assert rows[m0, "membership"] == rows[m0, "extra"] == [0] * 8


def test_liability_rows_have_exactly_the_bookkeeping_columns_and_units(history):
    row = liability_rows(period(1))[0]
    assert list(row)[:11] == [
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
    units = {r["kind"]: r["unit"] for r in liability_rows(period(1))}
    assert units == {
        "Gift-card money": "USD cents",
        "Series sessions (value)": "USD cents",
        "Membership sessions": "sessions",
        "Staff-added sessions": "sessions",
    }


def test_a_later_period_opens_with_everything_before_it(history):
    # From two months ago only: the first month sold opens the period.
    rows = table(liability_rows(period(3)))
    first = min(month for month, _ in rows)
    assert rows[first, "series"][0] == 42500 and rows[first, "gift_money"][0] == 10000


def test_expired_sessions_show_as_expired_and_as_breakage(shop):
    with Dated(at(2, 1)):
        _, grant = buy_series(shop)
    CreditGrant.objects.filter(pk=grant.pk).update(expires_at=at(1, 2))
    with Dated(at(1, 2)):
        services.credits_expire(now=at(1, 2))
    rows = table(liability_rows(period(3)))
    month = sorted({m for m, _ in rows})[1]
    assert rows[month, "series"] == [42500, 0, 0, 0, 42500, 0, 0, 0]
    revenue = {row["month"]: row for row in revenue_rows(period(3))}
    assert revenue[month]["recognised_breakage"] == 42500 and revenue[month]["deferred_closing"] == 0


def test_revenue_recognises_use_and_defers_the_rest(history):
    series_order, _, _ = history
    rows = revenue_rows(period(4))
    m3, m2, m1, m0 = rows
    assert (m3["cash_taken"], m3["recognised_total"], m3["deferred_closing"]) == (52500, 0, 52500)
    assert (m2["recognised_redemptions"], m2["recognised_total"]) == (17000 + 2500, 19500)
    assert m2["deferred_closing"] == 34000 + 7000
    assert (m1["refunds_paid"], m1["cash_taken"], m1["deferred_closing"]) == (21250, 0, 17000)
    assert m0["deferred_opening"] == m1["deferred_closing"] == m0["deferred_closing"]
    liability = liability_rows(period(4))
    for row in rows:
        money = sum(r["closing"] for r in liability if r["month"] == row["month"] and r["money"])
        assert row["deferred_closing"] == money


def test_revenue_counts_tax_apart_and_discounts_in_cash(shop):
    with Dated(at(1, 4)):
        buy_series(shop, amount_total=40000, total_details={"amount_discount": 4500, "amount_tax": 2000})
    row = revenue_rows(period(2))[0]
    # Charged $400 of which $20 tax: each session is worth (40000 − 2000) / 5 = 7600.
    assert (row["cash_taken"], row["tax"], row["deferred_closing"]) == (40000, 2000, 38000)


def test_membership_months_are_cash_and_revenue_when_paid(shop, client):
    order = make_order(shop.plan)
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    post_webhook(
        client,
        event(
            "invoice.paid",
            invoice(invoice_id="in_second", subscription_id="sub_1Pgc6rB7WZ01zgkWNy0Cn5nw", order=order),
        ),
    )
    row = revenue_rows(period(1))[-1]
    assert row["recognised_memberships"] == 2 * order.amount_total_minor
    assert row["cash_taken"] == 2 * order.amount_total_minor
    liability = {r["key"]: r for r in liability_rows(period(1))}
    # One session a month; the unused first one rolls over (cap 1): 1 + (1 + 1) granted, 1 expired.
    membership = liability["membership"]
    assert (membership["sold"], membership["expired"], membership["closing"]) == (3, 1, 2)


def test_the_report_reads_import_only_the_models():
    """packages.reports is a read layer beside packages.selectors: models (and home.money) only."""
    reads = [module for module in GRAPH if module == "packages.reports" or module.startswith("packages.reports.")]
    assert reads
    wrong = [
        f"{module} -> {target}"
        for module in reads
        for target in sorted(GRAPH[module])
        if target.split(".")[0] in ("packages", "home", "blog", "site")
        and not target.startswith(("packages.reports", "packages.models"))
        and target not in ("packages", "home.money")
    ]
    assert wrong == []
