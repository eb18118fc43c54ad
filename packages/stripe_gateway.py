"""The only module that talks to Stripe (and the only one that imports ``stripe``).

Two gateways with one interface:

* :class:`StripeGateway` — real Stripe through ``stripe.StripeClient`` (used when
  ``STRIPE_SECRET_KEY`` is set). Every create call carries an idempotency key that
  the caller persisted, so a retried request can never make two sessions.
* :class:`StandInGateway` — the offline stand-in (no key set). It records the
  Checkout Session we asked for and sends the buyer to a local "hosted checkout"
  page. Paying there builds the events Stripe would send, signs them with the
  webhook secret exactly as Stripe does, and POSTs them to our own webhook URL,
  so the demo runs the production fulfilment path end to end.

Webhook signatures are verified with the SDK in both modes.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings
from django.urls import reverse

logger = logging.getLogger(__name__)

API_VERSION = stripe.api_version  # stripe 16 pins 2026-10-28


class GatewayError(Exception):
    """Stripe refused or could not be reached. ``user_message`` is safe to show a buyer."""

    def __init__(self, message: str, *, user_message: str, retryable: bool = False):
        super().__init__(message)
        self.user_message = user_message
        self.retryable = retryable


class InvalidWebhook(Exception):
    """Signature missing or wrong, timestamp too old, or body not an event."""


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


def _user_message(error: stripe.StripeError) -> tuple[str, bool]:
    if isinstance(error, stripe.CardError):
        return error.user_message or "Your card was declined.", False
    if isinstance(error, stripe.RateLimitError | stripe.APIConnectionError):
        return "We could not reach our payment provider. Please try again in a minute.", True
    if isinstance(error, stripe.AuthenticationError | stripe.PermissionError):
        return "Online payment is temporarily unavailable. Please call the studio to buy this.", False
    if isinstance(error, stripe.InvalidRequestError):
        return "The payment provider rejected this purchase. Please call the studio and we will sort it out.", False
    return "The payment provider had a problem. Please try again in a few minutes.", True


def build_checkout_params(order, *, success_url: str, cancel_url: str) -> dict[str, Any]:
    """The Checkout Session we ask for: every amount comes from the order, never from the request."""
    lines = list(order.lines.all())
    subscription = order.kind == "membership"
    metadata = {"order": order.public_token, "kind": order.kind}
    line_items = []
    for line in lines:
        plan = line.plan if subscription else None
        if plan is not None and plan.stripe_price_id and not settings.STRIPE_OFFLINE:
            line_items.append({"price": plan.stripe_price_id, "quantity": line.quantity})
            continue
        price_data: dict[str, Any] = {
            "currency": line.currency,
            "unit_amount": line.unit_amount_minor,
            "product_data": {"name": line.name, "description": (line.terms_text or line.name)[:500]},
        }
        if subscription:
            price_data["recurring"] = {"interval": "month"}
        line_items.append({"price_data": price_data, "quantity": line.quantity})
    params: dict[str, Any] = {
        "mode": "subscription" if subscription else "payment",
        "line_items": line_items,
        "client_reference_id": order.public_token,
        "metadata": metadata,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    if order.customer.stripe_customer_id:
        params["customer"] = order.customer.stripe_customer_id
    else:
        params["customer_email"] = order.customer.email
    if subscription:
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["payment_intent_data"] = {"metadata": metadata}
        params["customer_creation"] = "always"
    return params


class StripeGateway:
    """Real Stripe. ``http_client`` lets tests plug a fake transport into the real SDK."""

    offline = False

    def __init__(self, *, api_key: str, webhook_secret: str, http_client: stripe.HTTPClient | None = None):
        self.webhook_secret = webhook_secret
        self.client = stripe.StripeClient(api_key, http_client=http_client, max_network_retries=2)

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except stripe.StripeError as error:
            message, retryable = _user_message(error)
            logger.warning("Stripe %s failed: %s", what, error)
            raise GatewayError(f"Stripe {what} failed: {error}", user_message=message, retryable=retryable) from error

    def create_checkout_session(self, params: dict[str, Any], *, idempotency_key: str) -> CheckoutSession:
        session = self._call(
            "checkout session create",
            self.client.v1.checkout.sessions.create,
            params,
            {"idempotency_key": f"checkout-{idempotency_key}"},
        )
        return CheckoutSession(id=session.id, url=session.url)

    def retrieve_checkout_session(self, session_id: str) -> dict[str, Any]:
        session = self._call(
            "checkout session retrieve",
            self.client.v1.checkout.sessions.retrieve,
            session_id,
            {"expand": ["line_items"]},
        )
        # for_json: the SDK turns decimal strings (fx_rate, unit_amount_decimal…) into Decimal,
        # which the JSON fields we keep Stripe's objects in cannot store.
        return session.to_dict(for_json=True)

    def create_refund(self, *, payment_intent: str, amount_minor: int, idempotency_key: str, metadata: dict) -> dict:
        refund = self._call(
            "refund create",
            self.client.v1.refunds.create,
            {"payment_intent": payment_intent, "amount": amount_minor, "metadata": metadata},
            {"idempotency_key": f"refund-{idempotency_key}"},
        )
        return refund.to_dict(for_json=True)

    def list_refunds(self, *, charge_id: str) -> list[dict]:
        refunds = self._call("refund list", self.client.v1.refunds.list, {"charge": charge_id, "limit": 100})
        return [refund.to_dict(for_json=True) for refund in refunds.data]

    def cancel_subscription_at_period_end(self, *, subscription_id: str, membership=None) -> dict:
        subscription = self._call(
            "subscription update",
            self.client.v1.subscriptions.update,
            subscription_id,
            {"cancel_at_period_end": True},
        )
        return subscription.to_dict(for_json=True)

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        session = self._call(
            "billing portal session create",
            self.client.v1.billing_portal.sessions.create,
            {"customer": customer_id, "return_url": return_url},
        )
        return session.url

    def construct_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        return construct_event(payload, signature, self.webhook_secret)


class StandInGateway:
    """Offline stand-in for Checkout. Never used when a real key is configured."""

    offline = True

    def __init__(self, *, webhook_secret: str):
        if settings.STRIPE_SECRET_KEY:
            raise RuntimeError("The offline Checkout stand-in cannot run while STRIPE_SECRET_KEY is set.")
        self.webhook_secret = webhook_secret

    def create_checkout_session(self, params: dict[str, Any], *, idempotency_key: str) -> CheckoutSession:
        from .models import Order, StandInCheckoutSession

        order = Order.objects.get(public_token=params["client_reference_id"])
        # Same idempotency key, same session: as Stripe answers a retried request.
        existing, _ = StandInCheckoutSession.objects.get_or_create(
            idempotency_key=idempotency_key,
            defaults={"session_id": f"cs_test_offline_{secrets.token_hex(16)}", "order": order, "params": params},
        )
        return CheckoutSession(id=existing.session_id, url=stand_in_url(existing.session_id))

    def retrieve_checkout_session(self, session_id: str) -> dict[str, Any]:
        from .models import StandInCheckoutSession

        try:
            stand_in = StandInCheckoutSession.objects.select_related("order__customer").get(session_id=session_id)
        except StandInCheckoutSession.DoesNotExist:
            raise GatewayError(
                f"No such checkout session: {session_id}", user_message="We could not find that payment."
            ) from None
        return stand_in_session_object(stand_in)

    def create_refund(self, *, payment_intent: str, amount_minor: int, idempotency_key: str, metadata: dict) -> dict:
        return {
            "id": f"re_offline_{secrets.token_hex(12)}",
            "object": "refund",
            "amount": amount_minor,
            "payment_intent": payment_intent,
            "status": "succeeded",
            "metadata": metadata,
        }

    def list_refunds(self, *, charge_id: str) -> list[dict]:
        return []  # the stand-in's charge.refunded events carry their refunds

    def cancel_subscription_at_period_end(self, *, subscription_id: str, membership=None) -> dict:
        """Answer as Stripe would, and send the customer.subscription.updated that follows."""
        from . import tasks

        subscription = stand_in_subscription(membership, cancel_at_period_end=True)
        tasks.deliver_stand_in_events.enqueue([_event("customer.subscription.updated", subscription)])
        return subscription

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        return ""  # no portal offline: the account page offers its own cancel button

    def construct_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        return construct_event(payload, signature, self.webhook_secret)


def construct_event(payload: bytes, signature: str | None, secret: str) -> dict[str, Any]:
    """Verify Stripe's signature on the raw body (300 s tolerance) and parse the event.

    The SDK checks the signature; the body is then read as plain JSON, exactly as
    Stripe sent it (building and flattening a StripeObject would cost time on every
    delivery and turn decimal strings into Decimals that JSON fields cannot store).
    """
    if not signature:
        raise InvalidWebhook("Missing Stripe-Signature header.")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, tolerance=300)
        data = json.loads(payload)
    except stripe.SignatureVerificationError as error:
        raise InvalidWebhook(f"Bad signature: {error.user_message or error}") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidWebhook(f"Body is not a Stripe event: {error}") from error
    if (
        not isinstance(data, dict)
        or data.get("object") != "event"
        or not data.get("id")
        or not data.get("type")
        or not isinstance(data.get("data"), dict)
        or not isinstance(data["data"].get("object"), dict)
    ):
        raise InvalidWebhook("Event lacks id, type or data.object.")
    return data


# ``tests`` swap this for a fake transport; production leaves it None (the SDK's default client).
http_client: stripe.HTTPClient | None = None


def get_gateway() -> StripeGateway | StandInGateway:
    if settings.STRIPE_SECRET_KEY:
        return StripeGateway(
            api_key=settings.STRIPE_SECRET_KEY, webhook_secret=settings.STRIPE_WEBHOOK_SECRET, http_client=http_client
        )
    return StandInGateway(webhook_secret=settings.STRIPE_WEBHOOK_SECRET)


# --- The stand-in's "hosted checkout": the events it sends ------------------------------------------


def stand_in_url(session_id: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("shop:stand_in_checkout", kwargs={"session_id": session_id})


def stand_in_session_object(stand_in) -> dict[str, Any]:
    """A Checkout Session object in the current API shape, as Stripe would return it."""
    order = stand_in.order
    params = stand_in.params
    amount = sum(item["price_data"]["unit_amount"] * item["quantity"] for item in params["line_items"])
    complete = stand_in.status == "complete"
    return {
        "id": stand_in.session_id,
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount,
        "cancel_url": params["cancel_url"],
        "client_reference_id": params["client_reference_id"],
        "created": int(stand_in.created_at.timestamp()),
        "currency": params["line_items"][0]["price_data"]["currency"],
        "customer": f"cus_offline_{order.customer_id}" if complete else None,
        "customer_details": {"email": order.customer.email, "name": order.customer.name or None} if complete else None,
        "customer_email": params.get("customer_email"),
        "expires_at": int(stand_in.created_at.timestamp()) + 24 * 3600,
        "invoice": stand_in.invoice_id or None,
        "line_items": {
            "object": "list",
            "data": [
                {
                    "object": "item",
                    "amount_total": item["price_data"]["unit_amount"] * item["quantity"],
                    "currency": item["price_data"]["currency"],
                    "description": item["price_data"]["product_data"]["name"],
                    "quantity": item["quantity"],
                }
                for item in params["line_items"]
            ],
            "has_more": False,
        },
        "livemode": False,
        "metadata": params.get("metadata", {}),
        "mode": params["mode"],
        "payment_intent": stand_in.payment_intent_id or None,
        "payment_status": stand_in.payment_status,
        "status": stand_in.status,
        "subscription": stand_in.subscription_id or None,
        "success_url": params["success_url"],
        "url": None if complete else stand_in_url(stand_in.session_id),
    }


def _event(event_type: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"evt_offline_{secrets.token_hex(12)}",
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def stand_in_pay(stand_in) -> list[dict[str, Any]]:
    """Mark the stand-in session paid and return the events Stripe would send, in order."""
    order = stand_in.order
    subscription = stand_in.params["mode"] == "subscription"
    stand_in.status = "complete"
    stand_in.payment_status = "paid"
    if subscription:
        stand_in.subscription_id = f"sub_offline_{secrets.token_hex(10)}"
        stand_in.invoice_id = f"in_offline_{secrets.token_hex(10)}"
    else:
        stand_in.payment_intent_id = f"pi_offline_{secrets.token_hex(10)}"
    stand_in.save()
    session = stand_in_session_object(stand_in)
    session.pop("line_items")  # webhooks carry no line items, as on Stripe
    events = [_event("checkout.session.completed", session)]
    if subscription:
        now = int(time.time())
        period_end = now + 31 * 24 * 3600
        events.append(
            _event(
                "invoice.paid",
                stand_in_invoice(
                    invoice_id=stand_in.invoice_id,
                    subscription_id=stand_in.subscription_id,
                    customer=session["customer"],
                    email=order.customer.email,
                    amount=session["amount_total"],
                    currency=session["currency"],
                    period_start=now,
                    period_end=period_end,
                    billing_reason="subscription_create",
                    metadata=session["metadata"],
                ),
            )
        )
    return events


def stand_in_invoice(
    *,
    invoice_id: str,
    subscription_id: str,
    customer: str | None,
    email: str,
    amount: int,
    currency: str,
    period_start: int,
    period_end: int,
    billing_reason: str,
    metadata: dict,
    paid: bool = True,
) -> dict[str, Any]:
    """An Invoice in the current API shape (subscription under parent.subscription_details)."""
    return {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "billing_reason": billing_reason,
        "created": period_start,
        "currency": currency,
        "customer": customer,
        "customer_email": email,
        "lines": {
            "object": "list",
            "data": [
                {
                    "object": "line_item",
                    "amount": amount,
                    "currency": currency,
                    "period": {"start": period_start, "end": period_end},
                    "quantity": 1,
                }
            ],
            "has_more": False,
        },
        "livemode": False,
        "parent": {
            "type": "subscription_details",
            "quote_details": None,
            "subscription_details": {"metadata": metadata, "subscription": subscription_id},
        },
        "period_start": period_start,
        "period_end": period_end,
        "status": "paid" if paid else "open",
    }


def stand_in_subscription(membership, *, cancel_at_period_end: bool) -> dict[str, Any]:
    """A Subscription in the current API shape (the period lives on its items)."""
    start = int(membership.current_period_start.timestamp()) if membership.current_period_start else int(time.time())
    end = int(membership.current_period_end.timestamp()) if membership.current_period_end else start + 31 * 86400
    return {
        "id": membership.stripe_subscription_id,
        "object": "subscription",
        "cancel_at_period_end": cancel_at_period_end,
        "cancel_at": end if cancel_at_period_end else None,
        "customer": f"cus_offline_{membership.customer_id}",
        "status": "active",
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_offline_{membership.pk}",
                    "object": "subscription_item",
                    "current_period_start": start,
                    "current_period_end": end,
                    "quantity": 1,
                }
            ],
            "has_more": False,
        },
        "livemode": False,
        "metadata": {"order": membership.order.public_token, "kind": "membership"},
    }


def stand_in_charge_refunded(*, order, refunds) -> list[dict[str, Any]]:
    """The charge.refunded event Stripe sends after a refund, with its refunds listed."""
    refunded = sum(refund.amount_minor for refund in refunds)
    charge = {
        "id": f"ch_offline_{order.public_token[:12]}",
        "object": "charge",
        "amount": order.amount_total_minor,
        "amount_captured": order.amount_total_minor,
        "amount_refunded": refunded,
        "currency": order.currency,
        "customer": order.stripe_customer_id or None,
        "livemode": False,
        "paid": True,
        "payment_intent": order.stripe_payment_intent_id,
        "refunded": refunded >= order.amount_total_minor,
        "refunds": {
            "object": "list",
            "data": [
                {
                    "id": refund.stripe_refund_id,
                    "object": "refund",
                    "amount": refund.amount_minor,
                    "charge": f"ch_offline_{order.public_token[:12]}",
                    "created": int(refund.created_at.timestamp()) if refund.created_at else int(time.time()),
                    "currency": order.currency,
                    "payment_intent": order.stripe_payment_intent_id,
                    "status": "succeeded",
                }
                for refund in refunds
            ],
            "has_more": False,
        },
        "status": "succeeded",
    }
    return [_event("charge.refunded", charge)]


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
