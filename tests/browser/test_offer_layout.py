"""Offer cards and offer pages as a browser lays them out: price, saving per session and a Buy
button on each card, no card alone on the last row, and the summary beside the form on desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def rows(tab, selector: str) -> list[int]:
    """How many items sit on each row of a grid, top to bottom."""
    tops = tab.eval_on_selector_all(selector, "items => items.map(i => Math.round(i.getBoundingClientRect().top))")
    return [tops.count(top) for top in sorted(set(tops))]


@pytest.mark.parametrize("width", [1280, 1000, 700])
def test_no_offer_card_is_alone_on_the_last_row(demo_site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(demo_site + "/")  # four featured offers on the demo home page
    counts = rows(page, ".offer-list > li")
    assert sum(counts) == 4
    assert counts[-1] > 1, counts


def test_offer_cards_show_price_saving_per_session_and_buy(demo_site, page):
    page.goto(demo_site + "/shop/")
    card = page.locator(".offer-card", has_text="5 therapeutic sessions")
    expect(card.locator(".offer__price")).to_have_text("$425")
    expect(card.locator(".offer-card__saving")).to_contain_text("Save $35 a session")  # 5 × $120 − $425
    card.get_by_role("link", name="Buy 5 therapeutic sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5 therapeutic sessions")


def test_offer_page_puts_the_summary_beside_the_form_on_desktop_and_above_it_on_phones(demo_site, page):
    page.goto(demo_site + "/shop/")
    page.get_by_role("link", name="Buy 5 therapeutic sessions").click()
    summary, form = page.locator(".offer-summary"), page.locator("form.checkout-form")
    side, main = summary.bounding_box(), form.bounding_box()
    assert side["x"] > main["x"] + main["width"] - 1 and side["y"] < main["y"] + main["height"]
    page.set_viewport_size(PHONE)
    side, main = summary.bounding_box(), form.bounding_box()
    assert side["y"] + side["height"] <= main["y"] + 1
