"""The policies hold in a real browser: chromium reports no CSP violation on public, shop and admin pages.

Issue 12, item 6 (with tests/security/test_csp.py). Here, next to the other browser tests,
so it shares their one chromium (a second Playwright in the same process fails).
"""

from __future__ import annotations

import pytest

from tests.packages.conftest import build_shop

pytestmark = pytest.mark.django_db(transaction=True)


def watch_violations(tab) -> list[str]:
    violations: list[str] = []
    tab.on(
        "console",
        lambda message: (
            violations.append(f"{tab.url}: {message.text}")
            if "Content Security Policy" in message.text or "Permissions-Policy" in message.text
            else None
        ),
    )
    return violations


def test_public_and_shop_pages_load_without_violations(live_server, site_tree, page):
    shop = build_shop(site_tree)
    violations = watch_violations(page)
    for url in (
        "/",
        site_tree.deep_tissue.url,
        site_tree.sciatica_article.url,
        "/search/?q=sciatica",
        "/shop/",
        f"/shop/series/{shop.series.slug}/",
        f"/shop/gift-cards/{shop.gift.slug}/",
        "/shop/gift-cards/balance/",
        "/shop/gift-cards/print/",
        "/no-such-page/",
    ):
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
    assert violations == [], "\n".join(violations)


def test_admin_pages_load_without_violations(live_server, site_tree, page, django_user_model):
    django_user_model.objects.create_superuser(username="boss", email="boss@example.com", password="a-long-password-1")
    violations = watch_violations(page)
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "boss")
    page.fill("#id_password", "a-long-password-1")
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")
    for url in (
        "/admin/",
        f"/admin/pages/{site_tree.home.pk}/",
        f"/admin/pages/{site_tree.sciatica_article.pk}/edit/",
        "/admin/images/",
        "/admin/snippets/",
        "/admin/staff/sign-in-attempts/",
        "/admin/reports/site-history/",
    ):
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
    assert violations == [], "\n".join(violations)
