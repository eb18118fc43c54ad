"""Real Stripe through ``stripe.StripeClient`` (used when ``STRIPE_SECRET_KEY`` is set).

Every create call carries an idempotency key that the caller persisted, so a retried
request can never make two sessions or two refunds. Real Stripe sends its own webhooks,
so :meth:`StripeGateway.take_events` always answers nothing.
"""

from __future__ import annotations

import logging
from typing import Any

import stripe

from .base import API_VERSION, CheckoutSession, GatewayError, construct_event

logger = logging.getLogger(__name__)


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


class StripeGateway:
    """Real Stripe. ``http_client`` lets tests plug a fake transport into the real SDK."""

    offline = False

    def __init__(self, *, api_key: str, webhook_secret: str, http_client: stripe.HTTPClient | None = None):
        self.webhook_secret = webhook_secret
        self.client = stripe.StripeClient(
            api_key, stripe_version=API_VERSION, http_client=http_client, max_network_retries=2
        )

    def take_events(self) -> list[dict[str, Any]]:
        return []  # Stripe's own servers send the webhooks that follow our calls

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

    def cancel_subscription(self, *, subscription_id: str, cancel_at: int | None = None, membership=None) -> dict:
        """End the subscription at the paid period's end, or at ``cancel_at`` (a Unix time) when given."""
        params = {"cancel_at": cancel_at} if cancel_at else {"cancel_at_period_end": True}
        subscription = self._call("subscription update", self.client.v1.subscriptions.update, subscription_id, params)
        return subscription.to_dict(for_json=True)

    def pause_subscription(self, *, subscription_id: str, resumes_at: int, membership=None) -> dict:
        """Stop collecting payments until ``resumes_at`` (invoices meanwhile are voided); Stripe resumes it."""
        params = {"pause_collection": {"behavior": "void", "resumes_at": resumes_at}}
        subscription = self._call("subscription pause", self.client.v1.subscriptions.update, subscription_id, params)
        return subscription.to_dict(for_json=True)

    def change_subscription_plan(self, *, subscription_id: str, plan, membership=None) -> dict:
        """Move the subscription's one item to the plan's Stripe Price from the next billing cycle
        (no proration: this month was paid at the old plan's price and granted its sessions)."""
        current = self._call("subscription retrieve", self.client.v1.subscriptions.retrieve, subscription_id)
        item_id = current["items"]["data"][0]["id"]
        params = {"items": [{"id": item_id, "price": plan.stripe_price_id}], "proration_behavior": "none"}
        update = self.client.v1.subscriptions.update
        subscription = self._call("subscription plan change", update, subscription_id, params)
        return subscription.to_dict(for_json=True)

    def create_promotion(self, *, code, idempotency_key: str) -> tuple[str, str]:
        """Mirror one of our promotion codes to a Stripe coupon and promotion code: (coupon id, code id)."""
        coupon: dict[str, Any] = {"duration": "once", "name": code.code[:40], "metadata": {"code": code.code}}
        if code.percent_off is not None:
            coupon["percent_off"] = code.percent_off
        else:
            coupon.update(amount_off=code.amount_off_minor, currency=code.currency)
        made = self._call(
            "coupon create", self.client.v1.coupons.create, coupon, {"idempotency_key": f"coupon-{idempotency_key}"}
        )
        params: dict[str, Any] = {"promotion": {"type": "coupon", "coupon": made.id}, "code": code.code}
        if code.max_redemptions is not None:
            params["max_redemptions"] = code.max_redemptions
        if code.valid_until:
            params["expires_at"] = int(code.valid_until.timestamp())
        promotion = self._call(
            "promotion code create",
            self.client.v1.promotion_codes.create,
            params,
            {"idempotency_key": f"promotion-{idempotency_key}"},
        )
        return made.id, promotion.id

    def list_since(self, what: str, *, since: int) -> list[dict[str, Any]]:
        """Every object of a kind Stripe created since ``since`` (a Unix time), all pages."""
        resources = {
            "checkout_sessions": self.client.v1.checkout.sessions,
            "invoices": self.client.v1.invoices,
            "refunds": self.client.v1.refunds,
            "disputes": self.client.v1.disputes,
        }
        page = self._call(f"{what} list", resources[what].list, {"created": {"gte": since}, "limit": 100})
        return self._call(f"{what} list", lambda: [obj.to_dict(for_json=True) for obj in page.auto_paging_iter()])

    def create_portal_session(self, *, customer_id: str, return_url: str) -> str:
        session = self._call(
            "billing portal session create",
            self.client.v1.billing_portal.sessions.create,
            {"customer": customer_id, "return_url": return_url},
        )
        return session.url

    def construct_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        return construct_event(payload, signature, self.webhook_secret)
