"""Every staff URL, requested directly by every role: permissions hold without the menus.

Past Wagtail advisories were exactly such direct-URL bypasses, so each URL is
fetched as each role rather than trusting what the menu shows.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from packages.models import CreditGrant, GiftCard, Order

from .conftest import checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "Editors", "Front desk", "Managers"]


@pytest.fixture
def records(client, shop):
    order = make_order(shop.series)
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    from packages.services import GiftDetails

    gift = make_order(
        shop.gift,
        amount_minor=5000,
        gift=GiftDetails(recipient_name="A", recipient_email="a@example.com", sender_name="S"),
    )
    post_webhook(client, event("checkout.session.completed", checkout_session(gift)))
    return {
        "order": Order.objects.get(pk=order.pk),
        "customer": order.customer,
        "grant": CreditGrant.objects.get(),
        "card": GiftCard.objects.get(),
        "code": next(
            re.search(r"Your gift code: (\S+)", m.body).group(1) for m in mail.outbox if "gift code:" in m.body
        ),
        "series": shop.series,
    }


def urls(r) -> dict[str, set[str]]:
    """URL → roles allowed to GET it."""
    everyone_staff = {"Front desk", "Managers"}
    return {
        "/admin/front-desk/": everyone_staff,
        f"/admin/front-desk/customers/{r['customer'].pk}/": everyone_staff,
        f"/admin/front-desk/gift-cards/{r['card'].pk}/": everyone_staff,
        f"/admin/front-desk/orders/{r['order'].pk}/refund/": {"Managers"},
        f"/admin/front-desk/customers/{r['customer'].pk}/forget/": {"Managers"},
        "/admin/shop/orders/": {"Managers"},
        f"/admin/shop/orders/inspect/{r['order'].pk}/": {"Managers"},
        "/admin/shop/credits/": everyone_staff,
        "/admin/shop/gift-cards/": everyone_staff,
        "/admin/shop/memberships/": everyone_staff,
        "/admin/shop/stripe-events/": {"Managers"},
        "/admin/snippets/packages/sessionseries/": {"Managers"},
        f"/admin/snippets/packages/sessionseries/edit/{r['series'].pk}/": {"Managers"},
        "/admin/snippets/packages/sessionseries/add/": {"Managers"},
        "/admin/snippets/packages/giftcardoffer/": {"Managers"},
        "/admin/snippets/packages/membershipplan/": {"Managers"},
    }


def login(client, django_user_model, role):
    if role == "anonymous":
        return
    user = django_user_model.objects.create_user(role.replace(" ", "-").lower(), password="pw-123456789")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_exactly_its_urls(client, django_user_model, records, role):
    login(client, django_user_model, role)
    for url, allowed in urls(records).items():
        response = client.get(url)
        if role in allowed:
            assert response.status_code == 200, (role, url, response.status_code)
        else:
            assert response.status_code in (302, 403), (role, url, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith(("/admin/login/", "/admin/")), (role, url)
                assert response["Location"] != url


POST_ACTIONS = [
    (
        "redeem_session",
        lambda r: (f"/admin/front-desk/customers/{r['customer'].pk}/redeem/", {"confirm": "yes"}),
        {"Front desk", "Managers"},
    ),
    (
        "redeem_gift_card",
        lambda r: (
            f"/admin/front-desk/gift-cards/{r['card'].pk}/redeem/",
            {"amount": "1", "code": r["code"], "confirm": "yes"},
        ),
        {"Front desk", "Managers"},
    ),
    (
        "adjust_credit",
        lambda r: (f"/admin/front-desk/credits/{r['grant'].pk}/adjust/", {"delta": "1", "reason": "x"}),
        {"Managers"},
    ),
    ("void_gift_card", lambda r: (f"/admin/front-desk/gift-cards/{r['card'].pk}/void/", {"reason": "x"}), {"Managers"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", POST_ACTIONS, ids=[a[0] for a in POST_ACTIONS])
def test_balance_changing_posts_obey_roles(client, django_user_model, records, role, action):
    name, make, allowed = action
    login(client, django_user_model, role)
    url, data = make(records)
    grant, card = records["grant"], records["card"]
    client.post(url, data)
    grant.refresh_from_db(), card.refresh_from_db()
    changed = grant.balance != 5 or card.balance_minor != 5000 or card.status != "active"
    assert changed == (role in allowed), (name, role)
