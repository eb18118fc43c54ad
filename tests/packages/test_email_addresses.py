"""Issue 12, point 3: an email address is one real-looking address, checked by Django's EmailValidator."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from packages import services
from packages.models import GiftCard, Order

from .conftest import checkout_session, make_order, start_checkout

BAD = [
    "a@x.com, b@y.com",  # a list: one order, two inboxes
    "a@x.com;b@y.com",
    "ana@example.com\nBcc: everyone@example.com",  # header injection
    "ana@exa\rmple.com",
    "ana @example.com",
    "ana@example.com\tx",
    "@",
    "ana@",
    "@example.com",
    "ana",
    "ana@example",  # no dot in the domain
    "a" * 250 + "@x.com",  # longer than any address
    "<ana@example.com>",
    "Ana <ana@example.com>",
]
GOOD = ["ana@example.com", "  Ana.Smith+gift@Example.co.uk ", "o'brien@example.ie"]


@pytest.mark.parametrize("value", BAD)
def test_valid_email_refuses(value):
    assert services.valid_email(value) is None


@pytest.mark.parametrize("value", GOOD)
def test_valid_email_accepts_and_normalises(value):
    assert services.valid_email(value) == value.strip().lower()


@given(st.text(max_size=40))
def test_whatever_valid_email_accepts_is_one_address_without_whitespace(value):
    email = services.valid_email(value)
    if email is not None:
        assert email.count("@") >= 1 and not any(ch.isspace() for ch in email)
        assert "," not in email.rpartition("@")[2] and len(email) <= 254


def order_errors(shop, **kwargs) -> dict:
    with pytest.raises(services.ShopValidationError) as caught:
        make_order(shop.gift, amount_minor=5000, checkout=False, **kwargs)
    return caught.value.errors


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["a@x.com, b@y.com", "ana@example.com\nBcc: x@y.com", "@"])
def test_order_create_refuses_a_bad_buyer_or_recipient_address_with_its_own_message(shop, value):
    gift = services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam")
    buyer = order_errors(shop, email=value, gift=gift)
    assert buyer["email"].startswith("Enter a valid email address for your receipt")
    assert "recipient_email" not in buyer
    gift = services.GiftDetails(recipient_name="Ana", recipient_email=value, sender_name="Sam")
    recipient = order_errors(shop, gift=gift)
    assert recipient["recipient_email"].startswith("Enter one valid email address for the recipient")
    assert "email" not in recipient
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_the_api_answers_422_for_a_list_of_addresses(client, shop):
    response = client.post(
        "/api/shop/checkout",
        data=json.dumps(
            {"kind": "series", "slug": "deep-5", "email": "a@x.com, b@y.com", "name": "Maya", "accept_disclaimer": True}
        ),
        content_type="application/json",
    )
    assert response.status_code == 422 and "email" in response.json()["errors"]
    assert not Order.objects.exists()


def paid_card(shop, *, recipient: str = "ana@example.com") -> GiftCard:
    gift = services.GiftDetails(recipient_name="Ana", recipient_email=recipient, sender_name="Sam")
    order = start_checkout(make_order(shop.gift, email="sam@example.com", amount_minor=5000, gift=gift))
    services.order_fulfil(session=checkout_session(order))
    return GiftCard.objects.get(order=order)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["a@x.com, b@y.com", "ana@example.com\nBcc: x@y.com", "@", "ana@"])
def test_resend_refuses_a_bad_corrected_address(shop, value):
    card = paid_card(shop)
    with pytest.raises(services.BalanceError, match="Enter one valid email address"):
        services.gift_card_resend(card_id=card.pk, actor=None, email=value, send_now=True)
    card.refresh_from_db()
    assert card.recipient_email == "ana@example.com"


@pytest.mark.django_db
def test_resend_screen_says_what_is_wrong(client, shop, django_user_model):
    manager = django_user_model.objects.create_user("boss")
    manager.groups.add(Group.objects.get(name="Managers"))
    client.force_login(manager)
    card = paid_card(shop)
    page = client.post(
        f"/admin/front-desk/gift-cards/{card.pk}/resend/", {"email": "a@x.com, b@y.com", "send_now": "on"}, follow=True
    ).content.decode()
    assert "Email: Enter a valid email address." in page
    card.refresh_from_db()
    assert card.recipient_email == "ana@example.com"


@pytest.mark.django_db
def test_one_bad_stored_address_does_not_stop_the_other_deliveries(shop):
    """An address stored before validation was strict (or by hand) fails alone; the others go out."""
    first, broken, last = paid_card(shop), paid_card(shop), paid_card(shop, recipient="cy@example.com")
    GiftCard.objects.filter(pk=broken.pk).update(recipient_email="ben@example.com\nBcc: everyone@example.com")
    mail.outbox.clear()

    run = services.gift_cards_deliver_due()

    assert (run.delivered, run.failed) == (2, [broken.pk])
    statuses = dict(GiftCard.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "active", broken.pk: "scheduled", last.pk: "active"}
    assert GiftCard.objects.get(pk=broken.pk).code_hash is None  # nothing half-issued
    assert {tuple(m.to) for m in mail.outbox} >= {("ana@example.com",), ("cy@example.com",)}
    assert all("everyone@example.com" not in " ".join(m.recipients()) for m in mail.outbox)
