"""The stand-in emits every shape Stripe would: a promotion code, renewals, plan changes, disputes.

Each goes through the real webhook path, signed (the stand-in's deliveries are POSTed to
our webhook through the test client: ``deliver_in_process``).
"""

from __future__ import annotations

import pytest

from packages import services
from packages.factories import MembershipPlanFactory
from packages.models import CreditGrant, Membership, Order, Review

from .conftest import make_order

pytestmark = pytest.mark.django_db


def pay(client, order: Order, **data):
    return client.post(f"/shop/stand-in/checkout/{order.stripe_checkout_session_id}/", {"action": "pay", **data})


def test_paying_with_a_promotion_code_records_the_discount(client, shop, deliver_in_process):
    order = make_order(shop.series)
    refused = pay(client, order, promotion_code="NOPE")
    assert refused.status_code == 400 and "This promotion code is not valid." in refused.content.decode()
    assert pay(client, order, promotion_code="welcome10").status_code == 302
    assert ("checkout.session.completed", 200) in deliver_in_process
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert (order.stripe_amount_subtotal, order.stripe_amount_discount, order.stripe_amount_total) == (
        42500,
        4250,
        38250,
    )


def test_renewal_and_plan_change_from_the_stand_in_controls(client, shop, manager, deliver_in_process):
    order = make_order(shop.plan)
    pay(client, order)
    membership = Membership.objects.get(order=order)
    assert manager.get("/admin/front-desk/stripe-stand-in/").status_code == 200
    manager.post("/admin/front-desk/stripe-stand-in/", {"membership": membership.pk, "action": "advance_month"})
    assert CreditGrant.objects.filter(membership=membership).count() == 2  # the first month and the renewal
    manager.post("/admin/front-desk/stripe-stand-in/", {"membership": membership.pk, "action": "change_plan"})
    assert CreditGrant.objects.filter(membership=membership).count() == 2  # a proration grants nothing
    assert Review.objects.filter(reason=Review.Reason.INVOICE_NOT_GRANTED).count() == 1
    assert [kind for kind, status in deliver_in_process if status != 200] == []


def test_disputes_from_the_stand_in_controls(client, shop, manager, deliver_in_process):
    order = make_order(shop.series)
    pay(client, order)
    manager.post("/admin/front-desk/stripe-stand-in/", {"order": order.pk, "dispute": "open"})
    assert CreditGrant.objects.get(order=order).frozen
    manager.post("/admin/front-desk/stripe-stand-in/", {"order": order.pk, "dispute": "lost"})
    assert CreditGrant.objects.get(order=order).balance == 0
    assert Order.objects.get(pk=order.pk).dispute_status == "lost"


def test_the_controls_do_not_exist_with_real_keys(manager, settings):
    settings.STRIPE_OFFLINE = False
    assert manager.get("/admin/front-desk/stripe-stand-in/").status_code == 404
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    with pytest.raises(services.ShopError):
        services.stand_in_dispute(order_id=1, status="won")


def test_a_manager_pauses_and_the_stand_in_sends_no_paid_month_meanwhile(client, shop, manager, deliver_in_process):
    order = make_order(shop.plan)
    pay(client, order)
    membership = Membership.objects.get(order=order)
    inspect = manager.get(f"/admin/shop/memberships/inspect/{membership.pk}/").content.decode()
    assert f"/admin/front-desk/memberships/{membership.pk}/pause/" in inspect
    manager.post(f"/admin/front-desk/memberships/{membership.pk}/pause/", {"months": "1", "reason": "Knee surgery"})
    membership.refresh_from_db()
    assert membership.paused_until is not None
    manager.post("/admin/front-desk/stripe-stand-in/", {"membership": membership.pk, "action": "advance_month"})
    assert CreditGrant.objects.filter(membership=membership).count() == 1  # only the first month


def test_a_plan_change_counts_from_the_next_month(client, shop, manager, deliver_in_process):
    bigger = MembershipPlanFactory(
        title="Twice a month",
        slug="twice",
        treatment=shop.plan.treatment,
        monthly_price_minor=14900,
        sessions_per_month=2,
    )
    order = make_order(shop.plan)
    pay(client, order)
    membership = Membership.objects.get(order=order)
    manager.post("/admin/front-desk/stripe-stand-in/", {"membership": membership.pk, "action": "change_plan"})
    membership.refresh_from_db()
    assert membership.plan == bigger and membership.plan_terms["sessions_per_month"] == 2
    assert CreditGrant.objects.filter(membership=membership).count() == 1  # the proration granted nothing
    manager.post("/admin/front-desk/stripe-stand-in/", {"membership": membership.pk, "action": "advance_month"})
    latest = CreditGrant.objects.filter(membership=membership).latest("pk")
    assert latest.sessions_granted == 2 + 1  # the new plan's two, and last month's unused one rolled over


def test_a_price_we_cannot_match_changes_no_plan(shop, client, deliver_in_process):
    order = make_order(shop.plan)
    pay(client, order)
    membership = Membership.objects.get(order=order)
    subscription = {
        "id": membership.stripe_subscription_id,
        "status": "active",
        "items": {"data": [{"current_period_end": 2_000_000_000, "price": {"id": "price_unknown", "metadata": {}}}]},
    }
    services.membership_sync_subscription(subscription=subscription, event_created=2_000_000_000)
    membership.refresh_from_db()
    assert membership.plan == shop.plan and membership.plan_terms == {}
