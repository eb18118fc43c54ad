"""The whole purchase path with the offline stand-in: form → stand-in Pay → signed webhooks → fulfilment."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import timezone

from packages.models import CreditGrant, GiftCard, Membership, Order, StandInCheckoutSession, StripeEvent
from packages.services import gift_code_hash

from .conftest import EMAIL

pytestmark = pytest.mark.django_db


def buy(client, offer, data):
    url = offer.get_absolute_url()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get(customer__email=data["email"].lower())
    stand_in = StandInCheckoutSession.objects.get(order=order)
    assert response["Location"].endswith(f"/shop/stand-in/checkout/{stand_in.session_id}/")
    return order, stand_in


def test_series_purchase_end_to_end(client, shop, deliver_in_process):
    page = client.get(shop.series.get_absolute_url())
    assert page.status_code == 200
    assert "You save $50" in page.content.decode()  # 5 × $95 − $425

    order, stand_in = buy(
        client, shop.series, {"name": "Maya Buyer", "email": "Maya.Buyer@Example.com", "accept_disclaimer": "on"}
    )
    assert order.status == Order.Status.PENDING
    assert order.disclaimer_version == "1" and order.disclaimer_accepted_at is not None

    hosted = client.get(f"/shop/stand-in/checkout/{stand_in.session_id}/")
    assert "Test stand-in for Stripe Checkout" in hosted.content.decode()
    assert "$425" in hosted.content.decode()

    paid = client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})
    assert paid.status_code == 302
    assert deliver_in_process == [("checkout.session.completed", 200)]

    success = client.get(paid["Location"])
    body = success.content.decode()
    assert "Thank you" in body
    assert "5 × 60-minute deep tissue massage sessions are ready to book" in body

    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    grant = CreditGrant.objects.get(order=order)
    assert (grant.balance, grant.sessions_granted, grant.session_minutes) == (5, 5, 60)
    assert grant.customer.email == "maya.buyer@example.com"
    assert grant.expires_at.date() > timezone.now().date().replace(year=timezone.now().year)
    receipt = [m for m in mail.outbox if m.to == ["maya.buyer@example.com"]]
    assert len(receipt) == 1 and "receipt" in receipt[0].subject.lower()
    assert "$425" in receipt[0].body
    assert receipt[0].alternatives[0].mimetype == "text/html"


def test_gift_card_purchase_delivers_code_only_to_recipient(client, shop, deliver_in_process):
    order, stand_in = buy(
        client,
        shop.gift,
        {
            "name": "Sam Giver",
            "email": "sam@example.com",
            "amount": "75",
            "recipient_name": "Ana",
            "recipient_email": "ana@example.com",
            "sender_name": "Sam",
            "message": "Happy birthday — rest that back!",
            "delivery_date": timezone.localdate().isoformat(),
        },
    )
    assert order.amount_total_minor == 7500
    client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})

    card = GiftCard.objects.get(order=order)
    assert card.status == GiftCard.Status.ACTIVE
    assert (card.balance_minor, card.initial_amount_minor) == (7500, 7500)
    assert card.entries.get().delta_minor == 7500

    to_recipient = [m for m in mail.outbox if m.to == ["ana@example.com"]]
    assert len(to_recipient) == 1
    text = to_recipient[0].body
    code_line = next(line for line in text.splitlines() if line.startswith("Your gift code:"))
    code = code_line.split(":", 1)[1].strip()
    assert len(code.replace("-", "")) == 16
    assert gift_code_hash(code) == card.code_hash
    assert code.replace("-", "")[-4:] == card.code_last4
    assert "Happy birthday" in text
    # The purchaser never sees the code: not in the receipt, not in the delivery notice.
    to_buyer = [m for m in mail.outbox if m.to == ["sam@example.com"]]
    assert len(to_buyer) == 2
    for message in to_buyer:
        assert code not in message.body and code.replace("-", "") not in message.body
        assert code not in message.alternatives[0].content
    assert any(card.code_last4 in m.body for m in to_buyer)


def test_scheduled_gift_is_not_sent_before_its_date(client, shop, deliver_in_process):
    later = timezone.localdate() + timezone.timedelta(days=10)
    order, stand_in = buy(
        client,
        shop.gift,
        {
            "name": "Sam",
            "email": "sam@example.com",
            "amount": "50",
            "recipient_name": "Ana",
            "recipient_email": "ana@example.com",
            "sender_name": "Sam",
            "delivery_date": later.isoformat(),
        },
    )
    client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})
    card = GiftCard.objects.get(order=order)
    assert card.status == GiftCard.Status.SCHEDULED and card.code_hash is None
    assert not [m for m in mail.outbox if m.to == ["ana@example.com"]]
    success = client.get(f"/shop/orders/{order.public_token}/")
    assert f"on {later:%B %-d, %Y}" in success.content.decode()


def test_gifted_series_grants_sessions_to_the_recipient(client, shop, deliver_in_process):
    order, stand_in = buy(
        client,
        shop.series,
        {
            "name": "Sam",
            "email": "sam@example.com",
            "is_gift": "on",
            "recipient_name": "Ana",
            "recipient_email": "Ana@Example.com",
            "sender_name": "Sam",
        },
    )
    assert order.disclaimer_accepted_at is None  # the recipient confirms at the first visit
    client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})
    grant = CreditGrant.objects.get(order=order)
    assert grant.customer.email == "ana@example.com" and grant.source == CreditGrant.Source.GIFT
    card = GiftCard.objects.get(order=order)
    assert card.kind == GiftCard.Kind.SERIES and card.grant == grant and card.status == GiftCard.Status.ACTIVE
    assert [m for m in mail.outbox if m.to == ["ana@example.com"]]


def test_membership_purchase_creates_membership_and_first_month_once(client, shop, deliver_in_process):
    order, stand_in = buy(client, shop.plan, {"name": "Maya", "email": EMAIL, "accept_disclaimer": "on"})
    assert stand_in.params["mode"] == "subscription"
    client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})
    assert deliver_in_process == [("checkout.session.completed", 200), ("invoice.paid", 200)]
    membership = Membership.objects.get(order=order)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.current_period_end is not None
    grants = CreditGrant.objects.filter(membership=membership)
    assert grants.count() == 1 and grants.get().balance == 1
    assert {m.subject for m in mail.outbox if m.to == [EMAIL]} >= {"Welcome to your Runway Massage Studio membership"}


def test_validation_errors_keep_input_and_create_nothing(client, shop):
    response = client.post(shop.series.get_absolute_url(), {"name": "", "email": "not-an-email"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter your name" in body or "This field is required" in body
    assert "Enter a valid email address" in body
    assert Order.objects.count() == 0
    missing_disclaimer = client.post(shop.series.get_absolute_url(), {"name": "Maya", "email": EMAIL})
    assert missing_disclaimer.status_code == 400
    assert "consulted a doctor" in missing_disclaimer.content.decode()
    assert 'value="Maya"' in missing_disclaimer.content.decode()
    assert Order.objects.count() == 0


def test_gift_card_amount_outside_limits_is_refused(client, shop):
    response = client.post(
        shop.gift.get_absolute_url(),
        {
            "name": "Sam",
            "email": "sam@example.com",
            "amount": "900",
            "recipient_name": "Ana",
            "recipient_email": "ana@example.com",
            "sender_name": "Sam",
        },
    )
    assert response.status_code == 400
    assert "between $25 and $500" in response.content.decode()
    assert Order.objects.count() == 0


def test_decline_and_cancel_leave_the_order_pending(client, shop, deliver_in_process):
    order, stand_in = buy(client, shop.series, {"name": "Maya", "email": EMAIL, "accept_disclaimer": "on"})
    declined = client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "decline"})
    assert declined.status_code == 402 and "declined" in declined.content.decode()
    cancelled = client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "cancel"})
    assert cancelled["Location"].endswith(f"/shop/orders/{order.public_token}/cancelled/")
    page = client.get(cancelled["Location"])
    assert "Try again" in page.content.decode()
    retry = client.post(cancelled["Location"])
    assert retry["Location"].endswith(f"/shop/stand-in/checkout/{stand_in.session_id}/")
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and deliver_in_process == []


def test_success_page_fulfils_when_the_webhook_never_came(client, shop, monkeypatch):
    from packages import payments

    monkeypatch.setattr(payments.stand_in, "post_event", lambda evt: 503)  # webhook endpoint unreachable
    order, stand_in = buy(client, shop.series, {"name": "Maya", "email": EMAIL, "accept_disclaimer": "on"})
    client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})
    order.refresh_from_db()
    assert order.fulfilled_at is None
    before = client.get(f"/shop/orders/{order.public_token}/")
    assert "Payment processing" in before.content.decode()
    success = client.get(f"/shop/orders/{order.public_token}/?session_id={stand_in.session_id}")
    assert "Thank you" in success.content.decode()
    assert CreditGrant.objects.filter(order=order).count() == 1
    # Later the webhook arrives after all: nothing more happens.
    assert StripeEvent.objects.count() == 0


def test_stand_in_refuses_to_run_with_a_real_key(client, shop, settings):
    order, stand_in = buy(client, shop.series, {"name": "Maya", "email": EMAIL, "accept_disclaimer": "on"})
    settings.STRIPE_OFFLINE = False
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    assert client.get(f"/shop/stand-in/checkout/{stand_in.session_id}/").status_code == 404
    from packages.payments import StandInGateway

    with pytest.raises(RuntimeError):
        StandInGateway(webhook_secret="whsec_x")


def test_gifted_series_follows_the_gift_card_expiry_policy(client, shop, deliver_in_process, settings):
    order, stand_in = buy(
        client,
        shop.series,
        {
            "name": "Sam",
            "email": "sam@example.com",
            "is_gift": "on",
            "recipient_name": "Ana",
            "recipient_email": "ana@example.com",
            "sender_name": "Sam",
        },
    )
    assert order.lines.get().terms_text.endswith("given as a gift: they do not expire.")
    client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})
    assert CreditGrant.objects.get(order=order).expires_at is None  # not the series' 6 months

    settings.GIFT_CARD_EXPIRY_YEARS = 5
    order, stand_in = buy(
        client,
        shop.series,
        {
            "name": "Bo",
            "email": "bo@example.com",
            "is_gift": "on",
            "recipient_name": "Cy",
            "recipient_email": "cy@example.com",
            "sender_name": "Bo",
        },
    )
    client.post(f"/shop/stand-in/checkout/{stand_in.session_id}/", {"action": "pay"})
    expires = CreditGrant.objects.get(order=order).expires_at
    assert expires.year - timezone.now().year == 5
