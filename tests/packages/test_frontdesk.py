"""Front desk and manager screens: find, redeem with confirmation, adjust, void, resend, refund, cancel."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from packages.models import CreditGrant, GiftCard, Membership, Order, OrderRefund
from packages.services import GiftDetails

from .conftest import EMAIL, checkout_session, event, invoice, make_order, post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_series(client, shop):
    order = make_order(shop.series)
    assert post_webhook(client, event("checkout.session.completed", checkout_session(order))).status_code == 200
    order.refresh_from_db()
    return order


@pytest.fixture
def paid_card(client, shop):
    order = make_order(
        shop.gift,
        amount_minor=10000,
        gift=GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam"),
    )
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    order.refresh_from_db()
    code = next(re.search(r"Your gift code: (\S+)", m.body).group(1) for m in mail.outbox if "gift code:" in m.body)
    return order, code


def test_front_desk_finds_customer_and_card_by_code(desk, paid_series, paid_card):
    found = desk.get("/admin/front-desk/?q=maya")
    assert found.status_code == 200 and EMAIL in found.content.decode()
    _, code = paid_card
    typed = code.lower().replace("-", " ")
    by_code = desk.post("/admin/front-desk/", {"q": typed}).content.decode()
    card = GiftCard.objects.get()
    assert f"Gift card ending {card.code_last4}" in by_code
    assert code not in by_code and card.code_hash not in by_code
    unknown = desk.post("/admin/front-desk/", {"q": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "No gift card has that code" in unknown


def test_redeem_session_asks_for_confirmation_then_redeems_and_emails(desk, paid_series):
    customer = paid_series.customer
    url = f"/admin/front-desk/customers/{customer.pk}/redeem/"
    confirm = desk.post(url, {"grant": "", "note": "Room 2"})
    assert confirm.status_code == 200 and "Yes, redeem one session" in confirm.content.decode()
    assert CreditGrant.objects.get().balance == 5  # nothing happens before confirmation
    mail.outbox.clear()
    done = desk.post(url, {"grant": "", "note": "Room 2", "confirm": "yes"}, follow=True)
    assert "4 left on this deep tissue massage series" in done.content.decode()
    grant = CreditGrant.objects.get()
    assert grant.balance == 4
    entry = grant.entries.latest("pk")
    assert (entry.kind, entry.delta, entry.reason, entry.actor.username) == ("redeem", -1, "Room 2", "front-desk")
    assert len(mail.outbox) == 1 and "4 left" in mail.outbox[0].subject


def test_redeem_picks_the_series_that_expires_first_unless_staff_choose(desk, client, shop, paid_series):
    later = make_order(shop.series)
    post_webhook(client, event("checkout.session.completed", checkout_session(later)))
    first, second = CreditGrant.objects.order_by("pk")
    CreditGrant.objects.filter(pk=second.pk).update(expires_at=timezone.now() + timedelta(days=30))
    url = f"/admin/front-desk/customers/{paid_series.customer.pk}/redeem/"
    desk.post(url, {"grant": "", "confirm": "yes"})
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.balance, second.balance) == (5, 4)
    desk.post(url, {"grant": str(first.pk), "confirm": "yes"})
    first.refresh_from_db()
    assert first.balance == 4


def test_clear_messages_for_expired_and_used_up_sessions(desk, paid_series):
    grant = CreditGrant.objects.get()
    url = f"/admin/front-desk/customers/{paid_series.customer.pk}/redeem/"
    CreditGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(days=1))
    expired = desk.post(url, {"grant": "", "confirm": "yes"}, follow=True).content.decode()
    assert "expired" in expired
    CreditGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(days=1))
    for _ in range(5):
        desk.post(url, {"grant": "", "confirm": "yes"})
    used_up = desk.post(url, {"grant": "", "confirm": "yes"}, follow=True).content.decode()
    assert "no sessions left" in used_up
    assert CreditGrant.objects.get().balance == 0


def test_redeem_gift_card_amount_partial_and_too_much(desk, paid_card):
    card = GiftCard.objects.get()
    url = f"/admin/front-desk/gift-cards/{card.pk}/redeem/"
    confirm = desk.post(url, {"amount": "45.00"})
    assert "Take $45 from the card ending" in confirm.content.decode()
    mail.outbox.clear()
    _, code = paid_card
    done = desk.post(url, {"amount": "45.00", "code": code, "confirm": "yes"}, follow=True).content.decode()
    assert "$55 left" in done
    card.refresh_from_db()
    assert card.balance_minor == 5500
    assert mail.outbox[0].to == ["ana@example.com"] and "$55 left" in mail.outbox[0].subject
    too_much = desk.post(url, {"amount": "60", "code": code, "confirm": "yes"}, follow=True).content.decode()
    assert "Only $55 is left on this card" in too_much
    bad = desk.post(url, {"amount": "lots", "confirm": "yes"}, follow=True).content.decode()
    assert "Enter the amount to take" in bad
    card.refresh_from_db()
    assert card.balance_minor == 5500


def test_front_desk_cannot_adjust_void_refund_or_resend(desk, paid_series, paid_card):
    grant = CreditGrant.objects.get()
    card = GiftCard.objects.get()
    for url, data in [
        (f"/admin/front-desk/credits/{grant.pk}/adjust/", {"delta": "5", "reason": "x"}),
        (f"/admin/front-desk/credits/{grant.pk}/extend/", {"expires_on": "2040-01-01", "reason": "x"}),
        (f"/admin/front-desk/gift-cards/{card.pk}/adjust/", {"delta": "50", "reason": "x"}),
        (f"/admin/front-desk/gift-cards/{card.pk}/void/", {"reason": "x"}),
        (f"/admin/front-desk/gift-cards/{card.pk}/resend/", {"send_now": "on"}),
        (f"/admin/front-desk/orders/{paid_series.pk}/refund/", {"amount": "10", "reason": "x"}),
    ]:
        response = desk.post(url, data)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    grant.refresh_from_db(), card.refresh_from_db()
    assert (grant.balance, card.balance_minor, card.status) == (5, 10000, "active")
    assert not OrderRefund.objects.exists()


def test_manager_adjusts_extends_voids_and_needs_a_reason(manager, paid_series, paid_card):
    grant = CreditGrant.objects.get()
    no_reason = manager.post(f"/admin/front-desk/credits/{grant.pk}/adjust/", {"delta": "2"}, follow=True)
    assert "Reason: This field is required" in no_reason.content.decode()
    manager.post(f"/admin/front-desk/credits/{grant.pk}/adjust/", {"delta": "2", "reason": "Goodwill"})
    too_far = manager.post(
        f"/admin/front-desk/credits/{grant.pk}/adjust/", {"delta": "-50", "reason": "typo"}, follow=True
    )
    assert "cannot remove 50" in too_far.content.decode()
    new_expiry = (timezone.localdate() + timedelta(days=400)).isoformat()
    manager.post(f"/admin/front-desk/credits/{grant.pk}/extend/", {"expires_on": new_expiry, "reason": "Injury"})
    grant.refresh_from_db()
    assert grant.balance == 7 and grant.expires_at.date().isoformat() == new_expiry
    assert grant.balance == sum(e.delta for e in grant.entries.all())

    card = GiftCard.objects.get()
    manager.post(f"/admin/front-desk/gift-cards/{card.pk}/void/", {"reason": "Reported stolen"})
    card.refresh_from_db()
    assert card.status == "voided" and card.balance_minor == 0
    assert card.balance_minor == sum(e.delta_minor for e in card.entries.all())


def test_manager_resend_issues_a_new_code_to_a_corrected_address(manager, paid_card):
    _, old_code = paid_card
    card = GiftCard.objects.get()
    mail.outbox.clear()
    manager.post(f"/admin/front-desk/gift-cards/{card.pk}/resend/", {"email": "ana.new@example.com", "send_now": "on"})
    card.refresh_from_db()
    assert card.recipient_email == "ana.new@example.com" and card.status == "active"
    sent = [m for m in mail.outbox if m.to == ["ana.new@example.com"]]
    new_code = re.search(r"Your gift code: (\S+)", sent[0].body).group(1)
    assert new_code != old_code
    from packages.services import gift_card_find

    assert gift_card_find(code=old_code) is None and gift_card_find(code=new_code) == card


def test_manager_refunds_part_of_a_series_through_the_stand_in(manager, client, paid_series, deliver_in_process):
    inspect = manager.get(f"/admin/shop/orders/inspect/{paid_series.pk}/").content.decode()
    assert f'href="/admin/front-desk/orders/{paid_series.pk}/refund/"' in inspect
    page = manager.get(f"/admin/front-desk/orders/{paid_series.pk}/refund/")
    assert page.status_code == 200
    # $425 for 5 sessions: refunding $170 takes back two unused sessions; the form says so first.
    preview = manager.post(f"/admin/front-desk/orders/{paid_series.pk}/refund/", {"amount": "170", "reason": "Moving"})
    assert "<strong>2</strong> of 5 unused sessions" in preview.content.decode() and not OrderRefund.objects.exists()
    fewer = manager.post(
        f"/admin/front-desk/orders/{paid_series.pk}/refund/", {"amount": "170", "sessions": "1", "reason": "Moving"}
    )
    assert "<strong>1</strong> of 5 unused sessions" in fewer.content.decode()
    manager.post(
        f"/admin/front-desk/orders/{paid_series.pk}/refund/",
        {"amount": "170", "reason": "Moving away", "confirm": "yes"},
    )
    assert deliver_in_process == [("charge.refunded", 200)]
    refund = OrderRefund.objects.get()
    assert refund.applied_at is not None and refund.sessions_revoked == 2
    paid_series.refresh_from_db()
    assert paid_series.status == Order.Status.PARTIALLY_REFUNDED and paid_series.amount_refunded_minor == 17000
    grant = CreditGrant.objects.get()
    assert grant.balance == 3 and grant.balance == sum(e.delta for e in grant.entries.all())
    too_much = manager.post(
        f"/admin/front-desk/orders/{paid_series.pk}/refund/",
        {"amount": "300", "reason": "x", "confirm": "yes"},
        follow=True,
    )
    assert "Enter an amount between 0.01 and $255" in too_much.content.decode()


def test_manager_cancels_membership_at_period_end(manager, client, shop, deliver_in_process):
    order = make_order(shop.plan)
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    post_webhook(
        client,
        event(
            "invoice.paid",
            invoice(
                invoice_id="in_1Pgc6tB7WZ01zgkWu9fdqL6I", subscription_id="sub_1Pgc6rB7WZ01zgkWNy0Cn5nw", order=order
            ),
        ),
    )
    membership = Membership.objects.get()
    listing = manager.get("/admin/shop/memberships/").content.decode()
    assert "Sessions left" in listing and "Next billing" in listing
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", listing, flags=re.S)]
    assert "1" in cells  # the first month's session, summed in the listing query
    manager.post(f"/admin/front-desk/memberships/{membership.pk}/cancel/")
    membership.refresh_from_db()
    assert membership.cancel_at_period_end and membership.status == Membership.Status.ACTIVE
    assert deliver_in_process == [("customer.subscription.updated", 200)]
