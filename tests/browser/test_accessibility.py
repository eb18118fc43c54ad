"""axe-core on every public and shop page of the demo site, at 390 and 1280 px wide.

The demo content (home/demo/) is loaded into the live server, so the pages are the
ones a visitor of `make demo` sees, with their pictures. Serious and critical
violations fail the test; each page is also saved as a screenshot at both widths
under test-artifacts/screenshots/ (a11y-*.png). Pages that need a purchase or a
signed-in customer are audited in the journeys (test_journeys.py).
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import expect

from blog.models import ArticlePage, BlogIndexPage
from home.models import StandardPage, TreatmentIndexPage, TreatmentPage
from packages.models import ExtraSession, GiftCardOffer, MembershipPlan, SessionSeries
from tests.browser.conftest import axe_violations


def public_paths() -> dict[str, str]:
    paths = {"home": "/", "search": "/search/?q=sciatica", "not-found": "/no-such-page/"}
    paths["treatments"] = TreatmentIndexPage.objects.get().url
    for treatment in TreatmentPage.objects.live():
        paths[f"treatment-{treatment.slug}"] = treatment.url
    blog = BlogIndexPage.objects.get()
    paths["articles"] = blog.url
    paths["topic"] = blog.url + "topic/sciatica/"
    for article in ArticlePage.objects.live():
        paths[f"article-{article.slug}"] = article.url
    for page in StandardPage.objects.live():
        paths[f"page-{page.slug}"] = page.url
    return paths


def shop_paths() -> dict[str, str]:
    paths = {
        "shop": "/shop/",
        "gift-balance": "/shop/gift-cards/balance/",
        "gift-print": "/shop/gift-cards/print/",
        "account-sign-in": "/shop/account/",
        "account-check-email": "/shop/account/check-email/",
    }
    for model in (SessionSeries, MembershipPlan, GiftCardOffer, ExtraSession):
        for offer in model.objects.filter(active=True):
            paths[f"offer-{offer.slug}"] = offer.get_absolute_url()
    for offer in GiftCardOffer.objects.filter(active=True):
        paths[f"bulk-{offer.slug}"] = reverse("shop:gift_cards_bulk", args=[offer.slug])
    return paths


def test_every_public_and_shop_page_passes_axe_at_both_widths(demo_site, page, audit):
    paths = {**public_paths(), **shop_paths()}
    assert len(paths) > 25, paths
    # The pages issue #11 added: the team (photos, specialities) and the questions and answers.
    assert {"page-team", "page-questions", "page-about"} <= paths.keys(), sorted(paths)
    violations = []
    for name, path in paths.items():
        response = page.goto(demo_site + path)
        assert response.status == (404 if name == "not-found" else 200), (name, path, response.status)
        expect(page.locator("h1").first).to_be_visible()
        violations += audit(page, f"a11y-{name}")
    assert violations == [], "\n".join(violations)


def test_no_picture_twice_on_a_page(demo_site, page):
    """The demo's pictures are each used once per page (an article's hero is not its figure)."""
    repeated = {}
    for name, path in public_paths().items():
        page.goto(demo_site + path)
        sources = page.eval_on_selector_all(
            "main img", "imgs => imgs.map(i => (i.currentSrc || i.src).replace(/\\.[^/]*$/, '').split('/').pop())"
        )
        originals = [source.split(".")[0] for source in sources]
        doubles = {src for src in originals if originals.count(src) > 1}
        if doubles:
            repeated[name] = sorted(doubles)
    assert repeated == {}


def test_the_audit_sees_serious_violations(page):
    """The checker itself: an unlabelled field and a low-contrast text are reported, offline."""
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><h1>Form</h1><input type="text">'
        '<p style="color:#ccc;background:#fff">faint</p></main></html>'
    )
    found = " ".join(axe_violations(page))
    assert "label" in found and "color-contrast" in found
