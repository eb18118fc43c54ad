"""The shop's pages as a browser draws them: readable amount chips, a checkout page that fits
a phone, help texts that screen readers can reach, and tap targets of at least 24 px.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.packages.conftest import build_shop

LONG_EMAIL = "maya.alexandra.buyer-longname.for.receipts@physiotherapy-clinic-example.com"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_shop(live_server, site_tree, settings):
    settings.SITE_URL = live_server.url
    settings.STRIPE_STAND_IN_WEBHOOK_URL = live_server.url + "/stripe/webhook/"
    cache.clear()
    yield build_shop(site_tree)
    cache.clear()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="en-US", device_scale_factor=1, is_mobile=True)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def _luminance(rgb: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two computed CSS colours ("rgb(…)" / "rgba(…)", opaque)."""
    fg, bg = (tuple(float(v) for v in re.findall(r"[\d.]+", colour)[:3]) for colour in (foreground, background))
    light, dark = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_gift_amount_chips_are_readable_and_show_the_real_minimum(live_server, live_shop, page, screenshot):
    page.goto(live_server.url + live_shop.gift.get_absolute_url())
    chips = page.locator(".amount-chip")
    expect(chips).to_have_count(2)
    for index in range(chips.count()):
        chip = chips.nth(index)
        expect(chip).to_be_visible()
        colour, background = chip.evaluate("c => [getComputedStyle(c).color, getComputedStyle(c).backgroundColor]")
        assert "rgba(0, 0, 0, 0)" not in background, "the chip needs its own background"
        assert contrast(colour, background) >= 4.5, (chip.inner_text(), colour, background)
    expect(chips.first).to_have_text("$50")
    screenshot(page, "gift-amount-chips")
    # $25 is accepted (min_amount_minor), so that is the minimum shown and the input's min.
    expect(page.locator(".offer__price")).to_have_text("from $25")
    amount = page.get_by_label("Amount (whole dollars)")
    assert (amount.get_attribute("min"), amount.get_attribute("max")) == ("25", "500")
    expect(page.get_by_text("Any whole amount from $25 to $500.")).to_be_visible()
    chips.nth(1).click()
    expect(amount).to_have_value("100")
    expect(chips.nth(1)).to_have_attribute("aria-pressed", "true")


def test_stand_in_checkout_fits_a_phone_and_is_about_the_order(live_server, live_shop, phone, screenshot):
    phone.goto(live_server.url + live_shop.series.get_absolute_url())
    phone.get_by_role("textbox", name="Your name", exact=True).fill("Maya Buyer")
    phone.get_by_label("Your email").fill(LONG_EMAIL)
    phone.get_by_label(re.compile("I have consulted a doctor")).check()
    phone.get_by_role("button", name="Continue to secure payment").click()

    expect(phone.get_by_role("button", name="Pay $425")).to_be_visible()
    screenshot(phone, "stand-in-390px")
    scroll_width, viewport_width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    # On a phone, content wider than the screen also widens the layout viewport (the page zooms out).
    widest = max(scroll_width, viewport_width)
    assert widest <= PHONE["width"], f"the page is {widest}px wide on a {PHONE['width']}px screen"
    expect(phone.get_by_role("heading", level=1)).to_have_text("Pay $425 to Runway Massage Studio")
    expect(phone.get_by_text(LONG_EMAIL)).to_be_visible()


DESCRIBED_BY = """() => {
    const ids = [...document.querySelectorAll('[aria-describedby]')]
        .flatMap(el => el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean));
    return {ids, missing: ids.filter(id => !document.getElementById(id))};
}"""


def test_every_aria_describedby_points_at_an_element(live_server, live_shop, page):
    def check(where: str) -> list[str]:
        found = page.evaluate(DESCRIBED_BY)
        assert not found["missing"], f"{where}: aria-describedby points at nothing: {found['missing']}"
        return found["ids"]

    described = []
    for offer in (live_shop.series, live_shop.plan, live_shop.gift):
        page.goto(live_server.url + offer.get_absolute_url())
        described += check(offer.slug)
        page.get_by_role("button", name="Continue to secure payment").click()  # empty: every field in error
        expect(page.get_by_role("heading", name="Please check the form")).to_be_visible()
        described += check(f"{offer.slug} with errors")
    for path in ("/shop/account/", "/shop/gift-cards/balance/", "/shop/gift-cards/print/"):
        page.goto(live_server.url + path)
        described += check(path)
    page.goto(live_server.url + "/shop/account/")
    page.get_by_role("button", name="Email me a link").click()  # no address: an error on the field
    # The click only starts the navigation: wait until the answer's error is on the page before reading
    # it, or the check can run on a half-parsed document (the input there, its help text not yet).
    expect(page.locator("#id_email_error")).to_be_visible()
    page.wait_for_load_state()
    described += check("sign-in with an error")
    assert {"id_email_helptext", "id_amount_helptext", "id_delivery_date_helptext", "id_code_helptext"} <= set(
        described
    )
    assert {"id_email_error", "id_name_error", "id_recipient_email_error"} <= set(described)


def test_footer_links_and_breadcrumbs_are_at_least_24px_high(live_server, live_shop, page, phone):
    for tab in (page, phone):
        tab.goto(live_server.url + live_shop.series.get_absolute_url())
        targets = tab.locator(".site-footer a, .breadcrumbs a")
        assert targets.count() >= 5
        for index in range(targets.count()):
            link = targets.nth(index)
            box = link.bounding_box()
            assert box is not None and box["height"] >= 24, (link.inner_text(), box)
