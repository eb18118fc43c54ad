"""The Content-Security-Policy and Permissions-Policy the settings install (Django 6.1's CSP).

Public pages and the shop: our own origin only; the few inline <script>/<style> blocks
carry ``{{ csp_nonce }}`` (JSON-LD is data, not script, and needs none). Forms may post
to Stripe Checkout (a POST to us redirects there). Media from another origin (S3, a CDN):
its origin is added to img-src from MEDIA_URL; ``CSP_EXTRA_IMG_SRC`` adds more.

The Wagtail admin: Wagtail 8 still runs inline scripts and styles (chromium reports them
on the explorer and the page editor without 'unsafe-inline'), so those are allowed there
and nothing else is relaxed (no eval, no other origin but Gravatar's avatars). The preview
panel frames our pages, or the headless front end when HEADLESS_PREVIEW_URL is set.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.csp import CSP


def _origin(url: str) -> str | None:
    return "{0.scheme}://{0.netloc}".format(urlsplit(url)) if url and "://" in url else None


def _img_src(media_url: str, extra: list[str]) -> list[str]:
    media = _origin(media_url)
    return [CSP.SELF, "data:", *([media] if media else []), *extra]


def public_policy(media_url: str, *, extra_img_src: list[str]) -> dict[str, list[str]]:
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF, CSP.NONCE],
        "img-src": _img_src(media_url, extra_img_src),
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF, "https://checkout.stripe.com"],
        "frame-ancestors": [CSP.SELF],
    }


def admin_policy(media_url: str, *, extra_img_src: list[str], preview_url: str) -> dict[str, list[str]]:
    preview = _origin(preview_url)
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
        "img-src": [*_img_src(media_url, extra_img_src), "blob:", "www.gravatar.com"],
        "font-src": [CSP.SELF, "data:"],
        "connect-src": [CSP.SELF],
        "frame-src": [CSP.SELF, *([preview] if preview else [])],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.SELF],
    }


# Browser features no page of ours uses, switched off for the page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "browsing-topics",
    )
}
