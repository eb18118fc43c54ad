"""Stripe, in one package: the only code that imports ``stripe``.

* :mod:`.base` — errors, the Checkout Session parameters, webhook verification;
* :mod:`.client` — real Stripe (``StripeClient``), used when ``STRIPE_SECRET_KEY`` is set;
* :mod:`.stand_in` — the offline stand-in for Checkout, used when no key is set;
* :mod:`.webhooks` — the webhook view and its ``{event type: service}`` table (it sits
  above the services, so nothing here imports it).

Both gateways have one interface; :func:`get_gateway` picks one.
"""

from __future__ import annotations

import stripe
from django.conf import settings

from . import stand_in_objects
from .base import API_VERSION, CheckoutSession, GatewayError, InvalidWebhook, build_checkout_params, construct_event
from .client import StripeGateway
from .stand_in import StandInGateway

__all__ = [
    "API_VERSION",
    "CheckoutSession",
    "GatewayError",
    "InvalidWebhook",
    "StandInGateway",
    "StripeGateway",
    "build_checkout_params",
    "construct_event",
    "get_gateway",
    "stand_in_objects",
]

# Tests swap this for a fake transport; production leaves it None (the SDK's default client).
http_client: stripe.HTTPClient | None = None


def get_gateway() -> StripeGateway | StandInGateway:
    if settings.STRIPE_SECRET_KEY:
        return StripeGateway(
            api_key=settings.STRIPE_SECRET_KEY, webhook_secret=settings.STRIPE_WEBHOOK_SECRET, http_client=http_client
        )
    return StandInGateway(webhook_secret=settings.STRIPE_WEBHOOK_SECRET)
