"""Creating orders, starting Checkout, and the checkout outcomes other than payment.

Every amount comes from the offer, never from the request; what was sold is
snapshotted on the order line. The offer answers the rules (gift or not,
disclaimer, allowed amount, Checkout mode); nothing here switches on its type.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from home.performance.prepared import PreparedQuery

from .. import tasks
from ..models import (
    OFFER_MODELS,
    GiftCard,
    Offer,
    Order,
    OrderLine,
    PromotionCode,
    StandInCheckoutSession,
    normalise_code,
)
from ..payments import GatewayError, build_checkout_params, get_gateway, stand_in_objects
from .common import customer_get_or_create, normalise_email, valid_email
from .errors import ShopValidationError
from .giftcards import CARD_REFUSED, gift_card_for_payment, gift_card_release
from .outbox import deliver_on_commit, enqueue

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class GiftDetails:
    recipient_name: str
    recipient_email: str
    sender_name: str
    message: str = ""
    delivery_date: date | None = None


def offer_get(*, kind: str, slug: str) -> Offer | None:
    """An active offer by kind and slug, or None."""
    model = OFFER_MODELS.get(kind)
    if model is None:
        return None
    return model.objects.filter(slug=slug, active=True).first()


def _validate_gift(gift: GiftDetails | None, errors: dict[str, str]) -> None:
    if gift is None:
        return
    if not gift.recipient_name.strip():
        errors["recipient_name"] = "Enter the recipient's name."
    if valid_email(gift.recipient_email) is None:
        errors["recipient_email"] = "Enter one valid email address for the recipient, so we can send the gift."
    if not gift.sender_name.strip():
        errors["sender_name"] = "Enter your name as the recipient should see it."
    if len(gift.message or "") > 1000:
        errors["message"] = "Keep the message under 1,000 characters."
    if gift.delivery_date and gift.delivery_date < timezone.localdate():
        errors["delivery_date"] = "Choose today or a later date."


def buyer_checks(offer: Offer, *, email: str, name: str, errors: dict[str, str]) -> str:
    """The buyer's email (normalised) and name, and whether the offer is on sale; adds field messages."""
    email = normalise_email(email)
    if valid_email(email) is None:
        errors["email"] = "Enter a valid email address for your receipt (one address, e.g. maya@example.com)."
    if not (name or "").strip():
        errors["name"] = "Enter your name."
    if not offer.active:
        errors["offer"] = "This offer is no longer available."
    return email


def payment_checks(
    offer: Offer, *, promotion_code: str, gift_card: str, errors: dict[str, str]
) -> tuple[PromotionCode | None, GiftCard | None]:
    """The promotion code and the gift card a buyer gave, each checked; adds field messages (never the codes)."""
    promotion = None
    if promotion_code.strip():
        promotion = PromotionCode.objects.filter(code=normalise_code(promotion_code)).first()
        refusal = (
            promotion.refusal(offer_kind=offer.kind, currency=offer.currency)
            if promotion
            else "This promotion code is not valid."
        )
        if refusal:
            errors["promotion_code"] = refusal  # never the code itself: errors are shown and logged
    card = None
    if gift_card.strip():
        card = gift_card_for_payment(gift_card)
        if card is None:
            errors["gift_card"] = CARD_REFUSED  # the same answer for every kind of miss
        elif offer.checkout_mode != "payment":
            errors["gift_card"] = "A gift card pays for a series, a gift card or a session, not a membership."
    return promotion, card


def order_create(
    *,
    offer: Offer,
    email: str,
    name: str,
    disclaimer_accepted: bool = False,
    disclaimer_version: str = "1",
    amount_minor: int | None = None,
    gift: GiftDetails | None = None,
    promotion_code: str = "",
    gift_card: str = "",
) -> Order:
    """A pending order with its snapshotted line. Raises ShopValidationError with field messages."""
    errors: dict[str, str] = {}
    email = buyer_checks(offer, email=email, name=name, errors=errors)
    if offer.requires_gift and gift is None:
        errors["recipient_name"] = "A gift card needs a recipient."
    if gift is not None and not offer.accepts_gift():
        errors["offer"] = offer.refuses_gift_message()
    if amount_error := offer.amount_error(amount_minor):
        errors["amount"] = amount_error
    as_gift = gift is not None
    needs_disclaimer = offer.needs_disclaimer(as_gift=as_gift)
    if needs_disclaimer and not disclaimer_accepted:
        errors["accept_disclaimer"] = (
            "Please confirm that you have consulted a doctor or know of no reason massage is unsafe for you."
        )
    _validate_gift(gift, errors)
    promotion, card = payment_checks(offer, promotion_code=promotion_code, gift_card=gift_card, errors=errors)
    if errors:
        raise ShopValidationError(errors)

    unit_amount = offer.price_for(email=email, amount_minor=amount_minor)
    with transaction.atomic():
        customer = customer_get_or_create(email=email, name=name)
        order = Order.objects.create(
            customer=customer,
            kind=offer.kind,
            currency=offer.currency,
            amount_total_minor=unit_amount,
            disclaimer_version=disclaimer_version if needs_disclaimer else "",
            disclaimer_accepted_at=timezone.now() if needs_disclaimer else None,
            is_gift=as_gift,
            sender_name=gift.sender_name.strip() if gift else "",
            recipient_name=gift.recipient_name.strip() if gift else "",
            recipient_email=normalise_email(gift.recipient_email) if gift else "",
            gift_message=(gift.message or "").strip() if gift else "",
            delivery_date=(gift.delivery_date or timezone.localdate()) if gift else None,
            promotion_code=promotion,
            discount_minor=promotion.discount_on(unit_amount) if promotion else 0,
            paid_with_card=card,
        )
        OrderLine.objects.create(
            order=order, quantity=1, **offer.snapshot(unit_amount_minor=unit_amount, as_gift=as_gift)
        )
    return order


def order_start_checkout(*, order: Order, success_url: str, cancel_url: str) -> str:
    """Create (once) the Stripe Checkout Session for a pending order and return its URL.

    The idempotency key lives on the order, so a retried request returns the same
    session. On a Stripe error the order stays pending with the buyer-facing reason.
    """
    if order.status != Order.Status.PENDING:
        raise ShopValidationError({"order": "This order has already been paid or closed."})
    if order.stripe_checkout_session_id and order.checkout_url:
        return order.checkout_url
    gateway = get_gateway()
    try:
        if order.promotion_code_id and not order.discount_before_stripe:
            promotion_mirror(code=order.promotion_code, gateway=gateway)
        params = build_checkout_params(order, success_url=success_url, cancel_url=cancel_url)
        session = gateway.create_checkout_session(params, idempotency_key=order.idempotency_key)
    except GatewayError as error:
        Order.objects.filter(pk=order.pk).update(failure_reason=error.user_message)
        order.failure_reason = error.user_message
        raise
    Order.objects.filter(pk=order.pk).update(
        stripe_checkout_session_id=session.id, checkout_url=session.url, failure_reason=""
    )
    order.stripe_checkout_session_id, order.checkout_url, order.failure_reason = session.id, session.url, ""
    return session.url


def promotion_mirror(*, code: PromotionCode, gateway) -> PromotionCode:
    """The code's Stripe coupon and promotion code, made once (idempotently) and kept on it."""
    if code.stripe_promotion_code_id:
        return code
    coupon_id, promotion_id = gateway.create_promotion(code=code, idempotency_key=f"{code.pk}-{code.code}")
    PromotionCode.objects.filter(pk=code.pk).update(stripe_coupon_id=coupon_id, stripe_promotion_code_id=promotion_id)
    code.stripe_coupon_id, code.stripe_promotion_code_id = coupon_id, promotion_id
    return code


def _order_by(field: str, *, lock: bool) -> PreparedQuery:
    def build(value):
        # The lookup is unique: no ORDER BY (``first()`` would add the model's ordering).
        queryset = Order.objects.select_related("customer").order_by().filter(**{field: value})
        return (queryset.select_for_update(of=("self",)) if lock else queryset)[:1]

    return PreparedQuery(build, value=str)


# A webhook delivery's first read, built and compiled once per connection (home/performance/prepared.py).
_ORDER_BY = {
    (field, lock): _order_by(field, lock=lock)
    for field in ("public_token", "stripe_checkout_session_id")
    for lock in (True, False)
}


def order_for_session(session: dict[str, Any], *, lock: bool) -> Order | None:
    """Our order for a Checkout Session (by our reference, else by the session id), or None."""
    token = session.get("client_reference_id") or (session.get("metadata") or {}).get("order")
    order = _one(_ORDER_BY["public_token", lock](value=str(token))) if token else None
    if order is None and session.get("id"):
        order = _one(_ORDER_BY["stripe_checkout_session_id", lock](value=str(session["id"])))
    return order


def _one(rows: list) -> Any:
    return rows[0] if rows else None


# An order's line, built and compiled once per connection: a webhook delivery reads it.
_LINES_OF = PreparedQuery(lambda order: OrderLine.objects.filter(order_id=order)[:2], order=int)


def order_line(order: Order) -> OrderLine:
    """``order.lines.get()`` (an order has one line) by a prepared query, the line given its order;
    none or several raise as ``get()`` does."""
    lines = _LINES_OF(order=order.pk)
    if len(lines) != 1:
        return order.lines.get()  # Django's own error
    line = lines[0]
    OrderLine.order.field.set_cached_value(line, order)
    return line


def order_payment_failed(*, session: dict[str, Any]) -> Order | None:
    with transaction.atomic():
        order = order_for_session(session, lock=True)
        if order and order.fulfilled_at is None:
            gift_card_release(order)
            order.status = Order.Status.FAILED
            order.failure_reason = "The payment did not go through."
            order.save(update_fields=["status", "failure_reason", "updated_at"])
            enqueue(tasks.send_payment_failed_email, order.pk)
        return order


def order_expire(*, session: dict[str, Any]) -> Order | None:
    with transaction.atomic():
        order = order_for_session(session, lock=True)
        if order and order.status == Order.Status.PENDING:
            gift_card_release(order)
            order.status = Order.Status.EXPIRED
            order.save(update_fields=["status", "updated_at"])
        return order


def stand_in_checkout_pay(*, session_id: str, promotion_code: str = "") -> StandInCheckoutSession:
    """The buyer pressed Pay on the stand-in page: the events Stripe would send go to our webhook on commit.

    A promotion code the stand-in knows discounts the total, as Checkout would (an unknown one is refused).
    """
    with transaction.atomic():
        session = StandInCheckoutSession.objects.select_for_update().select_related("order__customer")
        session = session.get(session_id=session_id)
        if session.status != "open":
            return session
        if promotion_code and stand_in_objects.promotion_for(session, promotion_code) is None:
            raise ShopValidationError({"promotion_code": "This promotion code is not valid."})
        deliver_on_commit(stand_in_objects.stand_in_pay(session, promotion_code=promotion_code))
    return session
