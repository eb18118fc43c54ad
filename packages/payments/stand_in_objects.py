"""The Stripe-shaped objects and events the offline stand-in makes, in the pinned API version's shape.

Checkout Sessions, invoices (with the subscription's own line and its payment), subscriptions
(the period on their items), refunds, disputes, and the events that carry them. Objects the
stand-in makes are remembered (``StandInObject``) so its list calls can answer them later.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.conf import settings
from django.urls import reverse

from ..models import CreditGrant, Order, StandInObject
from .base import API_VERSION

# --- The stand-in's "hosted checkout": the objects and events Stripe would send -------------------------


def stand_in_url(session_id: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("shop:stand_in_checkout", kwargs={"session_id": session_id})


def stand_in_session_object(stand_in) -> dict[str, Any]:
    """A Checkout Session object in the current API shape, as Stripe would return it."""
    order = stand_in.order
    params = stand_in.params
    amount = sum(item["price_data"]["unit_amount"] * item["quantity"] for item in params["line_items"])
    discount = (stand_in.promotion or {}).get("amount_off", 0)
    complete = stand_in.status == "complete"
    return {
        "id": stand_in.session_id,
        "object": "checkout.session",
        "amount_subtotal": amount,
        "amount_total": amount - discount,
        "total_details": {"amount_discount": discount, "amount_shipping": 0, "amount_tax": 0},
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


def remember(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    """Keep an object the stand-in made, so its list calls can answer it later (reconcile)."""
    StandInObject.objects.update_or_create(
        object_id=obj["id"], defaults={"kind": kind, "payload": obj, "created": obj.get("created") or int(time.time())}
    )
    return obj


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


#: Promotion codes the stand-in accepts (percent off), so the demo can walk a discounted payment.
PROMOTION_CODES = {"WELCOME10": 10}


def promotion_for(stand_in, code: str) -> dict[str, Any] | None:
    """The discount a code gives on this session, or None for an unknown code."""
    percent = PROMOTION_CODES.get((code or "").strip().upper())
    if percent is None:
        return None
    amount = sum(item["price_data"]["unit_amount"] * item["quantity"] for item in stand_in.params["line_items"])
    return {"code": code.strip().upper(), "percent_off": percent, "amount_off": amount * percent // 100}


def stand_in_pay(stand_in, *, promotion_code: str = "") -> list[dict[str, Any]]:
    """Mark the stand-in session paid and return the events Stripe would send, in order."""
    order = stand_in.order
    if promotion_code:
        stand_in.promotion = promotion_for(stand_in, promotion_code)
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
                remember(
                    "invoices",
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
        "payments": {
            "object": "list",
            "data": [
                {
                    "object": "invoice_payment",
                    "payment": {"type": "payment_intent", "payment_intent": f"pi_offline_{invoice_id[-14:]}"},
                    "status": "paid" if paid else "open",
                }
            ],
            "has_more": False,
        },
        "subtotal": amount,
        "total": amount,
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
                    "id": f"il_offline_{invoice_id[-10:]}",
                    "object": "line_item",
                    "amount": amount,
                    "currency": currency,
                    "parent": {
                        "type": "subscription_item_details",
                        "subscription_item_details": {
                            "subscription": subscription_id,
                            "subscription_item": f"si_offline_{subscription_id[-10:]}",
                            "proration": billing_reason == "subscription_update",
                        },
                    },
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


def stand_in_subscription(
    membership, *, cancel_at_period_end: bool, cancel_at: int | None = None, resumes_at: int | None = None
) -> dict[str, Any]:
    """A Subscription in the current API shape (the period lives on its items)."""
    start = int(membership.current_period_start.timestamp()) if membership.current_period_start else int(time.time())
    end = int(membership.current_period_end.timestamp()) if membership.current_period_end else start + 31 * 86400
    return {
        "id": membership.stripe_subscription_id,
        "object": "subscription",
        "cancel_at_period_end": cancel_at_period_end,
        "cancel_at": cancel_at or (end if cancel_at_period_end else None),
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
        "pause_collection": {"behavior": "void", "resumes_at": resumes_at} if resumes_at else None,
    }


def stand_in_price(plan) -> dict[str, Any]:
    """A plan's recurring Price as Stripe shows it on a subscription item (our plan named in its metadata)."""
    return {
        "id": plan.stripe_price_id or f"price_offline_{plan.slug}",
        "object": "price",
        "currency": plan.currency,
        "metadata": {"plan": plan.slug},
        "recurring": {"interval": "month"},
        "unit_amount": plan.monthly_price_minor,
    }


def stand_in_renewal(membership, *, plan_change: bool = False, to_plan=None) -> list[dict[str, Any]]:
    """The next month's invoice.paid (``subscription_cycle``), or a plan change's proration invoice
    (``subscription_update``) followed by its customer.subscription.updated."""
    order = membership.order
    start = int(membership.current_period_end.timestamp()) if membership.current_period_end else int(time.time())
    if not plan_change and membership.paused_until and start < membership.paused_until.timestamp():
        return []  # paused: Stripe voids the month's invoice, nothing is paid or sent as paid
    amount = membership.plan.monthly_price_minor if membership.plan_terms and membership.plan else None
    amount = amount or order.lines.get().unit_amount_minor
    invoice = stand_in_invoice(
        invoice_id=f"in_offline_{secrets.token_hex(10)}",
        subscription_id=membership.stripe_subscription_id,
        customer=f"cus_offline_{membership.customer_id}",
        email=membership.customer.email,
        amount=amount // 2 if plan_change else amount,
        currency=order.currency,
        period_start=int(time.time()) if plan_change else start,
        period_end=start if plan_change else start + 31 * 86400,
        billing_reason="subscription_update" if plan_change else "subscription_cycle",
        metadata={"order": order.public_token, "kind": "membership"},
    )
    invoice["created"] = int(time.time())
    events = [_event("invoice.paid", remember("invoices", invoice))]
    if plan_change:
        subscription = stand_in_subscription(membership, cancel_at_period_end=False)
        if to_plan is not None:  # the item's price now is the new plan's (as the portal would set it)
            subscription["items"]["data"][0]["price"] = stand_in_price(to_plan)
        events.append(_event("customer.subscription.updated", subscription))
    return events


def stand_in_dispute(order, *, status: str) -> list[dict[str, Any]]:
    """charge.dispute.created (``needs_response``), or charge.dispute.closed as ``won`` or ``lost``."""
    dispute = {
        "id": order.dispute_id or f"dp_offline_{secrets.token_hex(10)}",
        "object": "dispute",
        "amount": order.amount_total_minor,
        "charge": stand_in_charge_id(order.stripe_payment_intent_id),
        "created": int(time.time()),
        "currency": order.currency,
        "livemode": False,
        "payment_intent": order.stripe_payment_intent_id,
        "reason": "product_not_received",
        "status": status,
    }
    closed = status in ("won", "lost")
    return [_event("charge.dispute.closed" if closed else "charge.dispute.created", remember("disputes", dispute))]


def _payment(payment_intent: str) -> dict[str, Any]:
    """What the stand-in knows of a payment: an order's, or a membership month's (its invoice's)."""
    order = Order.objects.filter(stripe_payment_intent_id=payment_intent).first()
    if order is not None:
        refunds = order.refunds.filter(grant__isnull=True)
        amount, customer = order.stripe_paid_minor, order.stripe_customer_id  # a gift card's part never reached it
    else:
        grant = CreditGrant.objects.select_related("membership__order").get(stripe_payment_intent_id=payment_intent)
        order, refunds = grant.membership.order, grant.refunds.all()
        amount, customer = grant.amount_paid_minor or 0, order.stripe_customer_id
    return {
        "amount": amount,
        "currency": order.currency,
        "customer": customer or None,
        "refunds": list(refunds.exclude(stripe_refund_id=None).order_by("pk")),
    }


def stand_in_charge_id(payment_intent: str) -> str:
    return f"ch_offline_{payment_intent[-16:]}"


def stand_in_refund(payment_intent: str, currency: str, *, refund_id: str, amount: int) -> dict[str, Any]:
    return {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "charge": stand_in_charge_id(payment_intent),
        "currency": currency,
        "payment_intent": payment_intent,
        "status": "succeeded",
    }


def stand_in_charge_refunded(*, payment_intent: str, paid: dict[str, Any], refunds: list[dict]) -> dict[str, Any]:
    """The charge.refunded event Stripe sends after a refund, with its refunds listed."""
    refunded = sum(refund["amount"] for refund in refunds)
    charge = {
        "id": stand_in_charge_id(payment_intent),
        "object": "charge",
        "amount": paid["amount"],
        "amount_captured": paid["amount"],
        "amount_refunded": refunded,
        "currency": paid["currency"],
        "customer": paid["customer"],
        "livemode": False,
        "paid": True,
        "payment_intent": payment_intent,
        "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}},
        "refunded": refunded >= paid["amount"],
        "refunds": {"object": "list", "data": refunds, "has_more": False},
        "status": "succeeded",
    }
    return _event("charge.refunded", charge)
