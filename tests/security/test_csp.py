"""Issue 12, item 6: a Content-Security-Policy on every page, and a Permissions-Policy.

Public pages and the shop get the strict policy (our origin only, nonces for the few
inline scripts); the Wagtail admin its own, which allows the inline code Wagtail 8
needs and nothing else. tests/browser/test_csp.py loads the pages in
chromium and fails on any CSP violation.
"""

from __future__ import annotations

import pytest

from tests.packages.conftest import build_shop

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_public_pages_have_the_strict_policy(client, site_tree):
    for url in ("/", site_tree.sciatica_article.url, "/search/?q=back", "/shop/", "/nowhere/"):
        response = client.get(url)
        policy = directives(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in policy["script-src"], url
        assert "'unsafe-inline'" not in policy["style-src"], url
        assert policy["object-src"] == ["'none'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_inline_script_on_the_offer_page_carries_the_nonce(client, site_tree):
    shop = build_shop(site_tree)
    response = client.get(f"/shop/series/{shop.series.slug}/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    nonce = next(value for value in policy["script-src"] if value.startswith("'nonce-"))[7:-1]
    html = response.content.decode()
    assert f'<script nonce="{nonce}">' in html
    assert "onclick=" not in html


def test_admin_has_its_own_policy(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(username="boss", email="boss@example.com"))
    response = client.get("/admin/")
    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in policy["script-src"]  # what Wagtail 8 still needs…
    assert policy["object-src"] == ["'none'"]  # …and no more
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "Permissions-Policy" in response


def test_server_error_page_keeps_its_inline_styles(rf):
    from django.urls import get_resolver

    from site.security import ContentSecurityPolicyMiddleware

    handler = get_resolver().resolve_error_handler(500)
    response = ContentSecurityPolicyMiddleware(handler)(rf.get("/"))
    assert response.status_code == 500
    policy = directives(response["Content-Security-Policy"])
    assert policy["style-src"] == ["'unsafe-inline'"]  # templates/500.html is self-contained
    assert policy["default-src"] == ["'none'"]  # and nothing else loads
