"""Gift cards: issuing, delivering the code, redeeming at the desk, staff corrections.

A code exists in clear only while it is emailed; the card keeps a keyed hash and
its last four characters. "Usable" is the model's rule (``GiftCard.unusable_reason``
and ``GiftCard.objects.usable()``); every balance change goes through :func:`.ledger.balance_move`.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.tasks import task, task_backends
from django.utils import timezone

from home.money import format_money

from .. import emails, tasks
from ..models import BulkRecipient, CreditGrant, GiftCard, LedgerKind, Order
from .common import (
    GIFT_CODE_LENGTH,
    format_gift_code,
    gift_code_hash,
    gift_expiry,
    new_gift_code,
    normalise_gift_code,
    valid_email,
)
from .errors import BalanceError
from .ledger import balance_lock, balance_move, balance_open
from .outbox import enqueue

logger = logging.getLogger(__name__)


def gift_card_create(
    order: Order,
    *,
    kind: str,
    amount_minor: int,
    grant: CreditGrant | None = None,
    to: BulkRecipient | None = None,
    download: bool = False,
) -> GiftCard:
    """The card for a paid gift order, scheduled for delivery on its date.

    A bulk order makes one card per recipient (``to``: their name, address, message and
    date), or cards whose codes its buyer downloads once (``download``: never emailed).
    """
    if download:
        who = {"recipient_name": order.customer.name or order.sender_name, "recipient_email": order.customer.email}
        who.update(message="", deliver_on=timezone.localdate(), delivery=GiftCard.Delivery.DOWNLOAD)
    elif to is not None:
        who = {
            "recipient_name": to.name,
            "recipient_email": to.email,
            "message": to.message,
            "deliver_on": to.deliver_on,
        }
    else:
        who = {
            "recipient_name": order.recipient_name,
            "recipient_email": order.recipient_email,
            "message": order.gift_message,
            "deliver_on": order.delivery_date or timezone.localdate(),
        }
    card = balance_open(
        GiftCard,
        amount=amount_minor,
        reason="Bought",
        reference=order.public_token,
        order=order,
        kind=kind,
        currency=order.currency,
        initial_amount_minor=amount_minor,
        grant=grant,
        sender_name=order.sender_name,
        **who,
    )
    if not download:
        schedule_gift_card_delivery(card)
    return card


@task()
def deliver_gift_card(card_id: int) -> None:
    """The deferred form of :func:`gift_card_deliver` (a task beside its service: no import cycle)."""
    gift_card_deliver(card_id=card_id)


def schedule_gift_card_delivery(card: GiftCard) -> None:
    """Deliver today's gift cards now; later ones at 08:00 on their date when the backend can defer.

    The scheduled job ``deliver_due_gift_cards`` (jobs/tasks.py, hourly in the day) is the
    safety net for backends that cannot defer, and for anything a stopped worker missed.
    """
    if card.deliver_on <= timezone.localdate():
        enqueue(deliver_gift_card, card.pk)
        return
    if task_backends[deliver_gift_card.backend].supports_defer:
        run_after = timezone.make_aware(datetime.combine(card.deliver_on, time(8, 0)))
        enqueue(deliver_gift_card.using(run_after=run_after), card.pk)


def gift_card_deliver(*, card_id: int, force: bool = False) -> str | None:
    """Issue the code and email it to the recipient, once, on or after the delivery date.

    The code exists in clear only inside this function and the email it sends; we
    keep its keyed hash and last four characters. Returns the code (for the email),
    or None when there was nothing to deliver.
    """
    with transaction.atomic():
        card = GiftCard.objects.select_for_update().select_related("order").get(pk=card_id)
        if card.status != GiftCard.Status.SCHEDULED:
            return None
        if card.delivery == GiftCard.Delivery.DOWNLOAD and not force:
            return None  # its buyer downloads the code (services.bulk); a resend by staff emails it
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
    if not card.order.is_bulk:  # a bulk buyer is not sent one note per card
        transaction.on_commit(lambda: emails.send_gift_card_delivered_to_purchaser(card))
    return code


@dataclass
class DeliveryRun:
    delivered: int = 0
    failed: list[int] = field(default_factory=list)


def gift_cards_deliver_due() -> DeliveryRun:
    """Deliver every scheduled gift card whose date has come; one failing card never stops the rest."""
    due = GiftCard.objects.filter(
        status=GiftCard.Status.SCHEDULED, deliver_on__lte=timezone.localdate(), delivery=GiftCard.Delivery.EMAIL
    )
    run = DeliveryRun()
    for card_id in due.values_list("pk", flat=True):
        try:
            if gift_card_deliver(card_id=card_id):
                run.delivered += 1
        except Exception:
            logger.exception("Gift card %s could not be delivered; it stays scheduled", card_id)
            run.failed.append(card_id)
    return run


def gift_card_find(*, code: str) -> GiftCard | None:
    code = normalise_gift_code(code)
    if len(code) != GIFT_CODE_LENGTH:
        return None
    return GiftCard.objects.filter(code_hash=gift_code_hash(code)).first()


def _check_spendable(card: GiftCard) -> None:
    if reason := card.unusable_reason():
        raise BalanceError(reason)
    if card.kind != GiftCard.Kind.AMOUNT:
        raise BalanceError("This card holds sessions, not money: redeem a session for its holder instead.")
    if card.balance_minor == 0:
        raise BalanceError("This gift card is used up.")


#: Who may take money off a card without its code (a manager's override, with a reason).
REDEEM_OVERRIDE_PERMISSION = "packages.adjust_balance"


def _code_matches(card: GiftCard, code: str) -> bool:
    return bool(card.code_hash) and hmac.compare_digest(card.code_hash, gift_code_hash(code))


def gift_card_redeem(
    *, card_id: int, amount_minor: int, actor, note: str = "", code: str = "", override_reason: str = ""
) -> GiftCard:
    """Take an amount off a money gift card; partial use leaves the remainder on the card.

    Whoever takes money shows they hold the card: its ``code`` (typed or scanned; checked
    against the card's keyed hash under the row lock, so a code re-issued meanwhile is
    refused). Without the code only a user with ``packages.adjust_balance`` may take it,
    giving an ``override_reason`` that the ledger entry keeps with their name.
    """
    if amount_minor <= 0:
        raise BalanceError("Enter an amount greater than zero.")
    code, override_reason = normalise_gift_code(code), (override_reason or "").strip()
    if code:
        reason = note or "Redeemed"
    elif not override_reason:
        raise BalanceError("Scan or type the card's code to take money from it.")
    elif actor is None or not actor.has_perm(REDEEM_OVERRIDE_PERMISSION):
        raise BalanceError("Only a manager can take money from a card without its code.")
    else:
        reason = f"Without the code (manager override): {override_reason}" + (f" ({note})" if note else "")

    def check(card: GiftCard) -> None:
        if code and not _code_matches(card, code):
            logger.warning("Gift card %s: redemption refused, the code given is not the card's", card.pk)
            raise BalanceError("That is not this card's code. Check the code with the card holder.")
        _check_spendable(card)

    card = balance_move(
        GiftCard,
        card_id,
        delta=-amount_minor,
        kind=LedgerKind.REDEEM,
        actor=actor,
        reason=reason[:300],
        check=check,
        short=lambda card: (
            f"Only {format_money(card.balance_minor, card.currency)} is left on this card; take the rest another way."
        ),
    )
    entry_id = card.ledger_entry.pk
    enqueue(tasks.send_gift_card_receipt, entry_id)
    return card


def _check_money_card(card: GiftCard) -> None:
    if card.kind != GiftCard.Kind.AMOUNT:
        raise BalanceError("Adjust the sessions of a gifted series on the holder's page.")


def gift_card_adjust(*, card_id: int, delta_minor: int, actor, reason: str) -> GiftCard:
    if not reason.strip():
        raise BalanceError("Give a reason for the adjustment.")
    if delta_minor == 0:
        raise BalanceError("Enter an amount to add (positive) or remove (negative).")
    return balance_move(
        GiftCard,
        card_id,
        delta=delta_minor,
        kind=LedgerKind.ADJUST,
        actor=actor,
        reason=reason,
        check=_check_money_card,
        short=lambda card: f"Only {format_money(card.balance_minor, card.currency)} left on the card.",
    )


def gift_card_void(*, card_id: int, actor, reason: str) -> GiftCard:
    """Void a card: its remaining value (money or sessions) goes to zero, with a ledger entry."""
    if not reason.strip():
        raise BalanceError("Give a reason for voiding the card.")
    with transaction.atomic():
        card = balance_lock(GiftCard, card_id)
        if card.status == GiftCard.Status.VOIDED:
            raise BalanceError("This gift card is already voided.")
        balance_move(
            GiftCard, card.pk, delta=lambda c: -c.balance_minor, kind=LedgerKind.VOID, actor=actor, reason=reason
        )
        if card.grant_id:
            balance_move(
                CreditGrant, card.grant_id, delta=lambda g: -g.balance, kind=LedgerKind.VOID, actor=actor, reason=reason
            )
        GiftCard.objects.filter(pk=card.pk).update(status=GiftCard.Status.VOIDED)
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
        card = balance_lock(GiftCard, card_id)
        if card.status == GiftCard.Status.VOIDED:
            raise BalanceError("This gift card is voided.")
        if email:
            if (address := valid_email(email)) is None:
                raise BalanceError("Enter one valid email address for the recipient (e.g. ana@example.com).")
            card.recipient_email = address
        if deliver_on is not None:
            if deliver_on < timezone.localdate():
                raise BalanceError("Choose today or a later date.")
            card.deliver_on = deliver_on
        card.delivery = GiftCard.Delivery.EMAIL  # a bulk card whose code was for download is now emailed
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
        schedule_gift_card_delivery(card)
    card.refresh_from_db()
    return card


# --- Spending a gift card online: hold at checkout, take when paid, give back when not --------------------

#: The one answer for any card that cannot pay (unknown, used up, voided, expired, a series): nothing leaks.
CARD_REFUSED = (
    "We could not use that gift card: check the code against your email, or check its balance first. "
    "A gifted series is booked at the studio, not spent online."
)


def gift_card_for_payment(code: str) -> GiftCard | None:
    """The money card a buyer may spend online with this code, or None (whatever the reason)."""
    card = gift_card_find(code=code)
    if card is None or card.kind != GiftCard.Kind.AMOUNT or not card.is_usable() or card.balance_minor <= 0:
        return None
    return card


def gift_card_hold(order: Order) -> int:
    """Hold what the card can pay of the order (all of it, or its whole balance); returns the amount held."""
    if not order.paid_with_card_id or order.card_hold:
        return order.card_amount_minor
    due = order.amount_total_minor - order.discount_minor

    def hold(card: GiftCard) -> int:
        if reason := card.unusable_reason():
            raise BalanceError(reason)
        return -min(card.balance_minor, due)

    with transaction.atomic():
        card = balance_move(
            GiftCard,
            order.paid_with_card_id,
            delta=hold,
            kind=LedgerKind.HOLD,
            reason=f"Held for online order {order.public_token[:8]}",
            reference=order.public_token,
            short=lambda card: "This gift card has nothing left to spend.",
        )
        amount = -card.ledger_entry.delta_minor if getattr(card, "ledger_entry", None) else 0
        if amount <= 0:
            raise BalanceError("This gift card has nothing left to spend.")
        Order.objects.filter(pk=order.pk).update(card_amount_minor=amount, card_hold="held")
        order.card_amount_minor, order.card_hold = amount, "held"
    return amount


def gift_card_capture(order: Order) -> None:
    """The order is paid: the held amount is spent (the ledger shows the hold turned into a redemption)."""
    if order.card_hold != "held":
        return
    reference, name = order.public_token, order.public_token[:8]
    balance_move(
        GiftCard,
        order.paid_with_card_id,
        delta=order.card_amount_minor,
        kind=LedgerKind.RELEASE,
        reason=f"Hold for order {name} taken",
        reference=reference,
    )
    balance_move(
        GiftCard,
        order.paid_with_card_id,
        delta=-order.card_amount_minor,
        kind=LedgerKind.REDEEM,
        reason=f"Spent online on order {name}",
        reference=reference,
    )
    Order.objects.filter(pk=order.pk).update(card_hold="captured")
    order.card_hold = "captured"


def gift_card_release(order: Order) -> None:
    """The checkout expired or failed: the held amount goes back on the card, once."""
    if not Order.objects.filter(pk=order.pk, card_hold="held").update(card_hold="released"):
        return  # nothing held, or released or taken already
    balance_move(
        GiftCard,
        order.paid_with_card_id,
        delta=order.card_amount_minor,
        kind=LedgerKind.RELEASE,
        reason=f"Order {order.public_token[:8]} not paid: hold released",
        reference=order.public_token,
    )
    order.card_hold = "released"
