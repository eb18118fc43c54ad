"""What a refund may give back, and where: the Stripe part and the gift card's part of an order.

An order is paid by Stripe (its Checkout total), by a gift card (the amount taken from
the card on fulfilment), or both; discounts are already off both. A refund gives back
at most what was paid, each part to the means that paid it: the Stripe part through a
Stripe refund (never more than Stripe charged, never asked for an order Stripe never
saw), the gift card's part back onto that card as a ``refund`` ledger entry. Sessions
taken back are valued at what was paid per session.

Used by :mod:`.refunds` (the flow: pending record, Stripe called without a lock, answer
recorded) and by the manager's preview.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db.models import Sum

from home.money import format_money

from ..models import CreditGrant, GiftCard, LedgerKind, Order, OrderRefund
from .errors import BalanceError
from .ledger import balance_lock, balance_move

BULK_REFUND_IN_FULL = (
    "A bulk gift-card order is refunded in full ({amount}): every card's unused balance is taken back and the "
    "cards are voided. To take back single cards, void them at the front desk and refund their amount in Stripe."
)
NO_SINGLE_PAYMENT = "This order has no single payment to refund (memberships are refunded per invoice in Stripe)."


@dataclass(frozen=True)
class RefundSplit:
    """A refund's two parts, and what was left to refund by each means when it was asked."""

    stripe_minor: int
    card_minor: int
    stripe_left: int
    card_left: int
    card_last4: str = ""  # the gift card that paid, if one did
    card_refused: str = ""  # why the gift card's share cannot go back on it (and is not refunded)

    @property
    def total_minor(self) -> int:
        return self.stripe_minor + self.card_minor


def _order_refunds(order: Order):
    """Refunds of the order's own payment (a membership month's are apart), not refused by Stripe."""
    return order.refunds.filter(failure="", grant__isnull=True)


def stripe_in_flight_minor(order: Order) -> int:
    """Stripe refunds asked for and not yet applied (nor refused)."""
    pending = _order_refunds(order).filter(applied_at__isnull=True).aggregate(total=Sum("amount_minor"))
    return pending["total"] or 0


def card_refunded_minor(order: Order, *, applied_only: bool = False) -> int:
    """What was given back (or is on its way back) onto the gift card that paid."""
    refunds = _order_refunds(order)
    if applied_only:
        refunds = refunds.filter(applied_at__isnull=False)
    return refunds.aggregate(total=Sum("card_amount_minor"))["total"] or 0


def refundable(order: Order) -> tuple[int, int]:
    """(Stripe part, gift card part) still refundable: what each paid less what was refunded or asked for."""
    stripe = order.stripe_paid_minor - order.amount_refunded_minor - stripe_in_flight_minor(order)
    card = order.card_paid_minor - card_refunded_minor(order)
    return max(stripe, 0), max(card, 0)


def _paying_card(order: Order) -> GiftCard | None:
    return GiftCard.objects.filter(pk=order.paid_with_card_id).first() if order.paid_with_card_id else None


def _card_refusal(card: GiftCard, amount_minor: int) -> str:
    reason = card.unusable_reason()
    if not reason:
        return ""
    amount = format_money(amount_minor, card.currency)
    return f"{amount} cannot go back on the gift card ending {card.code_last4}: {reason}"


def refund_split(order: Order, amount_minor: int, card_minor: int | None = None) -> RefundSplit:
    """Split a refund of ``amount_minor`` between Stripe and the gift card that paid, or say why not.

    ``card_minor`` is the manager's choice of the gift card's part; None splits the refund as the
    order was paid (each means in proportion to what is left of it, so a full refund gives each its
    whole part back). A gift card that is voided, frozen or expired takes nothing back: by default
    its share is left out (``card_refused`` says why), chosen explicitly it is refused.
    """
    if order.fulfilled_at is None:
        raise BalanceError("Only paid orders can be refunded.")
    if not order.stripe_payment_intent_id and not order.card_paid_minor:
        raise BalanceError(NO_SINGLE_PAYMENT)
    stripe_left, card_left = refundable(order)
    left = stripe_left + card_left
    if left <= 0:
        raise BalanceError("Nothing is left to refund on this order (a refund may still be on its way).")
    if amount_minor <= 0 or amount_minor > left:
        raise BalanceError(f"Enter an amount between 0.01 and {format_money(left, order.currency)}.")
    if order.is_bulk and (amount_minor != left or card_minor not in (None, card_left)):
        raise BalanceError(BULK_REFUND_IN_FULL.format(amount=format_money(left, order.currency)))
    chosen = card_minor is not None
    if chosen:
        if card_minor < 0 or card_minor > min(card_left, amount_minor):
            most = format_money(min(card_left, amount_minor), order.currency)
            raise BalanceError(f"Enter between 0 and {most} to go back on the gift card.")
        card = card_minor
    else:
        card = amount_minor * card_left // left
    stripe = amount_minor - card
    if stripe > stripe_left:
        if chosen:
            raise BalanceError(
                f"Stripe has only {format_money(stripe_left, order.currency)} left to refund to the card: "
                "put the rest back on the gift card."
            )
        card, stripe = card + stripe - stripe_left, stripe_left
    paying = _paying_card(order)
    refused = _card_refusal(paying, card) if paying is not None and card else ""
    if refused and (chosen or order.is_bulk or not stripe):
        raise BalanceError(refused)
    return RefundSplit(
        stripe_minor=stripe,
        card_minor=0 if refused else card,
        stripe_left=stripe_left,
        card_left=card_left,
        card_last4=paying.code_last4 if paying is not None else "",
        card_refused=refused,
    )


def sessions_for_refund(order: Order, amount_minor: int, *, unused: int) -> int:
    """Whole sessions a refund of ``amount_minor`` takes back: floor(refund / price paid per session),
    never more than are unused. What was paid is Stripe's charge plus the gift card's part, after
    discounts. A goodwill refund smaller than a session takes back none."""
    sessions = order.lines.get().terms.get("sessions") or 0
    paid = order.paid_minor
    if not sessions or not paid:
        return 0
    return min(unused, amount_minor * sessions // paid)


def refund_preview(*, order: Order, amount_minor: int, card_minor: int | None = None) -> dict:
    """What a refund of ``amount_minor`` would give back where and take back now, for the manager's form.

    Raises :class:`BalanceError` as the refund itself would.
    """
    split = refund_split(order, amount_minor, card_minor)
    shown = {**asdict(split), "total_minor": split.total_minor}
    value = split.total_minor
    if order.is_bulk:  # refunded in full only: every card's unused balance comes back
        left = sum(GiftCard.objects.filter(order=order).values_list("balance_minor", flat=True))
        return {**shown, "money_minor": min(value, left), "sessions": 0, "unused": 0}
    grant = CreditGrant.objects.filter(order=order).first()
    card = GiftCard.objects.filter(order=order, kind=GiftCard.Kind.AMOUNT).first()
    if card is not None:
        money = min(card_value(order, card, value), card.balance_minor)
        return {**shown, "money_minor": money, "sessions": 0, "unused": 0}
    unused = grant.balance if grant else 0
    sessions = sessions_for_refund(order, value, unused=unused)
    return {**shown, "money_minor": 0, "sessions": sessions, "unused": unused}


def card_value(order: Order, card: GiftCard, amount_minor: int) -> int:
    """The part of a bought gift card's value a refund of ``amount_minor`` stands for (a discounted card's
    value is worth more than was paid for it)."""
    paid = order.paid_minor
    if not paid:
        return 0
    return amount_minor * card.initial_amount_minor // paid


def fully_refunded(order: Order, record: OrderRefund) -> bool:
    """Whether, with ``record`` applied, everything paid for the order has been given back."""
    stripe = order.amount_refunded_minor + record.amount_minor >= order.stripe_paid_minor
    card = card_refunded_minor(order, applied_only=True) + record.card_amount_minor >= order.card_paid_minor
    return stripe and card


def card_give_back(order: Order, record: OrderRefund) -> str:
    """Put the gift card's part of a refund back on the card that paid, once per refund record.

    A used-up card is usable again with it. A card voided, frozen or expired since the refund was
    asked takes nothing: the part is dropped from the record and the reason returned, for the record.
    """
    if not record.card_amount_minor or not order.paid_with_card_id:
        return ""
    reference = f"order-refund-{record.pk}"
    card = balance_lock(GiftCard, order.paid_with_card_id)
    if card.entries.filter(kind=LedgerKind.REFUND, reference=reference).exists():
        return ""  # given back already (the record says so too; this is the ledger's own guard)
    if refused := _card_refusal(card, record.card_amount_minor):
        record.card_amount_minor = 0
        return refused
    balance_move(
        GiftCard,
        card.pk,
        delta=record.card_amount_minor,
        kind=LedgerKind.REFUND,
        actor=record.requested_by,
        reason=f"Refund of order {order.public_token[:8]}: back on the card that paid for it",
        reference=reference,
    )
    return ""
