"""Every write the shop makes, each in one transaction with row locks.

Fulfilment is idempotent and keyed by the order (its Checkout Session), not by
the event that triggered it: the webhook and the success page both call
:func:`order_fulfil`, and whichever comes second finds the work done.
"""

from __future__ import annotations

import calendar
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from home.money import format_money

from . import stripe_gateway
from .models import (
    OFFER_MODELS,
    CreditEntry,
    CreditGrant,
    Customer,
    GiftCard,
    GiftCardEntry,
    GiftCardOffer,
    LedgerKind,
    Membership,
    MembershipPlan,
    Order,
    OrderLine,
    OrderRefund,
    SessionSeries,
    StandInCheckoutSession,
)

logger = logging.getLogger(__name__)

# 31 characters with no look-alikes (no 0/O, 1/I/L): 16 of them carry about 79 bits.
GIFT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GIFT_CODE_LENGTH = 16


class ShopValidationError(Exception):
    """Bad input from a buyer: ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class FulfilmentError(Exception):
    """Stripe told us something we cannot square with the order (kept on the event for staff)."""


# --- Small helpers --------------------------------------------------------------------------


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def from_timestamp(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def normalise_gift_code(code: str) -> str:
    """Codes are accepted regardless of case, spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def gift_code_hash(code: str) -> str:
    key = settings.GIFT_CARD_CODE_KEY.encode()
    return hmac.new(key, normalise_gift_code(code).encode(), hashlib.sha256).hexdigest()


def format_gift_code(code: str) -> str:
    code = normalise_gift_code(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_gift_code() -> str:
    return "".join(secrets.choice(GIFT_CODE_ALPHABET) for _ in range(GIFT_CODE_LENGTH))


def gift_expiry(issued: datetime) -> datetime | None:
    """When a gift expires: never by default, else GIFT_CARD_EXPIRY_YEARS (at least 5) after issue."""
    years = settings.GIFT_CARD_EXPIRY_YEARS
    return add_months(issued, 12 * years) if years else None


def customer_get_or_create(*, email: str, name: str = "") -> Customer:
    email = normalise_email(email)
    customer, created = Customer.objects.get_or_create(email=email, defaults={"name": name.strip()})
    if not created and name and not customer.name:
        customer.name = name.strip()
        customer.save(update_fields=["name"])
    return customer


# --- Creating orders and starting checkout ------------------------------------------------------


@dataclass(frozen=True)
class GiftDetails:
    recipient_name: str
    recipient_email: str
    sender_name: str
    message: str = ""
    delivery_date: date | None = None


def offer_get(*, kind: str, slug: str):
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
    if "@" not in (gift.recipient_email or ""):
        errors["recipient_email"] = "Enter the recipient's email address, so we can send the gift."
    if not gift.sender_name.strip():
        errors["sender_name"] = "Enter your name as the recipient should see it."
    if len(gift.message or "") > 1000:
        errors["message"] = "Keep the message under 1,000 characters."
    if gift.delivery_date and gift.delivery_date < timezone.localdate():
        errors["delivery_date"] = "Choose today or a later date."


def order_create(
    *,
    offer: SessionSeries | MembershipPlan | GiftCardOffer,
    email: str,
    name: str,
    disclaimer_accepted: bool = False,
    disclaimer_version: str = "1",
    amount_minor: int | None = None,
    gift: GiftDetails | None = None,
) -> Order:
    """A pending order with its snapshotted line. Raises ShopValidationError with field messages."""
    errors: dict[str, str] = {}
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        errors["email"] = "Enter a valid email address for your receipt."
    if not (name or "").strip():
        errors["name"] = "Enter your name."
    if not offer.active:
        errors["offer"] = "This offer is no longer available."

    is_gift_card = isinstance(offer, GiftCardOffer)
    if is_gift_card:
        if gift is None:
            errors["recipient_name"] = "A gift card needs a recipient."
        if amount_minor is None:
            errors["amount"] = "Choose an amount."
        elif not offer.amount_is_allowed(amount_minor):
            errors["amount"] = (
                f"Choose one of the listed amounts or an amount between {offer.money(offer.min_amount_minor)} "
                f"and {offer.money(offer.max_amount_minor)}."
                if offer.allow_custom_amount
                else "Choose one of the listed amounts."
            )
        unit_amount = amount_minor or 0
    else:
        unit_amount = offer.price_minor
    if isinstance(offer, MembershipPlan) and gift is not None:
        errors["offer"] = "Memberships cannot be given as gifts; give a gift card or a series instead."
    if isinstance(offer, SessionSeries) and gift is not None and not offer.giftable:
        errors["offer"] = "This series cannot be given as a gift."
    # Buying treatments for yourself needs the "see a doctor first" acknowledgement.
    needs_disclaimer = not is_gift_card and gift is None
    if needs_disclaimer and not disclaimer_accepted:
        errors["accept_disclaimer"] = (
            "Please confirm that you have consulted a doctor or know of no reason massage is unsafe for you."
        )
    _validate_gift(gift, errors)
    if errors:
        raise ShopValidationError(errors)

    line_name = f"{offer.title} — {offer.money(unit_amount)}" if is_gift_card else offer.title
    with transaction.atomic():
        customer = customer_get_or_create(email=email, name=name)
        order = Order.objects.create(
            customer=customer,
            kind=offer.kind,
            currency=offer.currency,
            amount_total_minor=unit_amount,
            disclaimer_version=disclaimer_version if needs_disclaimer else "",
            disclaimer_accepted_at=timezone.now() if needs_disclaimer else None,
            is_gift=gift is not None,
            sender_name=gift.sender_name.strip() if gift else "",
            recipient_name=gift.recipient_name.strip() if gift else "",
            recipient_email=normalise_email(gift.recipient_email) if gift else "",
            gift_message=(gift.message or "").strip() if gift else "",
            delivery_date=(gift.delivery_date or timezone.localdate()) if gift else None,
        )
        OrderLine.objects.create(
            order=order,
            name=line_name,
            description=offer.summary,
            unit_amount_minor=unit_amount,
            quantity=1,
            currency=offer.currency,
            terms=offer.terms(),
            terms_text=offer.terms_text(as_gift=True)
            if gift and isinstance(offer, SessionSeries)
            else offer.terms_text(),
            series=offer if isinstance(offer, SessionSeries) else None,
            plan=offer if isinstance(offer, MembershipPlan) else None,
            gift_card_offer=offer if is_gift_card else None,
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
    gateway = stripe_gateway.get_gateway()
    params = stripe_gateway.build_checkout_params(order, success_url=success_url, cancel_url=cancel_url)
    try:
        session = gateway.create_checkout_session(params, idempotency_key=order.idempotency_key)
    except stripe_gateway.GatewayError as error:
        Order.objects.filter(pk=order.pk).update(failure_reason=error.user_message)
        order.failure_reason = error.user_message
        raise
    Order.objects.filter(pk=order.pk).update(
        stripe_checkout_session_id=session.id, checkout_url=session.url, failure_reason=""
    )
    order.stripe_checkout_session_id, order.checkout_url, order.failure_reason = session.id, session.url, ""
    return session.url


# --- Fulfilment -----------------------------------------------------------------------------------


def _order_for_session(session: dict[str, Any], *, lock: bool) -> Order | None:
    token = session.get("client_reference_id") or (session.get("metadata") or {}).get("order")
    queryset = Order.objects.select_related("customer")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    order = queryset.filter(public_token=token).first() if token else None
    if order is None and session.get("id"):
        order = queryset.filter(stripe_checkout_session_id=session["id"]).first()
    return order


def order_sync_from_session(*, session: dict[str, Any]) -> Order | None:
    """Bring the order up to date with a Checkout Session (from a webhook or the success page).

    Sessions that are not ours (Payment Links, the Dashboard, another app on the same
    account) are ignored: answering an error would only make Stripe retry for days.
    """
    if session.get("payment_status") in ("paid", "no_payment_required"):
        return order_fulfil(session=session)
    with transaction.atomic():
        order = _order_for_session(session, lock=True)
        if order and order.status == Order.Status.PENDING and session.get("status") == "complete":
            order.status = Order.Status.PROCESSING
            order.stripe_checkout_session_id = order.stripe_checkout_session_id or session.get("id")
            order.stripe_session = session
            order.save(update_fields=["status", "stripe_checkout_session_id", "stripe_session", "updated_at"])
        return order


def order_fulfil(*, session: dict[str, Any]) -> Order | None:
    """Fulfil the order paid by this Checkout Session, exactly once."""
    with transaction.atomic():
        order = _order_for_session(session, lock=True)
        if order is None:
            logger.info("Ignoring checkout session %s: no order of ours", session.get("id"))
            return None
        if order.fulfilled_at is not None:
            return order  # done before: by the webhook, the success page, or a duplicate
        if session.get("payment_status") not in ("paid", "no_payment_required"):
            raise FulfilmentError(f"Checkout session {session.get('id')} is not paid")
        if session.get("amount_total") is not None and session["amount_total"] != order.amount_total_minor:
            raise FulfilmentError(
                f"Checkout session {session.get('id')} charged {session['amount_total']} "
                f"but order {order.public_token} totals {order.amount_total_minor}"
            )
        now = timezone.now()
        order.status = Order.Status.FULFILLED
        order.paid_at = order.paid_at or now
        order.fulfilled_at = now
        order.stripe_checkout_session_id = order.stripe_checkout_session_id or session.get("id")
        order.stripe_payment_intent_id = session.get("payment_intent") or ""
        order.stripe_subscription_id = session.get("subscription") or ""
        order.stripe_customer_id = session.get("customer") or ""
        order.stripe_session = {k: v for k, v in session.items() if k != "line_items"}
        order.failure_reason = ""
        order.save()
        if order.stripe_customer_id and not order.customer.stripe_customer_id:
            Customer.objects.filter(pk=order.customer_id).update(stripe_customer_id=order.stripe_customer_id)

        line = order.lines.get()
        if order.kind == Order.Kind.SERIES:
            _fulfil_series(order, line, now)
        elif order.kind == Order.Kind.GIFT_CARD:
            _fulfil_gift_card(order, line)
        elif order.kind == Order.Kind.MEMBERSHIP:
            _fulfil_membership(order, line, session)
        from . import tasks

        transaction.on_commit(lambda: tasks.send_order_emails.enqueue(order.pk))
    return order


def _credit_grant_create(
    *,
    customer: Customer,
    source: str,
    terms: dict,
    sessions: int,
    expires_at: datetime | None,
    order: Order | None = None,
    membership: Membership | None = None,
    stripe_invoice_id: str | None = None,
    reason: str,
    reference: str = "",
) -> CreditGrant:
    grant = CreditGrant.objects.create(
        customer=customer,
        order=order,
        membership=membership,
        source=source,
        treatment_name=terms["treatment"],
        session_minutes=terms["session_minutes"],
        sessions_granted=sessions,
        balance=sessions,
        expires_at=expires_at,
        stripe_invoice_id=stripe_invoice_id,
    )
    CreditEntry.objects.create(grant=grant, kind=LedgerKind.GRANT, delta=sessions, reason=reason, reference=reference)
    return grant


def _fulfil_series(order: Order, line: OrderLine, now: datetime) -> None:
    terms = line.terms
    expires_at = add_months(now, terms["validity_months"])
    if not order.is_gift:
        _credit_grant_create(
            customer=order.customer,
            source=CreditGrant.Source.SERIES,
            terms=terms,
            sessions=terms["sessions"],
            expires_at=expires_at,
            order=order,
            reason=f"Bought {line.name}",
            reference=order.public_token,
        )
        return
    recipient = customer_get_or_create(email=order.recipient_email, name=order.recipient_name)
    grant = _credit_grant_create(
        customer=recipient,
        source=CreditGrant.Source.GIFT,
        terms=terms,
        sessions=terms["sessions"],
        # A gifted series is a gift card for services: it follows the gift-card expiry
        # policy (none, or at least five years under the US CARD Act), not the series'.
        expires_at=gift_expiry(now),
        order=order,
        reason=f"Gift from {order.sender_name}: {line.name}",
        reference=order.public_token,
    )
    _gift_card_create(order, kind=GiftCard.Kind.SERIES, amount_minor=0, grant=grant)


def _fulfil_gift_card(order: Order, line: OrderLine) -> None:
    _gift_card_create(order, kind=GiftCard.Kind.AMOUNT, amount_minor=line.unit_amount_minor)


def _gift_card_create(order: Order, *, kind: str, amount_minor: int, grant: CreditGrant | None = None) -> GiftCard:
    card = GiftCard.objects.create(
        order=order,
        kind=kind,
        currency=order.currency,
        initial_amount_minor=amount_minor,
        balance_minor=amount_minor,
        grant=grant,
        recipient_name=order.recipient_name,
        recipient_email=order.recipient_email,
        sender_name=order.sender_name,
        message=order.gift_message,
        deliver_on=order.delivery_date or timezone.localdate(),
    )
    if amount_minor:
        GiftCardEntry.objects.create(
            card=card, kind=LedgerKind.GRANT, delta_minor=amount_minor, reason="Bought", reference=order.public_token
        )
    from . import tasks

    transaction.on_commit(lambda: tasks.schedule_gift_card_delivery(card))
    return card


def _fulfil_membership(order: Order, line: OrderLine, session: dict[str, Any]) -> None:
    subscription_id = session.get("subscription")
    if not subscription_id:
        raise FulfilmentError(f"Membership checkout {session.get('id')} has no subscription")
    membership, _ = Membership.objects.get_or_create(
        stripe_subscription_id=subscription_id,
        defaults={
            "customer": order.customer,
            "plan_id": line.plan_id,
            "order": order,
            "status": Membership.Status.ACTIVE,
        },
    )
    if session.get("invoice"):
        # The first month's sessions, keyed by the first invoice; invoice.paid may bring the period.
        now = timezone.now()
        membership_grant_month(
            membership=membership,
            invoice_id=session["invoice"],
            period_start=now,
            period_end=add_months(now, 1),
        )


def membership_grant_month(
    *, membership: Membership, invoice_id: str, period_start: datetime, period_end: datetime
) -> CreditGrant | None:
    """Grant one paid month's sessions, once per invoice, rolling over unused ones up to the cap."""
    if CreditGrant.objects.filter(stripe_invoice_id=invoice_id).exists():
        return None
    terms = membership.order.lines.get().terms
    cap = terms.get("rollover_cap", 0)
    carried = 0
    for previous in CreditGrant.objects.select_for_update().filter(membership=membership, balance__gt=0):
        keep = min(previous.balance, cap - carried)
        carried += keep
        CreditEntry.objects.create(
            grant=previous,
            kind=LedgerKind.EXPIRE,
            delta=-previous.balance,
            reason=f"Month ended; {keep} session(s) rolled over" if keep else "Month ended",
            reference=invoice_id,
        )
        CreditGrant.objects.filter(pk=previous.pk).update(balance=0)
    sessions = terms["sessions_per_month"]
    try:
        with transaction.atomic():
            grant = _credit_grant_create(
                customer=membership.customer,
                source=CreditGrant.Source.MEMBERSHIP,
                terms=terms,
                sessions=sessions + carried,
                expires_at=period_end + timedelta(days=7),
                membership=membership,
                stripe_invoice_id=invoice_id,
                reason=f"Membership month {period_start:%b %d}–{period_end:%b %d}"
                + (f" (+{carried} rolled over)" if carried else ""),
                reference=invoice_id,
            )
    except IntegrityError:
        return None  # a concurrent delivery granted this invoice first
    Membership.objects.filter(pk=membership.pk).update(current_period_start=period_start, current_period_end=period_end)
    return grant


# --- Checkout outcomes other than success -----------------------------------------------------------


def order_payment_failed(*, session: dict[str, Any]) -> Order | None:
    with transaction.atomic():
        order = _order_for_session(session, lock=True)
        if order and order.fulfilled_at is None:
            order.status = Order.Status.FAILED
            order.failure_reason = "The payment did not go through."
            order.save(update_fields=["status", "failure_reason", "updated_at"])
            from . import tasks

            transaction.on_commit(lambda: tasks.send_payment_failed_email.enqueue(order.pk))
        return order


def order_expire(*, session: dict[str, Any]) -> Order | None:
    with transaction.atomic():
        order = _order_for_session(session, lock=True)
        if order and order.status == Order.Status.PENDING:
            order.status = Order.Status.EXPIRED
            order.save(update_fields=["status", "updated_at"])
        return order


# --- Memberships ----------------------------------------------------------------------------------------


def _invoice_subscription(invoice: dict[str, Any]) -> tuple[str | None, dict]:
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription") or invoice.get("subscription"), details.get("metadata") or {}


def _invoice_period(invoice: dict[str, Any]) -> tuple[datetime, datetime]:
    lines = (invoice.get("lines") or {}).get("data") or []
    period = (lines[0].get("period") if lines else None) or {}
    start = from_timestamp(period.get("start") or invoice.get("period_start")) or timezone.now()
    end = from_timestamp(period.get("end") or invoice.get("period_end")) or add_months(start, 1)
    return start, end


def membership_invoice_paid(*, invoice: dict[str, Any]) -> CreditGrant | None:
    """A paid month: grant its sessions once per invoice; the first may arrive before checkout completes."""
    subscription_id, metadata = _invoice_subscription(invoice)
    if not subscription_id:
        return None  # not a subscription invoice: nothing of ours
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
        if membership is None:
            order = Order.objects.filter(public_token=metadata.get("order", "")).first()
            if order is None:
                logger.info("Ignoring invoice %s: subscription %s is not ours", invoice.get("id"), subscription_id)
                return None
            # invoice.paid overtook checkout.session.completed: fulfil from what the invoice says.
            order_fulfil(
                session={
                    "id": order.stripe_checkout_session_id,
                    "client_reference_id": order.public_token,
                    "payment_status": "paid",
                    "amount_total": invoice.get("amount_paid"),
                    "subscription": subscription_id,
                    "customer": invoice.get("customer"),
                    "invoice": None,
                }
            )
            membership = Membership.objects.select_for_update().get(stripe_subscription_id=subscription_id)
        start, end = _invoice_period(invoice)
        grant = membership_grant_month(
            membership=membership, invoice_id=invoice["id"], period_start=start, period_end=end
        )
        Membership.objects.filter(pk=membership.pk, status=Membership.Status.PAST_DUE).update(
            status=Membership.Status.ACTIVE
        )
        Membership.objects.filter(pk=membership.pk).update(current_period_start=start, current_period_end=end)
        return grant


def membership_invoice_failed(*, invoice: dict[str, Any]) -> Membership | None:
    """A renewal failed: mark past due and tell the customer once per invoice."""
    subscription_id, _ = _invoice_subscription(invoice)
    if not subscription_id:
        return None
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(stripe_subscription_id=subscription_id).first()
        if membership is None:
            return None
        membership.status = Membership.Status.PAST_DUE
        notify = membership.past_due_notified_for != invoice["id"]
        membership.past_due_notified_for = invoice["id"]
        membership.save(update_fields=["status", "past_due_notified_for", "updated_at"])
        if notify:
            from . import tasks

            transaction.on_commit(lambda: tasks.send_membership_past_due_email.enqueue(membership.pk))
        return membership


SUBSCRIPTION_STATUS = {
    "active": Membership.Status.ACTIVE,
    "trialing": Membership.Status.ACTIVE,
    "past_due": Membership.Status.PAST_DUE,
    "unpaid": Membership.Status.UNPAID,
    "canceled": Membership.Status.CANCELED,
    "incomplete": Membership.Status.INCOMPLETE,
    "incomplete_expired": Membership.Status.CANCELED,
    "paused": Membership.Status.PAST_DUE,
}


def membership_sync_subscription(*, subscription: dict[str, Any], event_created: int) -> Membership | None:
    """Apply customer.subscription.updated/.deleted; an older event never overwrites a newer one."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(stripe_subscription_id=subscription["id"]).first()
        if membership is None:
            token = (subscription.get("metadata") or {}).get("order", "")
            if token and Order.objects.filter(public_token=token, kind=Order.Kind.MEMBERSHIP).exists():
                # Ours, but checkout has not been fulfilled yet: fail so Stripe delivers it again later.
                raise FulfilmentError(f"Subscription {subscription['id']} arrived before its checkout completed")
            return None  # not one of our memberships
        if event_created < membership.last_event_at:
            return membership
        if membership.status == Membership.Status.CANCELED and subscription.get("status") != "canceled":
            return membership  # a cancelled subscription never comes back to life
        membership.status = SUBSCRIPTION_STATUS.get(subscription.get("status"), membership.status)
        membership.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
        items = (subscription.get("items") or {}).get("data") or []
        if items and items[0].get("current_period_end"):
            membership.current_period_start = from_timestamp(items[0].get("current_period_start"))
            membership.current_period_end = from_timestamp(items[0]["current_period_end"])
        membership.last_event_at = event_created
        membership.save()
        return membership


# --- Gift-card delivery -----------------------------------------------------------------------------------


def gift_card_deliver(*, card_id: int, force: bool = False) -> str | None:
    """Issue the code and email it to the recipient, once, on or after the delivery date.

    The code exists in clear only inside this function and the email it sends; we
    keep its keyed hash and last four characters. Returns the code (for the email),
    or None when there was nothing to deliver.
    """
    from . import emails

    with transaction.atomic():
        card = GiftCard.objects.select_for_update().select_related("order").get(pk=card_id)
        if card.status != GiftCard.Status.SCHEDULED:
            return None
        if not force and card.deliver_on > timezone.localdate():
            return None
        code = new_gift_code()
        now = timezone.now()
        card.code_hash = gift_code_hash(code)
        card.code_last4 = code[-4:]
        card.status = GiftCard.Status.ACTIVE
        card.delivered_at = now
        card.expires_at = gift_expiry(now)
        card.save()
        # Sent inside the transaction: if the mail server refuses, nothing is marked delivered.
        emails.send_gift_card_to_recipient(card, code=format_gift_code(code))
    transaction.on_commit(lambda: emails.send_gift_card_delivered_to_purchaser(card))
    return code


def gift_cards_deliver_due() -> int:
    """Deliver every scheduled gift card whose date has come (a safety net for the scheduler)."""
    due = GiftCard.objects.filter(status=GiftCard.Status.SCHEDULED, deliver_on__lte=timezone.localdate())
    delivered = 0
    for card_id in due.values_list("pk", flat=True):
        if gift_card_deliver(card_id=card_id):
            delivered += 1
    return delivered


def gift_card_find(*, code: str) -> GiftCard | None:
    code = normalise_gift_code(code)
    if len(code) != GIFT_CODE_LENGTH:
        return None
    return GiftCard.objects.filter(code_hash=gift_code_hash(code)).first()


# --- The offline stand-in's hosted page -------------------------------------------------------------------


def stand_in_checkout_pay(*, session_id: str) -> StandInCheckoutSession:
    """The buyer pressed Pay on the stand-in page: queue Stripe-shaped signed events to our webhook."""
    from . import tasks

    with transaction.atomic():
        stand_in = StandInCheckoutSession.objects.select_for_update().select_related("order__customer")
        stand_in = stand_in.get(session_id=session_id)
        if stand_in.status != "open":
            return stand_in
        events = stripe_gateway.stand_in_pay(stand_in)
        transaction.on_commit(lambda: tasks.deliver_stand_in_events.enqueue(events))
    return stand_in


# --- After the sale: redemption, adjustments, refunds ----------------------------------------------------


class BalanceError(Exception):
    """A redemption or adjustment that cannot be done; the message is for staff at the desk."""


def _usable_grants(customer: Customer, *, lock: bool):
    queryset = CreditGrant.objects.filter(customer=customer).order_by("pk")
    if lock:
        # Locked in primary-key order, so two desks can never deadlock on one customer.
        queryset = queryset.select_for_update()
    return list(queryset)


def credit_redeem(*, customer: Customer, actor, grant_id: int | None = None, note: str = "") -> CreditGrant:
    """Use one session: from the chosen grant, or the usable grant that expires first."""
    with transaction.atomic():
        grants = _usable_grants(customer, lock=True)
        now = timezone.now()
        if grant_id is not None:
            grant = next((g for g in grants if g.pk == grant_id), None)
            if grant is None:
                raise BalanceError("That series does not belong to this customer.")
        else:
            usable = [g for g in grants if g.balance > 0 and not (g.expires_at and g.expires_at <= now)]
            if not usable:
                expired = [g for g in grants if g.balance > 0]
                if expired:
                    last = max(expired, key=lambda g: g.expires_at)
                    raise BalanceError(f"All remaining sessions expired (the last on {last.expires_at:%d %b %Y}).")
                raise BalanceError("This customer has no sessions left.")
            far_future = datetime.max.replace(tzinfo=UTC)
            grant = min(usable, key=lambda g: (g.expires_at or far_future, g.pk))
        if grant.expires_at and grant.expires_at <= now:
            raise BalanceError(f"This series expired on {grant.expires_at:%d %b %Y}.")
        if grant.balance <= 0:
            raise BalanceError("This series is used up: no sessions left on it.")
        CreditGrant.objects.filter(pk=grant.pk).update(balance=F("balance") - 1)
        CreditEntry.objects.create(
            grant=grant, kind=LedgerKind.REDEEM, delta=-1, actor=actor, reason=note or "Session redeemed at the desk"
        )
        grant.refresh_from_db()
        from . import tasks

        transaction.on_commit(lambda: tasks.send_redemption_receipt.enqueue("session", grant.pk))
        return grant


def _card_check_usable(card: GiftCard) -> None:
    if card.status == GiftCard.Status.VOIDED:
        raise BalanceError("This gift card has been voided.")
    if card.status == GiftCard.Status.SCHEDULED:
        raise BalanceError(f"This gift card is not delivered yet (due {card.deliver_on:%d %b %Y}).")
    if card.expires_at and card.expires_at <= timezone.now():
        raise BalanceError(f"This gift card expired on {card.expires_at:%d %b %Y}.")


def gift_card_redeem(*, card_id: int, amount_minor: int, actor, note: str = "") -> GiftCard:
    """Take an amount off a money gift card; partial use leaves the remainder on the card."""
    if amount_minor <= 0:
        raise BalanceError("Enter an amount greater than zero.")
    with transaction.atomic():
        card = GiftCard.objects.select_for_update().get(pk=card_id)
        _card_check_usable(card)
        if card.kind != GiftCard.Kind.AMOUNT:
            raise BalanceError("This card holds sessions, not money: redeem a session for its holder instead.")
        if card.balance_minor == 0:
            raise BalanceError("This gift card is used up.")
        if amount_minor > card.balance_minor:
            raise BalanceError(
                f"Only {format_money(card.balance_minor, card.currency)} is left on this card; "
                "take the rest another way."
            )
        GiftCard.objects.filter(pk=card.pk).update(balance_minor=F("balance_minor") - amount_minor)
        GiftCardEntry.objects.create(
            card=card, kind=LedgerKind.REDEEM, delta_minor=-amount_minor, actor=actor, reason=note or "Redeemed"
        )
        card.refresh_from_db()
        from . import tasks

        transaction.on_commit(lambda: tasks.send_redemption_receipt.enqueue("gift_card", card.pk))
        return card


def credit_adjust(*, grant_id: int, delta: int, actor, reason: str) -> CreditGrant:
    if not reason.strip():
        raise BalanceError("Give a reason for the adjustment.")
    if delta == 0:
        raise BalanceError("Enter a number of sessions to add (positive) or remove (negative).")
    with transaction.atomic():
        grant = CreditGrant.objects.select_for_update().get(pk=grant_id)
        if grant.balance + delta < 0:
            raise BalanceError(f"Only {grant.balance} session(s) left: cannot remove {-delta}.")
        CreditGrant.objects.filter(pk=grant.pk).update(balance=F("balance") + delta)
        CreditEntry.objects.create(grant=grant, kind=LedgerKind.ADJUST, delta=delta, actor=actor, reason=reason)
        grant.refresh_from_db()
        return grant


def credit_extend(*, grant_id: int, expires_at: datetime, actor, reason: str) -> CreditGrant:
    if not reason.strip():
        raise BalanceError("Give a reason for extending the expiry.")
    with transaction.atomic():
        grant = CreditGrant.objects.select_for_update().get(pk=grant_id)
        if grant.expires_at and expires_at <= grant.expires_at:
            raise BalanceError("The new expiry must be later than the current one.")
        old = f"{grant.expires_at:%d %b %Y}" if grant.expires_at else "none"
        CreditGrant.objects.filter(pk=grant.pk).update(expires_at=expires_at)
        CreditEntry.objects.create(
            grant=grant,
            kind=LedgerKind.ADJUST,
            delta=0,
            actor=actor,
            reason=f"Expiry extended from {old} to {expires_at:%d %b %Y}: {reason}",
        )
        grant.refresh_from_db()
        return grant


def gift_card_adjust(*, card_id: int, delta_minor: int, actor, reason: str) -> GiftCard:
    if not reason.strip():
        raise BalanceError("Give a reason for the adjustment.")
    if delta_minor == 0:
        raise BalanceError("Enter an amount to add (positive) or remove (negative).")
    with transaction.atomic():
        card = GiftCard.objects.select_for_update().get(pk=card_id)
        if card.kind != GiftCard.Kind.AMOUNT:
            raise BalanceError("Adjust the sessions of a gifted series on the holder's page.")
        if card.balance_minor + delta_minor < 0:
            raise BalanceError(f"Only {format_money(card.balance_minor, card.currency)} left on the card.")
        GiftCard.objects.filter(pk=card.pk).update(balance_minor=F("balance_minor") + delta_minor)
        GiftCardEntry.objects.create(
            card=card, kind=LedgerKind.ADJUST, delta_minor=delta_minor, actor=actor, reason=reason
        )
        card.refresh_from_db()
        return card


def gift_card_void(*, card_id: int, actor, reason: str) -> GiftCard:
    """Void a card: its remaining value (money or sessions) goes to zero, with a ledger entry."""
    if not reason.strip():
        raise BalanceError("Give a reason for voiding the card.")
    with transaction.atomic():
        card = GiftCard.objects.select_for_update().get(pk=card_id)
        if card.status == GiftCard.Status.VOIDED:
            raise BalanceError("This gift card is already voided.")
        if card.balance_minor:
            GiftCardEntry.objects.create(
                card=card, kind=LedgerKind.VOID, delta_minor=-card.balance_minor, actor=actor, reason=reason
            )
        if card.grant_id:
            grant = CreditGrant.objects.select_for_update().get(pk=card.grant_id)
            if grant.balance:
                CreditEntry.objects.create(
                    grant=grant, kind=LedgerKind.VOID, delta=-grant.balance, actor=actor, reason=reason
                )
                CreditGrant.objects.filter(pk=grant.pk).update(balance=0)
        GiftCard.objects.filter(pk=card.pk).update(balance_minor=0, status=GiftCard.Status.VOIDED)
        card.refresh_from_db()
        return card


def gift_card_resend(
    *, card_id: int, actor, email: str = "", deliver_on: date | None = None, send_now: bool = False
) -> GiftCard:
    """Correct the address or date of a gift, or send it again.

    A delivered card gets a fresh code on resend (we never kept the old one, and
    the old one stops working), so a code sent to a wrong address becomes useless.
    """
    with transaction.atomic():
        card = GiftCard.objects.select_for_update().get(pk=card_id)
        if card.status == GiftCard.Status.VOIDED:
            raise BalanceError("This gift card is voided.")
        if email:
            email = normalise_email(email)
            if "@" not in email:
                raise BalanceError("Enter a valid email address.")
            card.recipient_email = email
        if deliver_on is not None:
            if deliver_on < timezone.localdate():
                raise BalanceError("Choose today or a later date.")
            card.deliver_on = deliver_on
        if card.status == GiftCard.Status.ACTIVE:
            # Re-issue: back to scheduled with no code; delivery below or on the date makes a new one.
            card.status = GiftCard.Status.SCHEDULED
            card.code_hash = None
            card.code_last4 = ""
            if deliver_on is None:
                send_now = True
        card.save()
    if send_now:
        gift_card_deliver(card_id=card.pk, force=True)
    else:
        from . import tasks

        tasks.schedule_gift_card_delivery(card)
    card.refresh_from_db()
    return card


def order_refund(*, order_id: int, amount_minor: int, actor, reason: str) -> OrderRefund:
    """Refund (part of) an order through Stripe; balances follow when charge.refunded arrives."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        refundable = order.amount_total_minor - order.amount_refunded_minor
        if order.fulfilled_at is None:
            raise BalanceError("Only paid orders can be refunded.")
        if amount_minor <= 0 or amount_minor > refundable:
            raise BalanceError(f"Enter an amount between 0.01 and {format_money(refundable, order.currency)}.")
        if not order.stripe_payment_intent_id:
            raise BalanceError(
                "This order has no single payment to refund (memberships are refunded per invoice in Stripe)."
            )
        attempt = order.refunds.count() + 1
        gateway = stripe_gateway.get_gateway()
        refund = gateway.create_refund(
            payment_intent=order.stripe_payment_intent_id,
            amount_minor=amount_minor,
            idempotency_key=f"{order.public_token}-{attempt}",
            metadata={"order": order.public_token},
        )
        record = OrderRefund.objects.create(
            order=order, stripe_refund_id=refund["id"], amount_minor=amount_minor, reason=reason, requested_by=actor
        )
        if gateway.offline:
            events = stripe_gateway.stand_in_charge_refunded(order=order, refunds=[*order.refunds.all()])
            from . import tasks

            transaction.on_commit(lambda: tasks.deliver_stand_in_events.enqueue(events))
        return record


def refund_apply(*, charge: dict[str, Any]) -> list[OrderRefund]:
    """charge.refunded: take back what is unused, once per Stripe refund id."""
    payment_intent = charge.get("payment_intent")
    with transaction.atomic():
        order = Order.objects.select_for_update().filter(stripe_payment_intent_id=payment_intent).first()
        if order is None or not payment_intent:
            return []  # not one of our orders (or a membership invoice refunded in Stripe)
        refunds = ((charge.get("refunds") or {}).get("data")) or stripe_gateway.get_gateway().list_refunds(
            charge_id=charge["id"]
        )
        applied = []
        for refund in sorted(refunds, key=lambda r: (r.get("created") or 0, r["id"])):
            if refund.get("status") not in (None, "succeeded", "pending"):
                continue
            record, _ = OrderRefund.objects.select_for_update().get_or_create(
                stripe_refund_id=refund["id"], defaults={"order": order, "amount_minor": refund["amount"]}
            )
            if record.applied_at is not None:
                continue
            _revoke_for_refund(order, record)
            record.applied_at = timezone.now()
            record.save()
            Order.objects.filter(pk=order.pk).update(
                amount_refunded_minor=F("amount_refunded_minor") + record.amount_minor
            )
            order.refresh_from_db()
            applied.append(record)
        if applied:
            order.status = (
                Order.Status.REFUNDED
                if order.amount_refunded_minor >= order.amount_total_minor
                else Order.Status.PARTIALLY_REFUNDED
            )
            order.save(update_fields=["status", "updated_at"])
        return applied


def _revoke_for_refund(order: Order, record: OrderRefund) -> None:
    """Revoke value in proportion to the refund, never below zero; report what was already used."""
    full = order.amount_refunded_minor + record.amount_minor >= order.amount_total_minor
    reason = f"Refund {record.stripe_refund_id}"
    card = GiftCard.objects.select_for_update().filter(order=order).first()
    if card is not None and card.kind == GiftCard.Kind.AMOUNT:
        wanted = card.balance_minor if full else record.amount_minor
        take = min(wanted, card.balance_minor)
        if take:
            GiftCard.objects.filter(pk=card.pk).update(balance_minor=F("balance_minor") - take)
            GiftCardEntry.objects.create(
                card=card, kind=LedgerKind.REFUND, delta_minor=-take, reason=reason, reference=record.stripe_refund_id
            )
        record.amount_revoked_minor = take
        if take < record.amount_minor and not full:
            used = format_money(record.amount_minor - take, order.currency)
            record.already_used_note = f"{used} had already been spent from the card."
        if full:
            GiftCard.objects.filter(pk=card.pk).update(status=GiftCard.Status.VOIDED)
        return
    grant = CreditGrant.objects.select_for_update().filter(order=order).first()
    if grant is None:
        return
    line = order.lines.get()
    sessions = line.terms.get("sessions") or grant.sessions_granted
    per_session = max(1, order.amount_total_minor // max(1, sessions))
    wanted = grant.balance if full else -(-record.amount_minor // per_session)  # round up: partial pays no session
    take = min(wanted, grant.balance)
    if take:
        CreditGrant.objects.filter(pk=grant.pk).update(balance=F("balance") - take)
        CreditEntry.objects.create(
            grant=grant, kind=LedgerKind.REFUND, delta=-take, reason=reason, reference=record.stripe_refund_id
        )
    record.sessions_revoked = take
    if take < wanted or (full and grant.sessions_granted - grant.balance > 0):
        used = grant.sessions_granted - grant.balance
        record.already_used_note = f"{used} session(s) had already been used and could not be taken back."
    if card is not None and full:
        GiftCard.objects.filter(pk=card.pk).update(status=GiftCard.Status.VOIDED)


def membership_cancel_at_period_end(*, membership_id: int, actor) -> Membership:
    membership = Membership.objects.get(pk=membership_id)
    if membership.status == Membership.Status.CANCELED:
        raise BalanceError("This membership is already cancelled.")
    if membership.cancel_at_period_end:
        raise BalanceError("This membership already ends at the end of the paid period.")
    gateway = stripe_gateway.get_gateway()
    subscription = gateway.cancel_subscription_at_period_end(
        subscription_id=membership.stripe_subscription_id, membership=membership
    )
    # Apply what Stripe answered now; the webhook that follows finds it done.
    return membership_sync_subscription(subscription=subscription, event_created=int(timezone.now().timestamp()))


# --- Customer account: sign-in links ------------------------------------------------------------------


def magic_link_hash(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough: the table alone signs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()


def magic_link_issue(*, email: str) -> tuple[Any, str] | None:
    """A single-use sign-in link for the customer with this address: (link, token), or None if unknown.

    The token exists in clear only in the return value (for the email); the row keeps its hash.
    """
    from .models import MagicLink

    email = normalise_email(email)
    customer = Customer.objects.filter(email=email).first()
    if customer is None:
        return None
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    link = MagicLink.objects.create(
        customer=customer,
        email=email,
        token_hash=magic_link_hash(token),
        expires_at=now + timedelta(minutes=settings.SHOP_ACCOUNT_LINK_MINUTES),
    )
    MagicLink.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()  # housekeeping
    return link, token


def magic_link_consume(*, token: str) -> Customer | None:
    """Use a sign-in link once: the customer it was sent to, or None if unknown, used or expired.

    The conditional update decides a race between two clicks: only one sees the row unused.
    Using a link also closes any other open links of that customer.
    """
    from .models import MagicLink

    now = timezone.now()
    with transaction.atomic():
        link = MagicLink.objects.select_related("customer").filter(token_hash=magic_link_hash(token or "")).first()
        if link is None or link.used_at is not None or link.expires_at <= now:
            return None
        if not MagicLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
            return None
        MagicLink.objects.filter(customer_id=link.customer_id, used_at__isnull=True).update(used_at=now)
    return link.customer


def credit_expiry_reminders_send(*, within_days: int = 30) -> int:
    """Remind each customer once when a series with sessions left expires within ``within_days``.

    Membership months are left out (they renew); the reminder is marked in the same
    transaction as the email is queued, so a customer is never reminded twice.
    """
    from . import tasks

    now = timezone.now()
    due = CreditGrant.objects.filter(
        balance__gt=0,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=within_days),
        expiry_reminder_sent_at__isnull=True,
    ).exclude(source=CreditGrant.Source.MEMBERSHIP)
    sent = 0
    for grant_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            marked = CreditGrant.objects.filter(pk=grant_id, expiry_reminder_sent_at__isnull=True).update(
                expiry_reminder_sent_at=now
            )
            if marked:
                transaction.on_commit(lambda grant_id=grant_id: tasks.send_expiry_reminder.enqueue(grant_id))
                sent += 1
    return sent
