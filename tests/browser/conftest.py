"""Browser tests: Playwright's sync API driving Debian's chromium (never a downloaded browser).

The session-scoped ``browser`` fixture is shared by every browser test (site and
shop). Without /usr/bin/chromium the tests skip with the reason, unless
REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.

Every test collected under tests/browser/ gets the ``browser`` marker, so
``pytest -m "not browser"`` leaves them out.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in the main thread, and
# Django refuses ORM calls from a thread with a running loop (SynchronousOnlyOperation).
# The tests' own ORM calls (fixtures, assertions) are ordinary synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
BROWSER_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if BROWSER_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing (install Debian's package: apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"Playwright is not installed ({exc})")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (cookies, storage) per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")`` saves test-artifacts/screenshots/name.png (full page)."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> Path:
        path = SCREENSHOT_DIR / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- Accessibility (axe-core, bundled with axe-playwright-python: no network) and two widths ----------

WIDTHS = ({"width": 390, "height": 844}, {"width": 1280, "height": 900})
FAILING_IMPACTS = ("serious", "critical")


def axe_violations(tab) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe  # imported here: skipped with Playwright

    results = Axe().run(tab)
    return [
        f"{tab.url}: {violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            " ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        for violation in results.response["violations"]
        if violation["impact"] in FAILING_IMPACTS
    ]


@pytest.fixture
def audit(screenshot):
    """``audit(page, "name")``: axe at 390 and 1280 px wide, a screenshot at each; returns the violations.

    The page keeps its URL and session; it ends at the width it started at.
    """

    def run(tab, name: str) -> list[str]:
        found = []
        start = tab.viewport_size
        # Called right after a click that follows a link, the next document may have started but
        # have no <body> yet (CI once read document.body as null): audit the loaded page.
        tab.wait_for_load_state("load")
        for size in WIDTHS:
            tab.set_viewport_size(size)
            # Scroll through once so lazy images load before the full-page screenshot.
            tab.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            tab.wait_for_load_state("networkidle")
            tab.evaluate("window.scrollTo(0, 0)")
            found += axe_violations(tab)
            screenshot(tab, f"{name}-{size['width']}")
        tab.set_viewport_size(start)
        return found

    return run


@pytest.fixture
def demo_site(live_server, settings, tmp_path):
    """The demo content (home/demo/) in the live server, with its pictures served; returns the base URL."""
    from django.core.cache import cache

    from home.demo import loader as demo_loader

    settings.SITE_URL = live_server.url
    settings.STRIPE_STAND_IN_WEBHOOK_URL = live_server.url + "/stripe/webhook/"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ROOT_URLCONF = "tests.browser.urls"
    cache.clear()
    demo_loader.load()
    yield live_server.url
    cache.clear()
