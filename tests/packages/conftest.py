"""Shop fixtures: offers on top of the site tree, and Stripe-shaped signed webhook payloads.

The payloads follow Stripe's published example objects (current API shape:
invoice.parent.subscription_details, subscription items carrying the period),
written out here so the suite never reads anything outside the repository.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass

import pytest
import stripe
from django.conf import settings
from django.contrib.auth.models import Group
from django.test import Client

from packages import payments, services
from packages.factories import GiftCardOfferFactory, MembershipPlanFactory, SessionSeriesFactory
from packages.models import GiftCard, GiftCardOffer, MembershipPlan, Order, SessionSeries
from tests.shared_data import shared

EMAIL = "maya.buyer@example.com"


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """The test client, with each request's on_commit callbacks run as the request ends.

    Tests run inside one transaction that is rolled back, so nothing ever commits;
    real requests commit, and the shop relies on that (emails and the stand-in's
    webhook deliveries are queued on commit).
    """
    original = client.request
    depth = [0]  # a webhook POSTed from inside a request commits with that outer request

    def request(**kwargs):
        if depth[0]:
            return original(**kwargs)
        depth[0] += 1
        try:
            with django_capture_on_commit_callbacks(execute=True):
                return original(**kwargs)
        finally:
            depth[0] -= 1

    client.request = request
    return client


@dataclass
class Shop:
    series: SessionSeries
    plan: MembershipPlan
    gift: GiftCardOffer


@pytest.fixture
def shop(site_tree) -> Shop:
    """The offers, built once on the shared site tree and copied per test (tests/shared_data.py)."""
    return shared.get("shop", lambda: build_shop(site_tree))


def build_shop(site_tree) -> Shop:
    """A series, a membership plan and a gift-card offer on the site tree's deep tissue treatment."""
    treatment = site_tree.deep_tissue  # 60 min at $95, 90 min at $135
    series = SessionSeriesFactory(
        title="5 deep tissue sessions",
        slug="deep-5",
        summary="Five sessions for a stubborn lower back.",
        treatment=treatment,
        price_minor=42500,
        featured=True,
    )
    plan = MembershipPlanFactory(
        title="Monthly prevention", slug="monthly", summary="One session a month.", treatment=treatment
    )
    gift = GiftCardOfferFactory(slug="gift-card", summary="For any treatment.", fixed_amounts=[5000, 10000])
    return Shop(series=series, plan=plan, gift=gift)


# The shared level builds on the shared tree itself (the original objects, not a test's copies).
shared.builders["shop"] = lambda: build_shop(shared.levels[0].value)


def make_order(offer, *, checkout: bool = True, **kwargs) -> Order:
    """A pending order, with its Checkout Session created (as the shop does) unless ``checkout=False``.

    Only the session created for an order may fulfil it, so the Stripe-shaped session
    built by :func:`checkout_session` carries the id stored here.
    """
    defaults = {"email": EMAIL, "name": "Maya Buyer", "disclaimer_accepted": True}
    defaults.update(kwargs)
    order = services.order_create(offer=offer, **defaults)
    return start_checkout(order) if checkout else order


def start_checkout(order: Order) -> Order:
    services.order_start_checkout(
        order=order, success_url="http://testserver/s?session_id={CHECKOUT_SESSION_ID}", cancel_url="http://x/c"
    )
    order.refresh_from_db()
    return order


# --- Stripe-shaped objects ---------------------------------------------------------------


def event(event_type: str, obj: dict, *, event_id: str | None = None, created: int | None = None) -> dict:
    return {
        "id": event_id or f"evt_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": "2026-10-28.endive",
        "created": created or int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def checkout_session(order: Order, **overrides) -> dict:
    subscription = order.kind == "membership"
    obj = {
        "id": order.stripe_checkout_session_id or f"cs_test_{secrets.token_hex(10)}",
        "object": "checkout.session",
        "amount_subtotal": order.amount_total_minor,
        "amount_total": order.amount_total_minor,
        "cancel_url": "https://example.com/cancel",
        "client_reference_id": order.public_token,
        "created": int(time.time()),
        "currency": order.currency,
        "customer": "cus_QXg1o8vcGmoR32",
        "customer_details": {"email": order.customer.email, "name": order.customer.name, "phone": None},
        "customer_email": order.customer.email,
        "expires_at": int(time.time()) + 86400,
        "invoice": "in_1Pgc6tB7WZ01zgkWu9fdqL6I" if subscription else None,
        "livemode": False,
        "metadata": {"order": order.public_token, "kind": order.kind},
        "mode": "subscription" if subscription else "payment",
        "payment_intent": None if subscription else "pi_1PgafyB7WZ01zgkWSjxsAJo3",
        "payment_status": "paid",
        "status": "complete",
        "subscription": "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw" if subscription else None,
        "success_url": "https://example.com/success",
        "url": None,
    }
    obj.update(overrides)
    return obj


def invoice(
    *,
    invoice_id: str,
    subscription_id: str,
    order: Order | None = None,
    amount: int = 7900,
    period_start: int | None = None,
    paid: bool = True,
    billing_reason: str = "subscription_cycle",
) -> dict:
    start = period_start or int(time.time())
    return payments.stand_in_objects.stand_in_invoice(
        invoice_id=invoice_id,
        subscription_id=subscription_id,
        customer="cus_QXg1o8vcGmoR32",
        email=EMAIL,
        amount=amount,
        currency="usd",
        period_start=start,
        period_end=start + 30 * 86400,
        billing_reason=billing_reason,
        metadata={"order": order.public_token, "kind": "membership"} if order else {},
        paid=paid,
    )


def subscription(
    subscription_id: str, *, status: str = "active", cancel_at_period_end: bool = False, period_end: int | None = None
) -> dict:
    end = period_end or int(time.time()) + 30 * 86400
    return {
        "id": subscription_id,
        "object": "subscription",
        "cancel_at_period_end": cancel_at_period_end,
        "customer": "cus_QXg1o8vcGmoR32",
        "status": status,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_QXhVnC2h0Jczwc",
                    "object": "subscription_item",
                    "current_period_start": end - 30 * 86400,
                    "current_period_end": end,
                    "quantity": 1,
                }
            ],
        },
        "metadata": {},
    }


def post_webhook(
    client: Client, payload, *, secret: str | None = None, timestamp: int | None = None, signature: str | None = None
):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    header = signature or stripe.WebhookSignature.generate_signature_header(
        body, secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
    )
    return client.post("/stripe/webhook/", data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


@pytest.fixture
def deliver_in_process(monkeypatch, client):
    """Make the stand-in's 'Stripe servers' POST to our webhook through the test client (no socket)."""
    delivered = []

    def post_event(evt):
        response = post_webhook(client, evt)
        delivered.append((evt["type"], response.status_code))
        return response.status_code

    monkeypatch.setattr(payments.stand_in, "post_event", post_event)
    return delivered


def cache_keys() -> str:
    """Every key in the default cache, whichever backend the run uses (locmem or Redis)."""
    from django.core.cache import cache

    store = cache._cache
    if isinstance(store, dict):  # locmem
        return " ".join(str(key) for key in store)
    return " ".join(key.decode() for key in store.get_client(None).keys("*"))  # Redis


def known_code(card) -> str:
    """Give a delivered card a code the test knows (the real one went only into its email) and return it."""

    code = services.new_gift_code()
    GiftCard.objects.filter(pk=card.pk).update(code_hash=services.gift_code_hash(code), code_last4=code[-4:])
    return code


@pytest.fixture
def staff(django_user_model):
    """Make a staff user in one of the groups the migrations create ("Front desk", "Managers"...)."""

    def make(group: str):
        user = django_user_model.objects.create_user(
            group.lower().replace(" ", "-"), f"{group.lower().replace(' ', '.')}@example.com", "pw-123456789"
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def desk(client, staff):
    """The test client signed in as front-desk staff (user name ``front-desk``)."""
    client.force_login(staff("Front desk"))
    return client


@pytest.fixture
def manager(client, staff):
    """The test client signed in as a manager (user name ``managers``)."""
    client.force_login(staff("Managers"))
    return client
