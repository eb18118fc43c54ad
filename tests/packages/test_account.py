"""My account: sign-in by emailed single-use link, the wallet, membership management, sign-out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateformat import format as date_format

from packages import payments, services
from packages.models import CreditGrant, GiftCard, MagicLink, Membership
from packages.storefront import account

from .conftest import EMAIL, cache_keys, checkout_session, make_order, start_checkout

pytestmark = pytest.mark.django_db

OTHER_EMAIL = "lee.other@example.com"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # rate-limit counters must not leak between tests
    yield
    cache.clear()


def paid(order, **session):
    order = start_checkout(order)
    return services.order_fulfil(session=checkout_session(order, **session))


def link_from(message) -> str:
    match = re.search(r"https?://\S+/shop/account/sign-in/[^/\s]+/", message.body)
    assert match, message.body
    return match.group(0)


def sign_in(client, email: str = EMAIL):
    _, token = services.magic_link_issue(email=email)
    response = client.post(f"/shop/account/sign-in/{token}/")
    assert response.status_code == 303
    return response


@pytest.fixture
def maya(shop):
    """A customer with a series, a membership, a delivered gift card and a scheduled one."""
    series = paid(make_order(shop.series))
    membership_order = paid(make_order(shop.plan))
    delivered = paid(
        make_order(
            shop.gift,
            amount_minor=7500,
            gift=services.GiftDetails(
                recipient_name="Ana Recipient", recipient_email="ana@example.com", sender_name="Maya"
            ),
        )
    )
    code = services.gift_card_deliver(card_id=delivered.gift_card.pk, force=True)
    later = timezone.localdate() + timedelta(days=20)
    scheduled = paid(
        make_order(
            shop.series,
            gift=services.GiftDetails(
                recipient_name="Bo Recipient", recipient_email="bo@example.com", sender_name="Maya", delivery_date=later
            ),
        )
    )
    mail.outbox.clear()
    return {
        "series": series,
        "membership": Membership.objects.get(order=membership_order),
        "delivered": GiftCard.objects.get(order=delivered),
        "code": code,
        "scheduled": GiftCard.objects.get(order=scheduled),
        "later": later,
    }


def test_link_is_emailed_and_works_once(client, shop):
    paid(make_order(shop.series))
    response = client.post("/shop/account/", {"email": "  Maya.Buyer@Example.com "})
    assert response.status_code == 302 and response["Location"] == "/shop/account/check-email/"
    assert "a sign-in link is on its way" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL] and "sign-in link" in message.subject
    url = link_from(message)
    assert url in message.alternatives[0].content
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = MagicLink.objects.get()
    assert link.token_hash == services.magic_link_hash(token) and token not in link.token_hash

    # Opening the link only asks to continue (mail scanners fetch links); the POST signs in.
    path = url.removeprefix("http://127.0.0.1:8000")
    assert "Open my account" in client.get(path).content.decode()
    assert "Email me a link" in client.get("/shop/account/").content.decode()
    signed_in = client.post(path)
    assert signed_in.status_code == 303 and signed_in["Location"] == "/shop/account/"
    assert f"Signed in as {EMAIL}" in client.get("/shop/account/").content.decode()

    again = client.post(path)
    assert again.status_code == 400 and "no longer works" in again.content.decode()
    assert client.get(path).status_code == 400


def test_expired_link_is_refused(client, shop):
    paid(make_order(shop.series))
    link, token = services.magic_link_issue(email=EMAIL)
    MagicLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/shop/account/sign-in/{token}/").status_code == 400
    response = client.post(f"/shop/account/sign-in/{token}/")
    assert response.status_code == 400 and "no longer works" in response.content.decode()
    assert account.SESSION_KEY not in client.session


def test_unknown_address_gets_the_same_answer_and_no_email(client, shop):
    paid(make_order(shop.series))
    known = client.post("/shop/account/", {"email": EMAIL})
    unknown = client.post("/shop/account/", {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert MagicLink.objects.filter(email="nobody@example.com").count() == 0


def test_rate_limit_per_email_then_per_ip(client, shop, settings):
    paid(make_order(shop.series))
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "account_email": (2, 900), "account_ip": (4, 3600)}
    for _ in range(2):
        assert client.post("/shop/account/", {"email": EMAIL}).status_code == 302
    limited = client.post("/shop/account/", {"email": EMAIL.upper()})
    assert limited.status_code == 429
    assert "try again in about" in limited.content.decode()
    assert 0 < int(limited["Retry-After"]) <= 900
    assert len(mail.outbox) == 2  # nothing sent once limited

    # Another address from the same client: the per-client limit (4 here) takes over.
    assert client.post("/shop/account/", {"email": "a@example.com"}).status_code == 302  # 4th from this IP
    assert client.post("/shop/account/", {"email": "b@example.com"}).status_code == 429  # 5th
    other_ip = client.post("/shop/account/", {"email": "b@example.com"}, REMOTE_ADDR="10.1.2.3")
    assert other_ip.status_code == 302

    keys = cache_keys()
    assert "maya" not in keys.lower() and "127.0.0.1" not in keys


def test_wallet_shows_sessions_membership_gifts_and_receipts(client, maya):
    sign_in(client)
    body = client.get("/shop/account/").content.decode()
    series_grant = maya["series"].credit_grants.get()
    assert "60-minute deep tissue massage" in body
    assert "5 of 5" in body and date_format(series_grant.expires_at, "F j, Y") in body
    membership = maya["membership"]
    assert "Monthly prevention" in body
    assert f"Next billing date: {date_format(membership.current_period_end, 'F j, Y')}" in body
    assert "Manage membership (test stand-in)" in body
    assert "Ana Recipient" in body and f"code ending {maya['delivered'].code_last4}" in body
    assert maya["code"] not in body and services.format_gift_code(maya["code"]) not in body
    assert "Bo Recipient" in body and f"To be emailed on {date_format(maya['later'], 'F j, Y')}" in body
    assert maya["series"].get_absolute_url() in body  # the receipt page
    assert maya["delivered"].order.get_absolute_url() in body


def test_another_customers_data_never_appears(client, shop, maya):
    lee_order = paid(
        make_order(shop.plan, email=OTHER_EMAIL, name="Lee Other"), subscription="sub_lee", invoice="in_lee"
    )
    lee_gift = paid(
        make_order(
            shop.gift,
            email=OTHER_EMAIL,
            name="Lee Other",
            amount_minor=5000,
            gift=services.GiftDetails(
                recipient_name="Zed Friend", recipient_email="zed@example.com", sender_name="Lee"
            ),
        )
    )
    sign_in(client, OTHER_EMAIL)
    body = client.get("/shop/account/").content.decode()
    assert "Lee Other" in body and lee_order.get_absolute_url() in body
    for foreign in ("Ana Recipient", "Bo Recipient", maya["series"].public_token, EMAIL, "5 of 5"):
        assert foreign not in body
    # Maya's membership cannot be managed from Lee's session, even by guessing its id.
    assert client.get(f"/shop/account/memberships/{maya['membership'].pk}/").status_code == 404
    assert client.post(f"/shop/account/memberships/{maya['membership'].pk}/").status_code == 404
    maya["membership"].refresh_from_db()
    assert not maya["membership"].cancel_at_period_end
    assert "Zed Friend" in body and lee_gift.get_absolute_url() in body


def test_sign_out_and_session_expiry(client, maya, settings):
    sign_in(client)
    assert "Sign out" in client.get("/shop/account/").content.decode()
    out = client.post("/shop/account/sign-out/")
    assert out.status_code == 303
    body = client.get("/shop/account/").content.decode()
    assert "You are signed out." in body and "Email me a link" in body and "5 of 5" not in body

    settings.SHOP_ACCOUNT_SESSION_MINUTES = 0  # the next sign-in is already over
    sign_in(client)
    assert "Email me a link" in client.get("/shop/account/").content.decode()
    assert account.SESSION_KEY not in client.session


def test_stand_in_manage_cancels_at_period_end_through_the_service(client, maya, monkeypatch, deliver_in_process):
    calls = []
    original = services.membership_cancel_at_period_end

    def spy(**kwargs):
        calls.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(services, "membership_cancel", spy)
    sign_in(client)
    membership = maya["membership"]
    # Past the minimum term (three months), a cancellation ends the membership with the paid month.
    Membership.objects.filter(pk=membership.pk).update(created_at=timezone.now() - timedelta(days=120))
    url = f"/shop/account/memberships/{membership.pk}/"
    page = client.get(url).content.decode()
    period_end = date_format(membership.current_period_end, "F j, Y")
    assert "Test stand-in for Stripe" in page and f"Cancel: end on {period_end}" in page

    response = client.post(url, {"action": "cancel"})
    assert response.status_code == 303
    assert calls == [{"membership_id": membership.pk, "actor": None}]
    membership.refresh_from_db()
    assert membership.cancel_at_period_end and membership.status == Membership.Status.ACTIVE
    assert ("customer.subscription.updated", 200) in deliver_in_process
    body = client.get("/shop/account/").content.decode()
    assert f"ends on {period_end}" in body
    assert "Next billing date" not in body


def test_inside_the_minimum_term_a_cancellation_ends_at_its_end_and_says_so_first(client, maya, deliver_in_process):
    sign_in(client)
    membership = maya["membership"]  # bought today; a three-month minimum term
    term_end = services.membership_cancel_date(membership)
    assert term_end > membership.current_period_end
    page = client.get(f"/shop/account/memberships/{membership.pk}/").content.decode()
    assert "minimum term" in page and f"Cancel: end on {date_format(term_end, 'F j, Y')}" in page
    client.post(f"/shop/account/memberships/{membership.pk}/", {"action": "cancel"})
    membership.refresh_from_db()
    assert not membership.cancel_at_period_end
    assert abs((membership.cancel_at - term_end).total_seconds()) < 2 and membership.ends_at == membership.cancel_at
    assert f"ends on {date_format(term_end, 'F j, Y')}" in client.get("/shop/account/").content.decode()


def test_a_manager_may_end_a_membership_inside_its_minimum_term_with_a_reason(maya, deliver_in_process):
    membership = services.membership_cancel(
        membership_id=maya["membership"].pk, actor=None, override_reason="Moved to another city"
    )
    assert membership.cancel_at_period_end and membership.ends_at == membership.current_period_end


def test_real_mode_manage_opens_the_billing_portal(client, maya, monkeypatch):
    class FakeGateway:
        offline = False
        calls: list = []

        def create_portal_session(self, *, customer_id, return_url):
            self.calls.append((customer_id, return_url))
            return "https://billing.stripe.com/p/session/test_123"

    monkeypatch.setattr(payments, "get_gateway", FakeGateway)
    sign_in(client)
    body = client.get("/shop/account/").content.decode()
    assert "Manage membership" in body and "test stand-in" not in body
    membership = maya["membership"]
    response = client.post(f"/shop/account/memberships/{membership.pk}/", {"action": "portal"})
    assert response.status_code == 303 and response["Location"] == "https://billing.stripe.com/p/session/test_123"
    assert FakeGateway.calls == [(membership.customer.stripe_customer_id, "http://127.0.0.1:8000/shop/account/")]
    assert membership.customer.stripe_customer_id  # set at fulfilment from the Checkout Session


def test_a_recipient_sees_the_gift_card_they_received_with_its_balance_and_history(client, maya, django_user_model):
    card = maya["delivered"]
    desk = django_user_model.objects.create_user("d")
    services.gift_card_redeem(card_id=card.pk, amount_minor=2500, actor=desk, code=maya["code"])
    services.customer_get_or_create(email="ana@example.com", name="Ana Recipient")
    sign_in(client, "ana@example.com")
    body = client.get("/shop/account/").content.decode()
    assert "Gift cards you received" in body
    assert f"$75 gift card from Maya, code ending {card.code_last4}" in body
    assert "$50 left" in body and "−$25" in body and "+$75" in body
    # The buyer sees it among the gifts they gave, not as received.
    client.post("/shop/account/sign-out/")
    sign_in(client)
    assert "Gift cards you received" not in client.get("/shop/account/").content.decode()


def test_a_member_pauses_and_no_month_is_granted_while_paused(client, maya, deliver_in_process):
    sign_in(client)
    membership = maya["membership"]
    page = client.get(f"/shop/account/memberships/{membership.pk}/").content.decode()
    assert "Pause for" in page and '<option value="3">3 months</option>' in page
    refused = client.post(
        f"/shop/account/memberships/{membership.pk}/", {"action": "pause", "months": "4"}, follow=True
    )
    assert "Pause for 1 to 3 months." in refused.content.decode()
    client.post(f"/shop/account/memberships/{membership.pk}/", {"action": "pause", "months": "2"})
    membership.refresh_from_db()
    assert ("customer.subscription.updated", 200) in deliver_in_process
    resumes = services.add_months(membership.current_period_end, 2)
    assert abs((membership.paused_until - resumes).total_seconds()) < 2
    assert (
        f"Paused until {date_format(membership.paused_until, 'F j, Y')}"
        in client.get("/shop/account/").content.decode()
    )
    # A renewal inside the pause (Stripe voids it; one paid anyway) grants nothing.
    grants = CreditGrant.objects.filter(membership=membership).count()
    services.membership_invoice_paid(
        invoice={
            "id": "in_1DuringPause01",
            "billing_reason": "subscription_cycle",
            "parent": {"subscription_details": {"subscription": membership.stripe_subscription_id}},
            "lines": {
                "data": [
                    {
                        "parent": {"type": "subscription_item_details", "subscription_item_details": {}},
                        "period": {
                            "start": int(membership.current_period_end.timestamp()) + 60,
                            "end": int(membership.current_period_end.timestamp()) + 31 * 86400,
                        },
                    }
                ]
            },
            "status": "paid",
        }
    )
    assert CreditGrant.objects.filter(membership=membership).count() == grants
