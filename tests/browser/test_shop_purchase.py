"""A buyer in a real browser: a 5-session series and a gift card through the offline Checkout stand-in.

The stand-in's Pay button signs Stripe-shaped events and POSTs them over HTTP to
the live server's own webhook, so this runs the production fulfilment path.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from packages import services
from packages.factories import ExtraSessionFactory
from packages.models import CreditGrant, GiftCard, Order
from tests.packages.conftest import build_shop, make_order, start_checkout


@pytest.fixture
def live_shop(live_server, site_tree, settings):
    settings.SITE_URL = live_server.url
    settings.STRIPE_STAND_IN_WEBHOOK_URL = live_server.url + "/stripe/webhook/"
    return build_shop(site_tree)


def test_buy_a_series_through_the_stand_in(live_server, live_shop, page, screenshot):
    page.goto(live_server.url + "/shop/")
    page.get_by_role("link", name="5 deep tissue sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5 deep tissue sessions")
    page.get_by_role("textbox", name="Your name", exact=True).fill("Maya Buyer")
    page.get_by_label("Your email").fill("maya@example.com")
    page.get_by_label(re.compile("I have consulted a doctor")).check()
    screenshot(page, "shop-offer")
    page.get_by_role("button", name="Continue to secure payment").click()

    expect(page.get_by_text("Test stand-in for Stripe Checkout")).to_be_visible()
    expect(page.get_by_text("$425").first).to_be_visible()
    screenshot(page, "shop-stand-in")
    page.get_by_role("button", name="Pay $425").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    expect(page.get_by_text("5 × 60-minute deep tissue massage sessions are ready to book")).to_be_visible()
    screenshot(page, "shop-success")
    order = Order.objects.get(customer__email="maya@example.com")
    assert order.status == Order.Status.FULFILLED
    assert CreditGrant.objects.get(order=order).balance == 5


def test_give_a_gift_card_through_the_stand_in(live_server, live_shop, page, screenshot):
    page.goto(live_server.url + live_shop.gift.get_absolute_url())
    page.get_by_role("textbox", name="Your name", exact=True).fill("Sam Giver")
    page.get_by_label("Your email").fill("sam@example.com")
    page.get_by_role("button", name="100").click()  # a listed amount fills the field
    expect(page.get_by_label("Amount (whole dollars)")).to_have_value("100")
    page.get_by_label("Recipient's name").fill("Ana")
    page.get_by_label("Recipient's email").fill("ana@example.com")
    page.get_by_label("From (your name as they will see it)").fill("Sam")
    page.get_by_label("Personal message").fill("For your back — enjoy!")
    page.get_by_role("button", name="Continue to secure payment").click()
    page.get_by_role("button", name="Pay $100").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    expect(page.get_by_text("Your gift has been emailed to Ana.")).to_be_visible()
    screenshot(page, "gift-success")
    card = GiftCard.objects.get()
    assert card.status == GiftCard.Status.ACTIVE and card.balance_minor == 10000
    to_ana = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    assert len(to_ana) == 1 and "For your back" in to_ana[0].body


def test_a_member_buys_an_extra_session_at_the_member_price(live_server, live_shop, page):
    extra = ExtraSessionFactory(title="One deep tissue session", slug="deep-60", treatment=live_shop.series.treatment)
    member_order = start_checkout(make_order(live_shop.plan, email="mia@example.com"))  # terms: extras at $75
    services.stand_in_checkout_pay(session_id=member_order.stripe_checkout_session_id)

    page.goto(live_server.url + "/shop/")
    page.get_by_role("link", name="One deep tissue session").click()
    page.get_by_role("textbox", name="Your name", exact=True).fill("Mia Member")
    page.get_by_label("Your email").fill("mia@example.com")
    page.get_by_label(re.compile("I have consulted a doctor")).check()
    page.get_by_role("button", name="Continue to secure payment").click()
    page.get_by_role("button", name="Pay $75").click()  # the member price, decided on the server
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    order = Order.objects.get(kind="session", customer__email="mia@example.com")
    assert order.status == Order.Status.FULFILLED and CreditGrant.objects.get(order=order).balance == 1

    page.goto(live_server.url + extra.get_absolute_url())  # anyone else pays the regular price
    page.get_by_role("textbox", name="Your name", exact=True).fill("Noa Visitor")
    page.get_by_label("Your email").fill("noa@example.com")
    page.get_by_label(re.compile("I have consulted a doctor")).check()
    page.get_by_role("button", name="Continue to secure payment").click()
    expect(page.get_by_role("button", name="Pay $95")).to_be_visible()
