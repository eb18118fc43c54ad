"""A visitor in a real browser: home page → a treatment → an article, and a search."""

import re

from playwright.sync_api import expect

from home.models import TreatmentPage
from tests.conftest import CALLOUT_TITLE, DISCLAIMER, HERO_HEADING, SEARCH_WORD


def test_home_to_treatment_and_article(live_server, site_tree, page, screenshot):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(HERO_HEADING)
    screenshot(page, "home")

    # Home → a featured treatment.
    page.get_by_role("link", name=site_tree.deep_tissue.title).first.click()
    expect(page).to_have_url(re.compile(re.escape(site_tree.deep_tissue.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(site_tree.deep_tissue.title)
    expect(page.get_by_role("cell", name="$95")).to_be_visible()
    expect(page.get_by_role("cell", name="$135")).to_be_visible()
    expect(page.get_by_text(TreatmentPage.INTENSITY_NOTES["strong"])).to_be_visible()
    expect(page.get_by_text(DISCLAIMER)).to_be_visible()
    screenshot(page, "treatment")

    # Back home → the latest article.
    page.go_back()
    page.get_by_role("link", name=site_tree.sciatica_article.title).first.click()
    expect(page).to_have_url(re.compile(re.escape(site_tree.sciatica_article.url) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(site_tree.sciatica_article.title)
    expect(page.get_by_text(CALLOUT_TITLE)).to_be_visible()
    expect(page.get_by_text(DISCLAIMER)).to_be_visible()
    screenshot(page, "article")

    # The article recommends the treatment, and links to it.
    page.get_by_role("link", name=re.compile("Durations, prices and series")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(site_tree.deep_tissue.title)


def test_search_from_the_header(live_server, site_tree, page, screenshot):
    page.goto(live_server.url + site_tree.about.url)
    page.get_by_role("searchbox", name="Search the site").fill(SEARCH_WORD)
    page.get_by_role("searchbox", name="Search the site").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=" + SEARCH_WORD))
    result = page.get_by_role("link", name=site_tree.sciatica_article.title)
    expect(result).to_be_visible()
    screenshot(page, "search")
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(site_tree.sciatica_article.title)
