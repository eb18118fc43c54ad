"""A member changes plan from My account: offline through the stand-in's signed webhook,
with real keys through Stripe's Subscriptions API (the SDK over a fake transport).
The new plan's price and sessions count from the next billing cycle."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from packages import payments, services
from packages.factories import MembershipPlanFactory
from packages.models import CreditGrant, Membership

from .conftest import make_order
from .test_account import paid, sign_in
from .test_gateway import FakeStripeHTTP, fake_stripe  # noqa: F401 - real mode with the SDK's fake transport

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # rate-limit counters must not leak between tests
    yield
    cache.clear()


@pytest.fixture
def twice(shop):
    return MembershipPlanFactory(
        title="Twice a month",
        slug="twice",
        treatment=shop.plan.treatment,
        monthly_price_minor=14900,
        sessions_per_month=2,
    )


@pytest.fixture
def member(shop):
    return Membership.objects.get(order=paid(make_order(shop.plan)))


def page(client, membership) -> str:
    return client.get(f"/shop/account/memberships/{membership.pk}/").content.decode()


def test_a_member_changes_plan_offline_and_the_next_month_follows_it(
    client, shop, twice, member, deliver_in_process, django_capture_on_commit_callbacks
):
    sign_in(client)
    body = page(client, member)
    assert "Change plan to" in body and f'<option value="{twice.pk}">Twice a month – $149 a month, 2 sessions' in body
    response = client.post(
        f"/shop/account/memberships/{member.pk}/", {"action": "change_plan", "plan": twice.pk}, follow=True
    )
    assert "Done: you are on Twice a month from" in response.content.decode()
    assert ("customer.subscription.updated", 200) in deliver_in_process
    member.refresh_from_db()
    assert member.plan == twice and member.plan_terms["sessions_per_month"] == 2
    assert CreditGrant.objects.filter(membership=member).count() == 1  # this month stays as it was paid for
    # Stripe renews: the month is granted by the new plan (2, plus the unused one rolled over).
    with django_capture_on_commit_callbacks(execute=True):
        services.stand_in_advance_month(membership_id=member.pk)
    assert CreditGrant.objects.filter(membership=member).latest("pk").sessions_granted == 2 + 1


def test_a_plan_change_is_refused_with_a_reason(client, shop, twice, member, deliver_in_process):
    sign_in(client)
    same = client.post(
        f"/shop/account/memberships/{member.pk}/", {"action": "change_plan", "plan": shop.plan.pk}, follow=True
    )
    assert "Choose one of the plans offered here" in same.content.decode()
    missing = client.post(f"/shop/account/memberships/{member.pk}/", {"action": "change_plan"}, follow=True)
    assert "Choose the plan to change to." in missing.content.decode()
    twice.active = False
    twice.save()
    retired = client.post(
        f"/shop/account/memberships/{member.pk}/", {"action": "change_plan", "plan": twice.pk}, follow=True
    )
    assert "Choose one of the plans offered here" in retired.content.decode()
    member.refresh_from_db()
    assert member.plan == shop.plan and not deliver_in_process
    # A membership set to end cannot change plan any more, and is not offered to.
    twice.active = True
    twice.save()
    services.membership_cancel(membership_id=member.pk, actor=None, override_reason="Moving away")
    with pytest.raises(services.BalanceError, match="not set to end"):
        services.membership_change_plan(membership_id=member.pk, plan_id=twice.pk, actor=None)
    assert "Change plan to" not in page(client, member)


class SubscriptionsHTTP(FakeStripeHTTP):
    """Answers a subscription's retrieve and update as api.stripe.com does."""

    def _answer(self, method, path, params):
        if path.startswith("/v1/subscriptions/"):
            subscription_id = path.rsplit("/", 1)[1]
            price = params.get("items[0][price]", "price_1PlanOnceAMonth")
            return 200, {
                "id": subscription_id,
                "object": "subscription",
                "cancel_at": None,
                "cancel_at_period_end": False,
                "customer": "cus_QXg1o8vcGmoR32",
                "status": "active",
                "pause_collection": None,
                "items": {
                    "object": "list",
                    "data": [
                        {
                            "id": "si_QXg2dJ3Lk8Kk1B",
                            "object": "subscription_item",
                            "current_period_start": 1_790_000_000,
                            "current_period_end": 1_792_678_400,
                            "price": {"id": price, "object": "price", "metadata": {}, "unit_amount": 14900},
                            "quantity": 1,
                        }
                    ],
                    "has_more": False,
                },
            }
        return super()._answer(method, path, params)


@pytest.mark.usefixtures("fake_stripe")
def test_real_mode_moves_the_subscription_item_to_the_plans_stripe_price(client, shop, twice, member, monkeypatch):
    transport = SubscriptionsHTTP()
    monkeypatch.setattr(payments, "http_client", transport)
    sign_in(client)
    # A plan without a Stripe Price cannot be switched to online with real keys: not offered, refused.
    assert "Change plan to" not in page(client, member)
    with pytest.raises(services.BalanceError):
        services.membership_change_plan(membership_id=member.pk, plan_id=twice.pk, actor=None)
    assert transport.sent == []
    twice.stripe_price_id = "price_1PlanTwiceAMonth"
    twice.save()
    assert "Change plan to" in page(client, member)
    client.post(f"/shop/account/memberships/{member.pk}/", {"action": "change_plan", "plan": twice.pk})
    retrieve, update = transport.sent
    subscription_path = f"/v1/subscriptions/{member.stripe_subscription_id}"
    assert (retrieve.method, retrieve.path) == ("get", subscription_path)
    assert (update.method, update.path) == ("post", subscription_path)
    assert update.params == {
        "items[0][id]": "si_QXg2dJ3Lk8Kk1B",
        "items[0][price]": "price_1PlanTwiceAMonth",
        "proration_behavior": "none",
    }
    member.refresh_from_db()
    assert member.plan == twice and member.plan_terms["sessions_per_month"] == 2
