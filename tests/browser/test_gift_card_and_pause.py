"""Two customer journeys in a real browser: paying part of a series with a gift card, and pausing a membership."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from packages import services
from packages.factories import MembershipPlanFactory
from packages.models import CreditGrant, GiftCard, Membership, Order
from tests.packages.conftest import build_shop, checkout_session, make_order, start_checkout


@pytest.fixture
def live_shop(live_server, site_tree, settings):
    cache.clear()
    settings.SITE_URL = live_server.url
    settings.STRIPE_STAND_IN_WEBHOOK_URL = live_server.url + "/stripe/webhook/"
    yield build_shop(site_tree)
    cache.clear()


def test_pay_part_of_a_series_with_a_gift_card(live_server, live_shop, page, screenshot):
    gift = services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Maya")
    services.order_fulfil(
        session=checkout_session(start_checkout(make_order(live_shop.gift, amount_minor=10000, gift=gift)))
    )
    [message] = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    code = re.search(r"Your gift code: (\S+)", message.body).group(1)  # as the recipient reads it

    page.goto(live_server.url + f"/shop/series/{live_shop.series.slug}/")
    page.get_by_role("textbox", name="Your name", exact=True).fill("Ana")
    page.get_by_label("Your email").fill("ana@example.com")
    page.get_by_label("Pay with a gift card").fill(code)
    page.get_by_label(re.compile("I have consulted a doctor")).check()
    page.get_by_role("button", name="Continue to secure payment").click()

    expect(page.get_by_text("A gift card pays $100 of $425; this is the rest.")).to_be_visible()
    screenshot(page, "gift-card-part-payment")
    page.get_by_role("button", name="Pay $325").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    expect(page.get_by_text("Paid with a gift card: −$100")).to_be_visible()
    order = Order.objects.get(customer__email="ana@example.com", kind="series")
    assert order.status == Order.Status.FULFILLED and CreditGrant.objects.get(order=order).balance == 5
    assert GiftCard.objects.get(recipient_email="ana@example.com").balance_minor == 0


def test_a_member_pauses_their_membership(live_server, live_shop, page):
    order = start_checkout(make_order(live_shop.plan))
    services.stand_in_checkout_pay(session_id=order.stripe_checkout_session_id)  # delivered over HTTP on commit
    membership = Membership.objects.get(order=order)
    _, token = services.magic_link_issue(email=order.customer.email)

    page.goto(live_server.url + f"/shop/account/sign-in/{token}/")
    page.get_by_role("button", name="Open my account").click()
    page.get_by_role("link", name=re.compile("Manage membership")).click()
    page.get_by_label("Pause for").select_option("2")
    page.get_by_role("button", name="Pause", exact=True).click()
    expect(page.get_by_text(re.compile("Paused: no payments and no new sessions until"))).to_be_visible()
    membership.refresh_from_db()
    assert membership.paused_until is not None
    expect(page.get_by_text(re.compile("Paused until"))).to_be_visible()


def test_a_member_changes_plan(live_server, live_shop, page):
    twice = MembershipPlanFactory(
        title="Twice a month",
        slug="twice",
        treatment=live_shop.plan.treatment,
        monthly_price_minor=14900,
        sessions_per_month=2,
    )
    order = start_checkout(make_order(live_shop.plan))
    services.stand_in_checkout_pay(session_id=order.stripe_checkout_session_id)
    membership = Membership.objects.get(order=order)
    _, token = services.magic_link_issue(email=order.customer.email)

    page.goto(live_server.url + f"/shop/account/sign-in/{token}/")
    page.get_by_role("button", name="Open my account").click()
    page.get_by_role("link", name=re.compile("Manage membership")).click()
    page.get_by_label("Change plan to").select_option(label="Twice a month – $149 a month, 2 sessions")
    page.get_by_role("button", name="Change plan", exact=True).click()
    expect(page.get_by_text(re.compile("Done: you are on Twice a month from"))).to_be_visible()
    membership.refresh_from_db()
    assert membership.plan == twice and membership.plan_terms["sessions_per_month"] == 2
