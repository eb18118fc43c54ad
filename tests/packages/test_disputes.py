"""Disputes: what is unused on a disputed order is frozen until the bank decides."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from packages import services
from packages.models import CreditGrant, GiftCard, LedgerKind, Order, Review
from packages.services import BalanceError

from .conftest import checkout_session, event, make_order, post_webhook
from .test_balance_check import delivered_card

pytestmark = pytest.mark.django_db

PI = "pi_1PgafyB7WZ01zgkWSjxsAJo3"  # the payment intent checkout_session() puts on payment-mode sessions


def dispute(status: str = "needs_response", *, dispute_id: str = "dp_1PgbKeB7WZ01zgkWt7bOkBDx", pi: str = PI):
    """A Dispute in Stripe's shape (the example object, filled with our payment)."""
    return {
        "id": dispute_id,
        "object": "dispute",
        "amount": 42500,
        "balance_transactions": [],
        "charge": "ch_1PgafuB7WZ01zgkWXYmPNZs8",
        "created": 1722302000,
        "currency": "usd",
        "evidence_details": {"due_by": 1723075199, "has_evidence": False, "past_due": False, "submission_count": 0},
        "is_charge_refundable": False,
        "livemode": False,
        "metadata": {},
        "payment_intent": pi,
        "reason": "fraudulent",
        "status": status,
    }


@pytest.fixture
def paid_series(client, shop):
    order = make_order(shop.series)
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def manager(django_user_model):
    user = django_user_model.objects.create_user("boss-d", "boss@example.com", "pw")
    user.groups.add(Group.objects.get(name="Managers"))
    return user


def test_a_dispute_freezes_unused_sessions_and_tells_the_managers(client, paid_series, manager):
    mail.outbox.clear()
    response = post_webhook(client, event("charge.dispute.created", dispute()))
    assert response.status_code == 200
    assert post_webhook(client, event("charge.dispute.created", dispute())).status_code == 200  # redelivered
    paid_series.refresh_from_db()
    assert paid_series.dispute_status == "open"
    grant = CreditGrant.objects.get()
    assert grant.frozen and not CreditGrant.objects.usable().exists()
    with pytest.raises(BalanceError, match="on hold"):
        services.credit_redeem(customer=paid_series.customer, actor=manager, grant_id=grant.pk)
    assert Review.objects.get().reason == Review.Reason.DISPUTE
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]


def test_a_dispute_won_unfreezes(client, paid_series, manager):
    post_webhook(client, event("charge.dispute.created", dispute()))
    post_webhook(client, event("charge.dispute.closed", dispute("won")))
    grant = CreditGrant.objects.get()
    assert not grant.frozen and grant.balance == 5
    services.credit_redeem(customer=paid_series.customer, actor=manager)
    assert Order.objects.get(pk=paid_series.pk).dispute_status == "won"


def test_a_dispute_lost_takes_back_what_is_unused_with_ledger_entries(client, paid_series, manager):
    services.credit_redeem(customer=paid_series.customer, actor=manager)
    post_webhook(client, event("charge.dispute.created", dispute()))
    post_webhook(client, event("charge.dispute.closed", dispute("lost")))
    post_webhook(client, event("charge.dispute.closed", dispute("lost")))  # once only
    grant = CreditGrant.objects.get()
    assert grant.balance == 0 and grant.balance == sum(e.delta for e in grant.entries.all())
    taken = grant.entries.get(kind=LedgerKind.REFUND)
    assert taken.delta == -4 and "lost" in taken.reason
    assert Order.objects.get(pk=paid_series.pk).dispute_status == "lost"


def test_a_disputed_gift_card_cannot_be_spent_or_looked_up(client, shop, manager):
    card, code = delivered_card(shop.gift, amount_minor=10000)  # fulfilled without the webhook: not yet delivered
    assert code and client.post("/shop/gift-cards/balance/", {"code": code}).content.decode().count("$100")
    post_webhook(client, event("charge.dispute.created", dispute()))
    with pytest.raises(BalanceError, match="on hold"):
        services.gift_card_redeem(card_id=card.pk, amount_minor=1000, actor=manager, code=code)
    assert not GiftCard.objects.usable().exists()
    page = client.post("/shop/gift-cards/balance/", {"code": code})
    assert "$100" not in page.content.decode()


def test_a_dispute_on_a_payment_that_is_not_ours_is_ignored(client, paid_series):
    response = post_webhook(client, event("charge.dispute.created", dispute(pi="pi_someone_else")))
    assert response.status_code == 200
    assert not CreditGrant.objects.get().frozen and not Review.objects.exists()
