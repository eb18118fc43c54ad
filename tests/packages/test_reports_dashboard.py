"""The shop's dashboard panel: today's sales and redemptions, and what needs a person, for Managers and the desk."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from packages import services
from packages.models import GiftCard, Order, Review, StripeEvent
from packages.reports import today_numbers

from .conftest import known_code
from .reports_history import Dated, at, buy_gift_card, buy_series
from .test_reports import login

pytestmark = pytest.mark.django_db


def text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split()).replace(" ,", ",")


@pytest.fixture
def busy_day(shop, django_user_model):
    desk = django_user_model.objects.create_user("desk-user")
    with Dated(at(1, 2)):
        buy_series(shop)  # last month: not today's sales
    order, grant = buy_series(shop)
    _, card = buy_gift_card(shop, 5000)
    services.credit_redeem(customer=grant.customer, actor=desk, grant_id=grant.pk)
    services.gift_card_redeem(card_id=card.pk, amount_minor=1000, actor=desk, code=known_code(card))
    _, due = buy_gift_card(shop, 2500)
    GiftCard.objects.filter(pk=due.pk).update(status=GiftCard.Status.SCHEDULED, deliver_on=timezone.localdate())
    StripeEvent.objects.create(event_id="evt_fail", type="invoice.paid", created=1, payload={}, attempts=3)
    Order.objects.filter(pk=order.pk).update(status=Order.Status.NEEDS_REVIEW)
    Review.objects.create(reason=Review.Reason.AMOUNT_MISMATCH, stripe_id="cs_1", message="Priced 1", order=order)
    Review.objects.create(
        reason=Review.Reason.AMOUNT_MISMATCH, stripe_id="cs_2", message="Old", resolved_at=timezone.now()
    )


def test_today_counts_only_today_and_what_is_open(busy_day):
    today = today_numbers()
    assert (today.orders, today.sales_minor) == (3, 42500 + 5000 + 2500)
    assert (today.sessions_redeemed, today.gift_money_redeemed_minor) == (1, 1000)
    assert (today.gift_cards_due, today.webhooks_failing, today.orders_needing_review, today.reviews_open) == (
        1,
        1,
        1,
        1,
    )


@pytest.mark.parametrize("group", ["Managers", "Front desk"])
def test_the_panel_is_on_the_dashboard_for_managers_and_the_desk(client, django_user_model, busy_day, group):
    login(client, django_user_model, group)
    html = client.get("/admin/").content.decode()
    page = text(html)
    assert "Shop today" in page
    assert "$500 from 3 orders" in page and "1 session and" in page and "$10" in page
    assert "1 gift card due for delivery" in page and "1 Stripe webhook failing" in page
    assert "1 order needing review" in page and "1 payment to review" in page
    assert ("/admin/reports/shop/webhooks/" in html) is (group == "Managers")


def test_a_quiet_day_says_so(client, django_user_model, shop):
    login(client, django_user_model, "Front desk")
    page = text(client.get("/admin/").content.decode())
    assert "$0 from 0 orders" in page and "Nothing needs attention." in page


def test_editors_do_not_get_the_panel(client, django_user_model, shop):
    login(client, django_user_model, "Editors")
    assert "Shop today" not in client.get("/admin/").content.decode()


def test_avatars_never_call_gravatar(client, django_user_model, shop):
    login(client, django_user_model, "Managers")
    django_user_model.objects.filter(username="managers").update(email="boss@example.com")
    assert "gravatar" not in client.get("/admin/").content.decode().lower()
