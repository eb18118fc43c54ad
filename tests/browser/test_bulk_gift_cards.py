"""Gift cards for a team, in a real browser: a recipients CSV with a mistake fixed on the page,
and codes for the buyer downloaded once. Paid through the offline Checkout stand-in, whose
Pay button POSTs signed events to the live server's own webhook."""

import csv
import io
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from packages.models import GiftCard, Order
from tests.packages.conftest import build_shop

RECIPIENTS = (
    "name,email,message,delivery_date\n"
    "Priya Natarajan,priya@example.com,For the long days at the desk,\n"
    "Marcus Webb,marcus-at-example.com,Happy holidays,\n"
)


@pytest.fixture
def live_shop(live_server, site_tree, settings):
    settings.SITE_URL = live_server.url
    settings.STRIPE_STAND_IN_WEBHOOK_URL = live_server.url + "/stripe/webhook/"
    return build_shop(site_tree)


def start(page, live_server, live_shop):
    page.goto(live_server.url + live_shop.gift.get_absolute_url())
    page.get_by_role("link", name="Order up to 100 cards at once").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gift cards for a team")
    page.get_by_role("textbox", name="Your name", exact=True).fill("Dana Office")
    page.get_by_label("Your email").fill("dana@example.com")
    page.get_by_label("Amount on each card (whole dollars)").fill("50")


def test_a_team_list_with_a_bad_row_is_fixed_on_the_page_then_paid(live_server, live_shop, page, screenshot):
    start(page, live_server, live_shop)
    page.get_by_label("Emailed to a list of recipients").check()
    page.get_by_label("Recipients (CSV file)").set_input_files(
        files=[{"name": "team.csv", "mimeType": "text/csv", "buffer": RECIPIENTS.encode()}]
    )
    page.get_by_role("button", name="Continue to secure payment").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Row 3, email")  # the header is row 1
    assert not Order.objects.filter(customer__email="dana@example.com").exists()  # nothing before payment
    screenshot(page, "bulk-gift-cards-row-error")
    rows = page.get_by_label("Recipients (as CSV text)")
    expect(rows).to_have_value(re.compile("marcus-at-example.com"))  # the upload is kept to correct
    rows.fill(rows.input_value().replace("marcus-at-example.com", "marcus@example.com"))
    page.get_by_role("button", name="Continue to secure payment").click()

    page.get_by_role("button", name="Pay $100").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    expect(page.get_by_role("heading", name="Who gets a card")).to_be_visible()
    expect(page.get_by_role("cell", name="Marcus Webb")).to_be_visible()
    screenshot(page, "bulk-gift-cards-paid")
    cards = GiftCard.objects.filter(order__customer__email="dana@example.com")
    assert sorted(cards.values_list("recipient_email", flat=True)) == ["marcus@example.com", "priya@example.com"]
    assert all(card.balance_minor == 5000 for card in cards)
    delivered = {m.to[0] for m in mail.outbox if m.to[0] in ("priya@example.com", "marcus@example.com")}
    assert delivered == {"priya@example.com", "marcus@example.com"}  # dated today: sent at once


def test_codes_for_the_buyer_download_once(live_server, live_shop, page):
    start(page, live_server, live_shop)
    page.get_by_label("Codes downloaded by the buyer").check()
    page.get_by_label("How many cards").fill("3")
    page.get_by_role("button", name="Continue to secure payment").click()
    page.get_by_role("button", name="Pay $150").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")

    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile(r"Download 3 codes \(once\)")).click()
    download = info.value
    with open(download.path(), encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert len(rows) == 3 and len({row["code"] for row in rows}) == 3
    order = Order.objects.get(customer__email="dana@example.com")
    page.goto(live_server.url + f"/shop/orders/{order.public_token}/")
    expect(page.get_by_text(re.compile("The codes were downloaded on"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Download"))).to_have_count(0)
    assert not any(row["code"] in m.body for m in mail.outbox for row in rows)  # never emailed
