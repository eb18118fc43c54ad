"""The offline stand-in for Stripe Checkout (used only when no Stripe key is set).

It records the Checkout Session we asked for and sends the buyer to a local
"hosted checkout" page. Paying there builds the events Stripe would send. The
stand-in never queues work itself: its calls return the events that would follow
(``take_events``), and the calling service delivers them, signed exactly as Stripe
signs them, to our own webhook URL on commit — so the demo runs the production
fulfilment path end to end.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings
from django.urls import reverse

from ..models import Order, StandInCheckoutSession, StandInObject
from .base import CheckoutSession, GatewayError, construct_event
from .stand_in_objects import (
    _event,
    _payment,
    remember,
    stand_in_charge_id,
    stand_in_charge_refunded,
    stand_in_price,
    stand_in_refund,
    stand_in_session_object,
    stand_in_subscription,
    stand_in_url,
)

logger = logging.getLogger(__name__)


class StandInGateway:
    """Offline stand-in for Checkout. Never used when a real key is configured."""

    offline = True

    def __init__(self, *, webhook_secret: str):
        if settings.STRIPE_SECRET_KEY:
            raise RuntimeError("The offline Checkout stand-in cannot run while STRIPE_SECRET_KEY is set.")
        self.webhook_secret = webhook_secret
        self._events: list[dict[str, Any]] = []

    def take_events(self) -> list[dict[str, Any]]:
        """The signed-to-be events Stripe would send after the calls made so far (the caller delivers them)."""
        events, self._events = self._events, []
        return events

    def create_checkout_session(self, params: dict[str, Any], *, idempotency_key: str) -> CheckoutSession:
        order = Order.objects.get(public_token=params["client_reference_id"])
        # Same idempotency key, same session: as Stripe answers a retried request.
        promotion = None
        if order.promotion_code_id and params.get("discounts"):  # a code given at our checkout, as Checkout would
            promotion = {"code": order.promotion_code.code, "amount_off": order.discount_minor}
        existing, _ = StandInCheckoutSession.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={
                "session_id": f"cs_test_offline_{secrets.token_hex(16)}",
                "order": order,
                "params": params,
                "promotion": promotion,
            },
        )
        return CheckoutSession(id=existing.session_id, url=stand_in_url(existing.session_id))

    def retrieve_checkout_session(self, session_id: str) -> dict[str, Any]:
        try:
            stand_in = StandInCheckoutSession.objects.select_related("order__customer").get(session_id=session_id)
        except StandInCheckoutSession.DoesNotExist:
            raise GatewayError(
                f"No such checkout session: {session_id}", user_message="We could not find that payment."
            ) from None
        return stand_in_session_object(stand_in)

    def create_refund(self, *, payment_intent: str, amount_minor: int, idempotency_key: str, metadata: dict) -> dict:
        """Refund as Stripe would, and queue the charge.refunded that follows (listing every refund)."""
        paid = _payment(payment_intent)
        refund = {
            "id": f"re_offline_{secrets.token_hex(12)}",
            "object": "refund",
            "amount": amount_minor,
            "charge": stand_in_charge_id(payment_intent),
            "created": int(time.time()),
            "currency": paid["currency"],
            "payment_intent": payment_intent,
            "status": "succeeded",
            "metadata": metadata,
        }
        earlier = [
            stand_in_refund(payment_intent, paid["currency"], refund_id=r.stripe_refund_id, amount=r.amount_minor)
            for r in paid["refunds"]
        ]
        remember("refunds", refund)
        self._events.append(
            stand_in_charge_refunded(payment_intent=payment_intent, paid=paid, refunds=[*earlier, refund])
        )
        return refund

    def list_refunds(self, *, charge_id: str) -> list[dict]:
        return []  # the stand-in's charge.refunded events carry their refunds

    def cancel_subscription(self, *, subscription_id: str, cancel_at: int | None = None, membership=None) -> dict:
        """Answer as Stripe would, and queue the customer.subscription.updated that follows."""
        subscription = stand_in_subscription(membership, cancel_at_period_end=not cancel_at, cancel_at=cancel_at)
        self._events.append(_event("customer.subscription.updated", subscription))
        return subscription

    def pause_subscription(self, *, subscription_id: str, resumes_at: int, membership=None) -> dict:
        """Answer as Stripe would, and queue the customer.subscription.updated that follows."""
        subscription = stand_in_subscription(membership, cancel_at_period_end=False, resumes_at=resumes_at)
        self._events.append(_event("customer.subscription.updated", subscription))
        return subscription

    def change_subscription_plan(self, *, subscription_id: str, plan, membership=None) -> dict:
        """Answer as Stripe would (the item now on the plan's price, no proration), and queue the
        customer.subscription.updated that follows."""
        subscription = stand_in_subscription(membership, cancel_at_period_end=False)
        subscription["items"]["data"][0]["price"] = stand_in_price(plan)
        self._events.append(_event("customer.subscription.updated", subscription))
        return subscription

    def create_promotion(self, *, code, idempotency_key: str) -> tuple[str, str]:
        return f"coupon_offline_{code.pk}", f"promo_offline_{code.pk}"  # the stand-in applies codes itself

    def list_since(self, what: str, *, since: int) -> list[dict[str, Any]]:
        """Stripe's list calls, answered from the stand-in's own records."""
        if what == "checkout_sessions":
            sessions = StandInCheckoutSession.objects.select_related("order__customer")
            start = datetime.fromtimestamp(since, tz=UTC)
            return [stand_in_session_object(session) for session in sessions.filter(created_at__gte=start)]
        return [record.payload for record in StandInObject.objects.filter(kind=what, created__gte=since)]

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        return ""  # no portal offline: the account page offers its own cancel button

    def construct_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        return construct_event(payload, signature, self.webhook_secret)


def sign(payload: str, *, secret: str | None = None, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header for ``payload``, computed exactly as Stripe does."""
    return stripe.WebhookSignature.generate_signature_header(
        payload, secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
    )


def webhook_url() -> str:
    return settings.STRIPE_STAND_IN_WEBHOOK_URL or settings.SITE_URL.rstrip("/") + reverse("stripe_webhook")


def post_event(event: dict[str, Any]) -> int:
    """Sign one event and POST it to our webhook endpoint, as Stripe's servers would."""
    payload = json.dumps(event)
    request = urllib.request.Request(  # noqa: S310 - our own configured URL
        webhook_url(),
        data=payload.encode(),
        method="POST",
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload), "User-Agent": "Stripe/1.0"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        logger.warning("Stand-in webhook delivery of %s answered %s", event["type"], error.code)
        return error.code
