"""A front-desk user in a real browser finds a gift card by its code and redeems part of it."""

import re

from django.contrib.auth.models import Group
from django.core import mail
from playwright.sync_api import expect

from packages import services
from packages.models import GiftCard
from tests.packages.conftest import build_shop, checkout_session, make_order


def test_front_desk_redeems_part_of_a_gift_card(live_server, site_tree, page, screenshot, django_user_model):
    shop = build_shop(site_tree)
    order = make_order(
        shop.gift,
        amount_minor=10000,
        gift=services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam"),
    )
    services.order_fulfil(session=checkout_session(order))
    code = next(re.search(r"Your gift code: (\S+)", m.body).group(1) for m in mail.outbox if "gift code:" in m.body)
    desk = django_user_model.objects.create_user("desk", password="desk-password-123")
    desk.groups.add(Group.objects.get(name="Front desk"))

    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("desk")
    page.get_by_label("Password").fill("desk-password-123")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Front desk").first.click()

    # The QR scanner types the code; case, spaces and dashes do not matter.
    page.get_by_label("Customer email or name, or a gift-card code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Find").click()
    card = GiftCard.objects.get()
    expect(page.get_by_role("heading", name=f"Gift card ending {card.code_last4}")).to_be_visible()
    page.get_by_role("link", name="Open gift card").click()
    expect(page.get_by_text("$100 left")).to_be_visible()
    assert code not in page.content()

    page.get_by_label("Amount to take ($)").fill("35")
    page.get_by_role("button", name="Redeem…").click()
    expect(page.get_by_role("heading", name=re.compile(r"Take \$35 from the card ending"))).to_be_visible()
    # The confirmation takes the card's code again (scanned or typed): no money moves by card id alone.
    page.get_by_label("Card code").fill(code)
    screenshot(page, "frontdesk-confirm")
    page.get_by_role("button", name="Yes, redeem").click()
    expect(page.get_by_text(f"Redeemed. $65 left on the card ending {card.code_last4}.")).to_be_visible()
    screenshot(page, "frontdesk-redeemed")
    card.refresh_from_db()
    assert card.balance_minor == 6500
