"""A manager refunds a membership's latest month: Stripe refunds its invoice's payment, the month's
unused sessions go back when Stripe confirms, and the member is told."""

from __future__ import annotations

import pytest
from django.core import mail

from packages import payments, services
from packages.models import CreditGrant, LedgerKind, Membership, OrderRefund

from .conftest import event, invoice, make_order, post_webhook
from .test_gateway import fake_stripe  # noqa: F401 - real mode with the SDK's fake transport

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, shop, deliver_in_process):
    """A membership paid on the stand-in: its first invoice (with its payment intent) came through the webhook."""
    order = make_order(shop.plan)
    client.post(f"/shop/stand-in/checkout/{order.stripe_checkout_session_id}/", {"action": "pay"})
    mail.outbox.clear()
    return Membership.objects.get(order=order)


def test_the_months_invoice_tells_what_paid_for_it(member):
    month = CreditGrant.objects.get(membership=member)
    assert month.stripe_payment_intent_id.startswith("pi_offline_") and month.amount_paid_minor == 7900


def test_a_manager_refunds_the_latest_month_and_its_unused_session_goes(member, manager, deliver_in_process):
    page = manager.get(f"/admin/shop/memberships/inspect/{member.pk}/").content.decode()
    assert f"/admin/front-desk/memberships/{member.pk}/refund/" in page
    assert "1 of 1 session unused" in manager.get(f"/admin/front-desk/memberships/{member.pk}/refund/").content.decode()
    manager.post(f"/admin/front-desk/memberships/{member.pk}/refund/", {"amount": "", "reason": "Moved abroad"})
    assert ("charge.refunded", 200) in deliver_in_process
    refund = OrderRefund.objects.get()
    month = CreditGrant.objects.get(membership=member)
    assert refund.grant == month and refund.applied_at is not None and refund.sessions_revoked == 1
    assert month.balance == 0 and month.entries.filter(kind=LedgerKind.REFUND).count() == 1
    assert [m.subject for m in mail.outbox if m.to == [member.customer.email]] == [
        "Your refund of $79 from Runway Massage Studio"
    ]
    again = manager.post(f"/admin/front-desk/memberships/{member.pk}/refund/", {"reason": "twice"}, follow=True)
    assert "already been refunded" in again.content.decode()


def test_a_partial_month_refund_smaller_than_a_session_takes_nothing(member, manager, deliver_in_process):
    manager.post(f"/admin/front-desk/memberships/{member.pk}/refund/", {"amount": "20", "reason": "Goodwill"})
    assert CreditGrant.objects.get(membership=member).balance == 1
    assert OrderRefund.objects.get().sessions_revoked == 0


def test_real_mode_refunds_the_invoices_payment_intent(fake_stripe, client, shop):  # noqa: F811
    order = make_order(shop.plan)
    paid = invoice(invoice_id="in_1Month00000001", subscription_id="sub_1Pgc6rB7WZ01zgkWNy0Cn5nw", order=order)
    paid["billing_reason"] = "subscription_create"
    paid["payments"] = {"data": [{"payment": {"type": "payment_intent", "payment_intent": "pi_1MonthPaid0001"}}]}
    post_webhook(client, event("invoice.paid", paid), secret="whsec_test_real_mode_secret_for_the_suite")
    membership = Membership.objects.get()
    fake_stripe.fail_with = [
        (200, {"id": "re_1MonthRefund01", "object": "refund", "amount": 7900, "status": "pending"})
    ]
    services.membership_month_refund(membership_id=membership.pk, actor=None, reason="Asked")
    sent = fake_stripe.sent[-1]
    assert (sent.method, sent.path) == ("post", "/v1/refunds")
    record = OrderRefund.objects.get()
    assert sent.params == {
        "payment_intent": "pi_1MonthPaid0001",
        "amount": "7900",
        "metadata[order]": order.public_token,
        "metadata[refund_record]": str(record.pk),
    }
    assert sent.headers["Idempotency-Key"] == f"refund-{order.public_token}-{record.pk}"
    assert record.stripe_refund_id == "re_1MonthRefund01"
    assert payments.get_gateway().take_events() == []
