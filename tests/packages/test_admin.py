"""The shop's staff admin: offers are editable, records of money are read-only for everyone."""

from __future__ import annotations

import pytest
from wagtail.test.utils.form_data import rich_text

from packages.models import CreditGrant, GiftCard, Order
from packages.services import GiftDetails

from .conftest import checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(client, shop):
    """One fulfilled series order and one delivered gift card."""
    series_order = make_order(shop.series)
    post_webhook(client, event("checkout.session.completed", checkout_session(series_order)))
    gift_order = make_order(
        shop.gift,
        amount_minor=5000,
        gift=GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam"),
    )
    post_webhook(client, event("checkout.session.completed", checkout_session(gift_order)))
    return series_order, gift_order


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(user)
    return client


def test_superuser_sees_orders_credits_memberships_gift_cards_and_events(admin_client, sold):
    series_order, gift_order = sold
    for url, expected in [
        ("/admin/shop/orders/", series_order.customer.email),
        ("/admin/shop/credits/", "deep tissue"),
        ("/admin/shop/memberships/", "Memberships"),
        ("/admin/shop/gift-cards/", "Ana"),
        ("/admin/shop/stripe-events/", "checkout.session.completed"),
        ("/admin/snippets/packages/sessionseries/", "5 deep tissue sessions"),
        ("/admin/snippets/packages/membershipplan/", "Monthly prevention"),
        ("/admin/snippets/packages/giftcardoffer/", "Gift card"),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert expected.lower() in response.content.decode().lower(), url
    series_order.refresh_from_db()
    inspect = admin_client.get(f"/admin/shop/orders/inspect/{series_order.pk}/")
    assert inspect.status_code == 200
    assert series_order.stripe_checkout_session_id in inspect.content.decode()


def test_gift_card_admin_shows_only_last_four(admin_client, sold):
    card = GiftCard.objects.get()
    page = admin_client.get(f"/admin/shop/gift-cards/inspect/{card.pk}/").content.decode()
    assert card.code_last4 in page
    assert card.code_hash not in page


@pytest.mark.parametrize("prefix", ["orders", "credits", "gift-cards", "memberships", "stripe-events"])
def test_money_records_have_no_add_edit_or_delete_even_for_superusers(admin_client, sold, prefix):
    model = {"orders": Order, "credits": CreditGrant, "gift-cards": GiftCard}.get(prefix)
    assert admin_client.get(f"/admin/shop/{prefix}/new/").status_code in (302, 403)
    if model is not None:
        pk = model.objects.first().pk
        assert admin_client.get(f"/admin/shop/{prefix}/edit/{pk}/").status_code in (302, 403)
        assert admin_client.post(f"/admin/shop/{prefix}/delete/{pk}/").status_code in (302, 403)
        assert model.objects.filter(pk=pk).exists()


def test_manager_edits_an_offer_and_past_orders_keep_their_terms(admin_client, shop, sold):
    series_order, _ = sold
    response = admin_client.post(
        f"/admin/snippets/packages/sessionseries/edit/{shop.series.pk}/",
        {
            "title": "5 deep tissue sessions (new price)",
            "slug": "deep-5",
            "summary": "Five sessions.",
            "description": rich_text("<p>Five sessions, six months.</p>"),
            "active": "on",
            "sort_order": "0",
            "treatment": shop.series.treatment_id,
            "session_minutes": "60",
            "sessions": "5",
            "price_minor": "45000",
            "validity_months": "6",
            "giftable": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    shop.series.refresh_from_db()
    assert shop.series.price_minor == 45000
    line = series_order.lines.get()
    assert (line.name, line.unit_amount_minor) == ("5 deep tissue sessions", 42500)
    assert line.terms["validity_months"] == 6
