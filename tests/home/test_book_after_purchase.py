"""After a purchase the order page, the receipt and My account say "Book your first session",
pointing at the studio's booking tool (StudioSettings.booking_url), or at a call when it has none."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from pytest_django.asserts import assertContains

from packages import services
from tests.packages.conftest import EMAIL, build_shop, checkout_session, make_order

BOOKING_URL = "https://book.example.com/runway"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shop(site_tree):
    return build_shop(site_tree)


@pytest.fixture
def buy_series(shop, django_capture_on_commit_callbacks):
    """Pay for the series as the webhook would, with the receipt sent as on commit."""

    def buy():
        with django_capture_on_commit_callbacks(execute=True):
            order = make_order(shop.series)
            return services.order_fulfil(session=checkout_session(order))

    return buy


def receipt():
    [message] = [m for m in mail.outbox if m.to == [EMAIL] and "receipt" in m.subject.lower()]
    return message


def test_order_page_receipt_and_wallet_point_at_the_booking_tool(site_tree, buy_series, client):
    site_tree.settings.booking_url = BOOKING_URL
    site_tree.settings.save()
    order = buy_series()

    page = client.get(order.get_absolute_url())
    assertContains(page, f'<a class="button" href="{BOOKING_URL}" data-book="online">Book your first session</a>')

    message = receipt()
    assert f"Book your first session: {BOOKING_URL}" in message.body
    html = message.alternatives[0].content
    assert f'href="{BOOKING_URL}"' in html and "Book your first session" in html

    _, token = services.magic_link_issue(email=EMAIL)
    client.post(f"/shop/account/sign-in/{token}/")
    assertContains(client.get("/shop/account/"), "Book your first session")


def test_without_a_booking_tool_they_say_call(site_tree, buy_series, client):
    order = buy_series()
    assertContains(
        client.get(order.get_absolute_url()), 'href="tel:+15550100" data-book="phone">Book your first session'
    )
    assert "Book your first session: call +1 555 0100." in receipt().body


def test_wallet_says_next_once_a_session_is_used(site_tree, buy_series, client):
    order = buy_series()
    grant = order.credit_grants.get()
    grant.balance -= 1
    grant.save(update_fields=["balance"])
    _, token = services.magic_link_issue(email=EMAIL)
    client.post(f"/shop/account/sign-in/{token}/")
    assertContains(client.get("/shop/account/"), "Book your next session")
