"""The shop API at ``/api/shop/`` (django-ninja, which Wagtail 8 already brings for its v3 API).

OpenAPI schema: ``/api/shop/openapi.json``; interactive docs: ``/api/shop/docs``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.debug import sensitive_variables
from ninja import NinjaAPI, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from home.base_models import StudioSettings
from home.content_cache import cached, reads_no_site

from .. import payments, selectors, services
from ..models import BulkGiftCardOffer, Order
from . import giftcards
from .ratelimit import checkout_rate_limited, gift_code_rate_limited
from .shop import checkout_return_urls

api = NinjaAPI(
    title="Runway Massage Studio — Shop API",
    version="1.0.0",
    description="Offers, checkout through Stripe Checkout, and order status. Amounts are integer minor units.",
    urls_namespace="shop_api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


@api.exception_handler(NinjaValidationError)
def validation_errors(request, exc: NinjaValidationError):
    errors = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "payload")]
        errors[".".join(loc) or "body"] = error.get("msg", "Invalid value.")
    return api.create_response(request, {"detail": "Invalid request.", "errors": errors}, status=422)


class OfferOut(Schema):
    kind: Literal["series", "membership", "gift-card", "session"]
    slug: str
    title: str
    summary: str
    currency: str
    price_minor: int
    price_display: str
    terms: str
    url: str
    treatment: str | None = None
    sessions: int | None = None
    session_minutes: int | None = None
    validity_months: int | None = None
    saving_minor: int | None = None
    sessions_per_month: int | None = None
    minimum_term_months: int | None = None
    fixed_amounts: list[int] | None = None
    min_amount_minor: int | None = None
    max_amount_minor: int | None = None
    allow_custom_amount: bool | None = None
    giftable: bool = False
    requires_disclaimer: bool


def _offer_out(offer) -> dict:
    return {
        "kind": offer.kind,
        "slug": offer.slug,
        "title": offer.title,
        "summary": offer.summary,
        "currency": offer.currency,
        "price_minor": offer.price_minor,
        "price_display": offer.price_display,
        "terms": offer.terms_text(),
        "url": offer.get_absolute_url(),
        "requires_disclaimer": offer.needs_disclaimer(as_gift=False),
        **offer.api_fields(),
    }


@api.get("/offers", response=list[OfferOut], summary="The active catalog with prices and terms")
def offers(request: HttpRequest):
    def build():
        catalog = selectors.catalog()
        return [_offer_out(offer) for offers in catalog.values() for offer in offers]

    # Any offer saved or deleted starts a new content generation (home/content_cache.py).
    return cached("api:shop:offers", build, request=request)


class GiftIn(Schema):
    recipient_name: str = Field(max_length=150)
    recipient_email: str = Field(max_length=254)
    sender_name: str = Field(max_length=150)
    message: str = Field(default="", max_length=1000)
    delivery_date: date | None = None


class CheckoutIn(Schema):
    kind: Literal["series", "membership", "gift-card", "session"]
    slug: str = Field(max_length=120)
    email: str = Field(max_length=254)
    name: str = Field(max_length=150)
    accept_disclaimer: bool = False
    amount_minor: int | None = Field(default=None, gt=0, description="Gift cards only: the amount in cents.")
    gift: GiftIn | None = Field(default=None, description="Required for gift cards; optional for a series.")
    gift_card: str = Field(
        default="",
        max_length=64,
        description=(
            "A gift card's code to pay part or all of the order with (series, gift cards: not memberships). "
            "Unusable codes answer 422 on this field, the same way whatever the reason; rate limited with the "
            "balance check."
        ),
    )
    promotion_code: str = Field(
        default="",
        max_length=40,
        description="A promotion code (case and spaces do not matter); unknown or expired codes answer 422.",
    )


class CheckoutOut(Schema):
    order: str
    checkout_url: str


def _pay(order: Order) -> Status:
    """Start paying a created order (Checkout, or a gift card alone) and answer as the checkout endpoints do."""
    success_url, cancel_url = checkout_return_urls(order, frontend=True)
    try:
        url = services.order_pay(order=order, success_url=success_url, cancel_url=cancel_url)
    except payments.GatewayError as error:
        return Status(502, {"detail": error.user_message, "errors": {}})
    except services.BalanceError as error:  # the card was spent elsewhere meanwhile
        return Status(422, {"detail": "Invalid request.", "errors": {"gift_card": str(error)}})
    return Status(201, {"order": order.public_token, "checkout_url": url})


@api.post(
    "/checkout",
    response={201: CheckoutOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut, 502: ErrorOut},
    summary="Create an order and its Stripe Checkout Session",
)
def checkout(request: HttpRequest, payload: CheckoutIn, response: HttpResponse):
    retry_after = checkout_rate_limited(request, payload.email)
    if retry_after:
        response["Retry-After"] = str(retry_after)
        return Status(429, {"detail": "Too many checkouts. Please try again later.", "errors": {}})
    if payload.gift_card and (retry_after := gift_code_rate_limited(request, payload.gift_card)):
        response["Retry-After"] = str(retry_after)
        return Status(429, {"detail": "Too many gift-card look-ups. Please try again later.", "errors": {}})
    offer = services.offer_get(kind=payload.kind, slug=payload.slug)
    if offer is None:
        return Status(404, {"detail": "No such active offer.", "errors": {"slug": "No such active offer."}})
    gift = services.GiftDetails(**payload.gift.dict()) if payload.gift else None
    try:
        order = services.order_create(
            offer=offer,
            email=payload.email,
            name=payload.name,
            disclaimer_accepted=payload.accept_disclaimer,
            disclaimer_version=StudioSettings.for_request(request).disclaimer_version,
            amount_minor=payload.amount_minor,
            gift=gift,
            promotion_code=payload.promotion_code,
            gift_card=payload.gift_card,
        )
    except services.ShopValidationError as error:
        return Status(422, {"detail": "Invalid request.", "errors": error.errors})
    return _pay(order)


class RecipientIn(Schema):
    name: str = Field(default="", max_length=1000)
    email: str = Field(default="", max_length=1000)
    message: str = Field(default="", max_length=5000, description="Up to 1,000 characters.")
    delivery_date: date | None = Field(default=None, description="Today or up to a year ahead; null: today.")


class BulkCheckoutIn(Schema):
    slug: str = Field(max_length=120, description="The gift-card offer's slug.")
    email: str = Field(max_length=254)
    name: str = Field(max_length=150)
    sender_name: str = Field(default="", max_length=1000, description="As recipients see it; empty: name.")
    amount_minor: int | None = Field(default=None, gt=0, description="Each card's amount in cents (offer's rules).")
    delivery: Literal["recipients", "codes"] = Field(
        description="recipients: each card emailed to its recipient on their date; codes: a one-time download."
    )
    quantity: int | None = Field(
        default=None,
        description="1 to 100 cards (codes). With recipients, one card per recipient: leave it out or match the list.",
    )
    recipients: list[RecipientIn] = Field(
        default_factory=list,
        description="delivery=recipients: 1 to 100 recipients, each checked; 422 errors are keyed "
        "recipients.<index>.<field> (index from 0), each message naming the recipient (from 1).",
    )
    gift_card: str = Field(default="", max_length=64, description="As on /checkout.")
    promotion_code: str = Field(default="", max_length=40, description="As on /checkout.")


@api.post(
    "/gift-cards/bulk",
    response={201: CheckoutOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut, 502: ErrorOut},
    summary="Order up to 100 gift cards of one amount (a list of recipients, or codes for the buyer)",
    description=(
        "One Stripe Checkout Session with a line of quantity N. Every field and every recipient is checked before "
        "any payment; a 422 lists one message per field and per recipient and field. With delivery=codes, the "
        "paid order's page offers the codes once (POST /api/shop/orders/{token}/codes)."
    ),
)
def gift_cards_bulk(request: HttpRequest, payload: BulkCheckoutIn, response: HttpResponse):
    retry_after = checkout_rate_limited(request, payload.email)
    if not retry_after and payload.gift_card:
        retry_after = gift_code_rate_limited(request, payload.gift_card)
    if retry_after:
        response["Retry-After"] = str(retry_after)
        return Status(429, {"detail": "Too many checkouts. Please try again later.", "errors": {}})
    offer = services.offer_get(kind=BulkGiftCardOffer.kind, slug=payload.slug)
    if offer is None:
        return Status(404, {"detail": "No such active offer.", "errors": {"slug": "No such active offer."}})
    recipients = [
        services.RecipientRow(label=f"Recipient {number}", **recipient.dict())
        for number, recipient in enumerate(payload.recipients, start=1)
    ]
    try:
        order = services.bulk_order_create(
            offer=offer,
            email=payload.email,
            name=payload.name,
            sender_name=payload.sender_name,
            amount_minor=payload.amount_minor,
            delivery=payload.delivery,
            quantity=payload.quantity,
            recipients=recipients,
            promotion_code=payload.promotion_code,
            gift_card=payload.gift_card,
        )
    except services.ShopValidationError as error:
        return Status(422, {"detail": "Invalid request.", "errors": error.errors})
    return _pay(order)


@api.post(
    "/orders/{token}/codes",
    response={200: str, 404: ErrorOut, 409: ErrorOut},
    summary="A paid bulk order's gift codes, once (text/csv)",
    description="Works once: later calls answer 409 with when they were downloaded. Codes appear nowhere else.",
    openapi_extra={"responses": {200: {"content": {"text/csv": {"schema": {"type": "string"}}}}}},
)
@sensitive_variables("codes")
def bulk_codes(request: HttpRequest, token: str):
    order = get_object_or_404(Order, public_token=token)
    try:
        codes = services.bulk_codes_issue(order_id=order.pk)
    except services.BulkError as error:
        return Status(409, {"detail": str(error), "errors": {}})
    response = HttpResponse(services.bulk_codes_csv(order, codes), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="gift-card-codes-{token[:8]}.csv"'
    response["Cache-Control"] = "no-store, private"
    return response


class LineOut(Schema):
    name: str
    quantity: int
    unit_amount_minor: int
    currency: str
    terms: str


class OrderOut(Schema):
    order: str
    kind: str
    status: str
    status_display: str
    currency: str
    amount_total_minor: int
    is_gift: bool
    lines: list[LineOut]
    sessions_granted: int | None = None
    membership_status: str | None = None
    gift_card_status: str | None = None
    delivery_date: date | None = None
    bulk_delivery: Literal["recipients", "codes"] | None = Field(default=None, description="Bulk gift-card orders.")
    gift_cards_issued: int | None = Field(default=None, description="Bulk orders: cards made once paid.")
    codes_waiting: int | None = Field(default=None, description="Bulk codes orders: codes not yet downloaded.")


@api.get("/orders/{token}", response={200: OrderOut, 404: ErrorOut}, summary="An order's status and what was bought")
def order_status(request: HttpRequest, token: str):
    order = get_object_or_404(Order, public_token=token)
    summary = selectors.order_summary(order)
    data = {
        "order": order.public_token,
        "kind": order.kind,
        "status": order.status,
        "status_display": order.get_status_display(),
        "currency": order.currency,
        "amount_total_minor": order.amount_total_minor,
        "is_gift": order.is_gift,
        "delivery_date": order.delivery_date,
        "lines": [
            {
                "name": line.name,
                "quantity": line.quantity,
                "unit_amount_minor": line.unit_amount_minor,
                "currency": line.currency,
                "terms": line.terms_text,
            }
            for line in summary["lines"]
        ],
    }
    if summary["grants"]:
        data["sessions_granted"] = sum(grant.sessions_granted for grant in summary["grants"])
    if summary["membership"]:
        data["membership_status"] = summary["membership"].status
    if summary["gift_card"]:
        data["gift_card_status"] = summary["gift_card"].status
    if bulk := summary.get("bulk"):
        data.update(bulk_delivery=bulk["delivery"] or None, gift_cards_issued=bulk["cards_issued"])
        data["codes_waiting"] = bulk.get("codes_waiting")
    return data


# --- Gift-card balance (public, rate limited) ---------------------------------------------------------------


class GiftCardBalanceIn(Schema):
    code: str = Field(max_length=64, description="The gift code; case, spaces and dashes do not matter.")


class GiftCardBalanceOut(Schema):
    kind: Literal["amount", "series"]
    currency: str
    balance_minor: int = Field(description="Money left on the card, in cents (0 for a gifted series).")
    balance_display: str
    expires_at: datetime | None = Field(description="When the card or its sessions expire; null: never.")
    sessions_left: int | None = Field(default=None, description="Gifted series only.")
    session_minutes: int | None = None
    treatment: str | None = None


@api.post(
    "/gift-cards/balance",
    response={200: GiftCardBalanceOut, 404: ErrorOut, 429: ErrorOut},
    summary="What is left on a gift card",
    description=(
        "The same 404 answers an unknown, voided, expired or not yet delivered code. Limited per client and per "
        "code (429 with Retry-After); the balance page and the print page count against the same limits."
    ),
)
def gift_card_balance(request: HttpRequest, payload: GiftCardBalanceIn, response: HttpResponse):
    retry_after = gift_code_rate_limited(request, payload.code)
    if retry_after:
        response["Retry-After"] = str(retry_after)
        return Status(429, {"detail": "Too many look-ups. Please try again later.", "errors": {}})
    balance = giftcards.gift_card_balance_lookup(payload.code)
    if balance is None:
        return Status(404, {"detail": giftcards.UNKNOWN_CODE, "errors": {}})
    return balance.as_dict()


# Operations that show nothing of the site (no page URL, no studio setting): their requests skip
# the Site and its settings (``reads_no_site``). django-ninja serves each URL through a view of its
# own, so the mark goes on the URL patterns' views, by operation name.
_READS_NO_SITE = {"offers"}


def _urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name in _READS_NO_SITE:
            reads_no_site(pattern.callback)
    return patterns, app_name, namespace


# What site/urls.py mounts at /api/shop/.
urls = _urls()
