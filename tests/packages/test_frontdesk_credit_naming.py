"""Front-desk session redemption names the credit it uses (issue 11).

A customer holds a membership month (1 session, ends soonest) and a 5-session
series. Redeeming "whatever expires first" uses the membership month: the
confirm step must say so before anything moves, and the banner and the
customer's receipt must name the membership month and its count, not a series.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail

from packages import services
from packages.models import CreditGrant

from .conftest import checkout_session, make_order, start_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_with_month_and_series(shop):
    series_order = services.order_fulfil(session=checkout_session(start_checkout(make_order(shop.series))))
    services.order_fulfil(session=checkout_session(start_checkout(make_order(shop.plan))))
    month = CreditGrant.objects.get(source=CreditGrant.Source.MEMBERSHIP)
    series = CreditGrant.objects.get(source=CreditGrant.Source.SERIES)
    assert (month.balance, series.balance) == (1, 5) and month.expires_at < series.expires_at
    mail.outbox.clear()
    return series_order.customer, month, series


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_redeeming_the_first_to_expire_names_the_membership_month(desk, customer_with_month_and_series):
    customer, month, series = customer_with_month_and_series
    url = f"/admin/front-desk/customers/{customer.pk}/redeem/"

    confirm = text(desk.post(url, {"grant": "", "note": ""}))
    assert "Yes, redeem one session" in confirm
    assert "membership month" in confirm and "1 of 1 left" in confirm
    assert "series" not in confirm.split("Redeem one session for", 1)[1].split("Yes, redeem", 1)[0]

    done = text(desk.post(url, {"grant": "", "note": "", "confirm": "yes"}, follow=True))
    month.refresh_from_db(), series.refresh_from_db()
    assert (month.balance, series.balance) == (0, 5)
    assert "0 left on this deep tissue massage membership month" in done
    assert "left on this series" not in done and "left on this deep tissue massage series" not in done

    [receipt] = mail.outbox
    assert receipt.subject == "Session used: 0 left on your deep tissue massage membership month"
    assert "Sessions left this membership month: 0 of 1" in receipt.body
    assert "series" not in receipt.subject + receipt.body


def test_redeeming_from_the_series_still_says_series(desk, customer_with_month_and_series):
    customer, month, series = customer_with_month_and_series
    url = f"/admin/front-desk/customers/{customer.pk}/redeem/"

    confirm = text(desk.post(url, {"grant": str(series.pk), "note": ""}))
    assert "deep tissue massage series" in confirm and "5 of 5 left" in confirm

    done = text(desk.post(url, {"grant": str(series.pk), "note": "", "confirm": "yes"}, follow=True))
    assert "4 left on this deep tissue massage series" in done
    [receipt] = mail.outbox
    assert receipt.subject == "Session used: 4 left on your deep tissue massage series"
    assert "Sessions left on this series: 4 of 5" in receipt.body
    assert "membership" not in receipt.subject + receipt.body
