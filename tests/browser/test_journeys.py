"""Journeys not covered elsewhere, in a real browser, each page on the way audited with axe-core:

* a customer buys a membership through the stand-in and cancels it from the stand-in's manage page;
* a gift-card recipient checks the balance;
* an editor publishes a new page in Wagtail's admin;
* a manager refunds an order from the admin (the stand-in answers as Stripe would).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from home.models import StandardPage
from packages import services
from packages.models import CreditGrant, Membership, Order
from tests.packages.conftest import build_shop, checkout_session, make_order

PASSWORD = "a-long-test-password-42"


@pytest.fixture
def live_shop(live_server, site_tree, settings):
    settings.SITE_URL = live_server.url
    settings.STRIPE_STAND_IN_WEBHOOK_URL = live_server.url + "/stripe/webhook/"
    cache.clear()
    yield build_shop(site_tree)
    cache.clear()


def staff(django_user_model, username: str, group: str):
    user = django_user_model.objects.create_user(username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_buy_a_membership_and_cancel_it_from_the_manage_page(live_server, live_shop, page, audit):
    violations = []
    page.goto(live_server.url + "/shop/")
    page.get_by_role("link", name="Buy Monthly prevention").click()
    page.get_by_role("textbox", name="Your name", exact=True).fill("Rosa Member")
    page.get_by_label("Your email").fill("rosa@example.com")
    page.get_by_label(re.compile("I have consulted a doctor")).check()
    page.get_by_role("button", name="Continue to secure payment").click()
    expect(page.get_by_text("Test stand-in for Stripe Checkout")).to_be_visible()
    violations += audit(page, "journey-membership-stand-in")
    page.get_by_role("button", name=re.compile(r"^(Pay|Subscribe)")).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    expect(page.get_by_text("Your membership is active")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Book your first session"))).to_be_visible()
    violations += audit(page, "journey-membership-paid")

    page.goto(live_server.url + "/shop/account/")
    page.get_by_label("Email address").fill("rosa@example.com")
    page.get_by_role("button", name="Email me a link").click()
    [message] = [m for m in mail.outbox if m.to == ["rosa@example.com"] and "/sign-in/" in m.body]
    page.goto(re.search(r"https?://\S+/shop/account/sign-in/[^/\s]+/", message.body).group(0))
    violations += audit(page, "journey-account-link")
    page.get_by_role("button", name="Open my account").click()
    expect(page.get_by_role("heading", name="Membership")).to_be_visible()
    violations += audit(page, "journey-wallet")

    page.get_by_role("link", name="Manage membership (test stand-in)").click()
    violations += audit(page, "journey-manage-membership")
    # Bought today, so inside the three-month minimum term: the page names that date before confirming.
    expect(page.get_by_text(re.compile("Your membership has a minimum term"))).to_be_visible()
    page.get_by_role("button", name=re.compile("^Cancel: end on ")).click()
    expect(page.get_by_text(re.compile("Done: your membership ends"))).to_be_visible()
    expect(page.get_by_text(re.compile("Active; ends on"))).to_be_visible()
    assert Membership.objects.get().cancel_at is not None
    assert violations == [], "\n".join(violations)


def test_check_a_gift_card_balance(live_server, live_shop, page, audit):
    gift = services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam")
    services.order_fulfil(session=checkout_session(make_order(live_shop.gift, amount_minor=7500, gift=gift)))
    code = next(re.search(r"Your gift code: (\S+)", m.body).group(1) for m in mail.outbox if "gift code:" in m.body)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Check a gift card balance").click()
    page.get_by_label("Gift card code").fill(code.lower())
    page.get_by_role("button", name="Check balance").click()
    expect(page.locator(".balance-result .offer__price")).to_have_text("$75")
    expect(page.get_by_text("left to spend on any treatment or series.")).to_be_visible()
    assert audit(page, "journey-gift-balance") == []


def test_an_editor_publishes_a_page_in_the_admin(live_server, site_tree, page, screenshot, django_user_model):
    staff(django_user_model, "editor", "Editors")
    admin_sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/admin/pages/add/home/standardpage/{site_tree.home.pk}/")
    page.get_by_role("textbox", name=re.compile("^Title")).fill("Opening hours over the holidays")
    page.get_by_role("textbox", name="Intro").fill("We close on December 25 and January 1.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(
        page.get_by_text(re.compile("Page 'Opening hours over the holidays' (created and )?published"))
    ).to_be_visible()
    screenshot(page, "journey-editor-published")

    published = StandardPage.objects.get(title="Opening hours over the holidays")
    assert published.live
    page.goto(live_server.url + published.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Opening hours over the holidays")
    expect(page.get_by_text("We close on December 25 and January 1.")).to_be_visible()


def test_a_manager_refunds_an_order_from_the_admin(live_server, live_shop, page, screenshot, django_user_model):
    with_sessions = services.order_fulfil(session=checkout_session(make_order(live_shop.series)))
    staff(django_user_model, "manager", "Managers")
    admin_sign_in(page, live_server.url, "manager")

    page.goto(f"{live_server.url}/admin/shop/orders/inspect/{with_sessions.pk}/")
    page.get_by_role("link", name="Refund…").click()
    page.get_by_label("Amount to refund ($)").fill("425")
    page.get_by_label("Reason").fill("Moved away before the first session")
    screenshot(page, "journey-refund-form")
    page.get_by_role("button", name="Show what it takes back…").click()
    expect(page.get_by_text(re.compile("takes back"))).to_be_visible()
    page.get_by_role("button", name="Yes, refund").click()
    expect(page.get_by_text("Refund sent to Stripe")).to_be_visible()
    screenshot(page, "journey-refund-sent")

    order = Order.objects.get(pk=with_sessions.pk)
    expect(page.get_by_text(re.compile(r"applied: 5 session\(s\)"))).to_be_visible()
    assert order.status == Order.Status.REFUNDED
    assert CreditGrant.objects.get(order=order).balance == 0
