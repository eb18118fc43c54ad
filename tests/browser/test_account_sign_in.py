"""My account in a real browser: the emailed sign-in link, then the "one more click" page.

The link page keeps the referrer away from other sites, but must not make Chromium
send ``Origin: null`` (``Referrer-Policy: no-referrer`` does): Django's CSRF check
compares the Origin header with the site's own and refuses "null".
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from packages import services
from tests.packages.conftest import EMAIL, build_shop, checkout_session, make_order, start_checkout


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # rate-limit counters must not leak between tests
    yield
    cache.clear()


def referrer_policies(page, response) -> tuple[str | None, str | None]:
    """The page's Referrer-Policy header and <meta name="referrer"> (the meta wins in the browser)."""
    return response.headers.get("referrer-policy"), page.locator('meta[name="referrer"]').get_attribute("content")


def test_sign_in_by_emailed_link_in_chromium(live_server, site_tree, settings, page):
    settings.SITE_URL = live_server.url
    shop = build_shop(site_tree)
    services.order_fulfil(session=checkout_session(start_checkout(make_order(shop.series))))
    mail.outbox.clear()

    page.goto(live_server.url + "/shop/account/")
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    url = re.search(r"https?://\S+/shop/account/sign-in/[^/\s]+/", message.body).group(0)
    assert url.startswith(live_server.url)

    response = page.goto(url)
    header, meta = referrer_policies(page, response)
    with page.expect_response(lambda r: r.request.method == "POST" and "/sign-in/" in r.url) as posted:
        page.get_by_role("button", name="Open my account").click()
    assert posted.value.status == 303, posted.value.status  # not 403 "Origin checking failed - null"
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Maya Buyer")
    expect(page.get_by_text(f"Signed in as {EMAIL}")).to_be_visible()
    expect(page.get_by_text("5 of 5")).to_be_visible()
    # The token stays out of other sites' logs all the same: no referrer leaves for another origin.
    assert (header, meta) == ("same-origin", "same-origin")


def test_print_a_gift_card_from_the_emailed_link_in_chromium(live_server, site_tree, settings, page):
    settings.SITE_URL = live_server.url
    shop = build_shop(site_tree)
    gift = services.GiftDetails(recipient_name="Ana Recipient", recipient_email="ana@example.com", sender_name="Maya")
    order = make_order(shop.gift, amount_minor=7500, gift=gift)
    services.order_fulfil(session=checkout_session(start_checkout(order)))
    [message] = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    code = re.search(r"Your gift code: (\S+)", message.body).group(1)
    url = re.search(r"https?://\S+/shop/gift-cards/print/\S+/", message.body).group(0)

    response = page.goto(url)
    header, meta = referrer_policies(page, response)
    page.get_by_label("Gift card code").fill(code)
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Add the code").click()
    assert posted.value.status == 200, posted.value.status  # not 403 "Origin checking failed - null"
    expect(page.get_by_text(code)).to_be_visible()
    assert (header, meta) == ("same-origin", "same-origin")
