"""The brand in a real browser, under the strict CSP: the logo draws, the self-hosted typeface loads."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

STATIC = Path(__file__).resolve().parents[2] / "static"


def test_the_typeface_is_vendored_with_its_licence():
    fonts = STATIC / "fonts"
    assert (fonts / "fraunces-latin-wght-normal.woff2").read_bytes()[:4] == b"wOF2"
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts / "OFL-Fraunces.txt").read_text()
    css = (STATIC / "css" / "site.css").read_text()
    assert 'url("../fonts/fraunces-latin-wght-normal.woff2")' in css


def test_logo_and_headings_font_load_from_our_own_origin(demo_site, page):
    blocked = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.goto(demo_site + "/")
    logo = page.locator("img.site-brand__logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth > 0")
    loaded = page.evaluate(
        "async () => { await document.fonts.ready; await document.fonts.load('500 2rem Fraunces');"
        " return [...document.fonts].some(f => f.family.replace(/\"/g, '') === 'Fraunces' && f.status === 'loaded'); }"
    )
    assert loaded
    assert page.locator("h1").evaluate("h => getComputedStyle(h).fontFamily").startswith(("Fraunces", '"Fraunces"'))
    assert blocked == []
