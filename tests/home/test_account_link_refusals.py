"""The sign-in link page tells a malformed link (cut by an email program) from an expired or used one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from packages import services
from packages.models import MagicLink
from tests.packages.conftest import EMAIL, build_shop, checkout_session, make_order


@pytest.fixture(autouse=True)
def customer(site_tree):
    cache.clear()
    services.order_fulfil(session=checkout_session(make_order(build_shop(site_tree).series)))
    yield
    cache.clear()


def test_a_cut_link_is_called_incomplete(client):
    _, token = services.magic_link_issue(email=EMAIL)
    for broken in (token[:30], token + "=", token[:-1] + "%"):
        page = client.get(f"/shop/account/sign-in/{broken}/").content.decode()
        assert "This sign-in link is incomplete" in page, broken
        assert "no longer works" not in page


def test_an_expired_link_is_called_expired(client):
    link, token = services.magic_link_issue(email=EMAIL)
    MagicLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    for method in (client.get, client.post):
        page = method(f"/shop/account/sign-in/{token}/").content.decode()
        assert "This sign-in link no longer works" in page and "incomplete" not in page
