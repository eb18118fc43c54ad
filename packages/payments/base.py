"""What both gateways share: errors, the Checkout Session we ask for, and webhook verification.

Only modules of ``packages.payments`` import ``stripe``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings

from home.money import format_money

# The API version every call asks for (stripe 16's own), and the one to give the webhook endpoint
# when creating it in Stripe's Dashboard, so events arrive in the shape the services read first.
# Older shapes (invoice.subscription, the period on the subscription) are read too.
API_VERSION = "2026-10-28.endive"


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


def build_checkout_params(order, *, success_url: str, cancel_url: str) -> dict[str, Any]:
    """The Checkout Session we ask for: every amount comes from the order, never from the request."""
    lines = list(order.lines.all())
    subscription = order.checkout_mode == "subscription"
    metadata = {"order": order.public_token, "kind": order.kind}
    line_items = []
    for line in lines:
        plan = line.plan if subscription else None
        if plan is not None and plan.stripe_price_id and not settings.STRIPE_OFFLINE:
            line_items.append({"price": plan.stripe_price_id, "quantity": line.quantity})
            continue
        unit_amount, quantity, description = line.unit_amount_minor, line.quantity, line.terms_text or line.name
        if order.card_amount_minor:  # one line per order: Stripe charges what the gift card left
            unit_amount, quantity = order.stripe_amount_due_minor, 1  # (for a bulk order's N cards at once)
            paid = format_money(order.card_amount_minor, order.currency)
            description = f"After a gift card paid {paid}. {description}"
            if order.discount_before_stripe:
                off = format_money(order.discount_minor, order.currency)
                description = f"After a discount of {off} ({order.promotion_code.code}) and a gift card paid {paid}. "
                description += line.terms_text or line.name
        price_data: dict[str, Any] = {
            "currency": line.currency,
            "unit_amount": unit_amount,
            "product_data": {"name": line.name, "description": description[:500]},
        }
        if subscription:
            price_data["recurring"] = {"interval": "month"}
        line_items.append({"price_data": price_data, "quantity": quantity})
    params: dict[str, Any] = {
        "mode": "subscription" if subscription else "payment",
        "line_items": line_items,
        "client_reference_id": order.public_token,
        "metadata": metadata,
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    promotion = order.promotion_code
    if order.discount_before_stripe:
        pass  # the discount is already off the line: no second one at Stripe, nor a code typed there
    elif promotion is not None and promotion.stripe_promotion_code_id:
        params["discounts"] = [{"promotion_code": promotion.stripe_promotion_code_id}]
    elif not settings.STRIPE_OFFLINE:
        params["allow_promotion_codes"] = True  # codes made in Stripe's Dashboard work on its page too
    if settings.SHOP_AUTOMATIC_TAX and not settings.STRIPE_OFFLINE:
        params["automatic_tax"] = {"enabled": True}  # Stripe Tax adds it; the order records it
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
