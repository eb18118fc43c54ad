"""Gift cards in bulk: one order for up to 100 cards of one amount.

The buyer lists the recipients (a CSV file on the page, a JSON list in the API), each
row checked before any payment, or asks for the codes themselves. The list is stored
with the order (``BulkRecipient``); once paid, fulfilment makes one card per recipient,
each delivered on its own date by the usual delivery task, or cards whose codes the
buyer downloads once (the codes exist in clear only in that download).
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from home.money import format_money

from ..models import (
    BULK_MAX_CARDS,
    BulkDelivery,
    BulkRecipient,
    GiftCard,
    LedgerKind,
    Offer,
    Order,
    OrderLine,
    bulk_delivery_of,
)
from .common import customer_get_or_create, format_gift_code, gift_code_hash, gift_expiry, new_gift_code, valid_email
from .errors import BalanceError, ShopError, ShopValidationError
from .giftcards import gift_card_create
from .ledger import balance_move
from .orders import buyer_checks, payment_checks

logger = logging.getLogger(__name__)

#: The latest delivery date a recipient may be given, in days from today.
BULK_DELIVERY_WITHIN_DAYS = 365
#: The CSV columns, in the template's order; ``name`` and ``email`` are required.
CSV_COLUMNS = ("name", "email", "message", "delivery_date")
CSV_REQUIRED = ("name", "email")
#: The largest CSV file accepted (100 rows with the longest messages fit well inside).
CSV_MAX_BYTES = 256 * 1024
MESSAGE_MAX = 1000
NAME_MAX = 150
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y")


@dataclass(frozen=True)
class RecipientRow:
    """One recipient as the buyer gave them; ``label`` says where ("Row 4" of the file, "Recipient 3")."""

    label: str
    name: str = ""
    email: str = ""
    message: str = ""
    delivery_date: date | None = None
    date_text: str = ""  # what the file said, when it was not a date we read
    extra_cells: bool = False  # more cells than the header has columns (an unquoted comma)


class BulkError(ShopError):
    """A bulk order's codes cannot be handed out (downloaded already, refunded, on hold)."""


# --- Reading and checking the recipients ------------------------------------------------------------------


def _column(name: str) -> str:
    return "_".join(name.replace("\ufeff", "").strip().lower().replace("-", " ").split())


def _parse_date(text: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def recipients_from_csv(raw: bytes) -> tuple[list[RecipientRow], dict[str, str]]:
    """The rows of an uploaded CSV file (header row first; UTF-8, with or without a BOM).

    Returns the rows and the file's own problems (keyed ``recipients``); each row is
    checked later with the rest of the order (:func:`recipient_errors`). Rows are
    labelled with their line in a spreadsheet: the header is row 1.
    """
    if len(raw) > CSV_MAX_BYTES:
        return [], {"recipients": f"The file is larger than {CSV_MAX_BYTES // 1024} KB: one order takes 100 rows."}
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], {"recipients": "The file is not UTF-8 text: save it as “CSV UTF-8” and upload it again."}
    if not text.strip():
        return [], {"recipients": "The file is empty: it needs a header row and one row per recipient."}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [_column(cell) for cell in next(reader)]
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        return [], {"recipients": f"The file could not be read as CSV (line {reader.line_num}): {error}."}
    unknown = [cell or "(empty)" for cell in header if cell not in CSV_COLUMNS]
    missing = [column for column in CSV_REQUIRED if column not in header]
    doubled = sorted({cell for cell in header if cell and header.count(cell) > 1})
    expected = ", ".join(CSV_COLUMNS)
    if unknown or missing or doubled:
        problems = []
        if missing:
            problems.append("no " + " or ".join(missing) + " column")
        if unknown:
            problems.append("unknown column(s) " + ", ".join(unknown))
        if doubled:
            problems.append("the column(s) " + ", ".join(doubled) + " twice")
        return [], {"recipients": f"Row 1 (the header) has {'; '.join(problems)}. The columns are: {expected}."}
    rows = []
    for number, (_, cells) in enumerate(records, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line (spreadsheets often add one at the end)
        values = dict(zip(header, [cell.strip() for cell in cells], strict=False))
        date_text = values.get("delivery_date", "")
        rows.append(
            RecipientRow(
                label=f"Row {number}",
                name=values.get("name", ""),
                email=values.get("email", ""),
                message=values.get("message", ""),
                delivery_date=_parse_date(date_text) if date_text else None,
                date_text=date_text,
                extra_cells=any(cell.strip() for cell in cells[len(header) :]),
            )
        )
    if not rows:
        return [], {"recipients": "The file has a header row but no recipients below it."}
    return rows, {}


def recipient_errors(rows: list[RecipientRow], *, today: date | None = None) -> dict[str, str]:
    """Every problem in the list, one message per row and column (keyed ``recipients.<index>.<column>``)."""
    today = today or timezone.localdate()
    latest = today + timedelta(days=BULK_DELIVERY_WITHIN_DAYS)
    errors: dict[str, str] = {}
    if not rows:
        return {"recipients": "Add at least one recipient: one row per card."}
    if len(rows) > BULK_MAX_CARDS:
        return {
            "recipients": f"The list has {len(rows)} recipients; one order takes at most {BULK_MAX_CARDS}. "
            "Split it into two orders."
        }
    for index, row in enumerate(rows):

        def add(column: str, message: str, index=index, row=row) -> None:
            errors[f"recipients.{index}.{column}"] = f"{row.label}, {column}: {message}"

        if row.extra_cells:
            errors[f"recipients.{index}"] = (
                f"{row.label}: it has more cells than the header has columns; "
                "put a message that contains commas in double quotes."
            )
            continue  # its cells are shifted: what they would say about columns is noise
        if not row.name.strip():
            add("name", "enter the recipient's name.")
        elif len(row.name) > NAME_MAX:
            add("name", f"keep the name under {NAME_MAX} characters.")
        if valid_email(row.email) is None:
            add("email", "enter a valid email address (one address, e.g. sam@example.com).")
        if len(row.message) > MESSAGE_MAX:
            add("message", f"keep the message under {MESSAGE_MAX:,} characters (it has {len(row.message):,}).")
        if row.date_text and row.delivery_date is None:
            add("delivery_date", "write the date as YYYY-MM-DD (e.g. 2026-12-24), or leave it empty for today.")
        elif row.delivery_date and row.delivery_date < today:
            add("delivery_date", "the date has passed: choose today or a later date.")
        elif row.delivery_date and row.delivery_date > latest:
            add("delivery_date", f"choose a date within a year (by {latest:%Y-%m-%d}).")
    return errors


# --- The order ---------------------------------------------------------------------------------------------


def bulk_order_create(
    *,
    offer: Offer,
    email: str,
    name: str,
    amount_minor: int | None,
    delivery: str,
    quantity: int | None = None,
    recipients: list[RecipientRow] | None = None,
    sender_name: str = "",
    promotion_code: str = "",
    gift_card: str = "",
) -> Order:
    """A pending bulk order with its line (quantity × the amount) and its recipients.

    Raises ShopValidationError with one message per field, and per row and column of the
    recipients (``recipients.<index>.<column>``); nothing is stored unless all is well.
    """
    errors: dict[str, str] = {}
    email = buyer_checks(offer, email=email, name=name, errors=errors)
    if amount_error := offer.amount_error(amount_minor):
        errors["amount"] = amount_error
    sender_name = (sender_name or name or "").strip()
    if len(sender_name) > NAME_MAX:
        errors["sender_name"] = f"Keep the sender's name under {NAME_MAX} characters."
    recipients = list(recipients or [])
    if delivery == BulkDelivery.RECIPIENTS:
        errors.update(recipient_errors(recipients))
        if quantity is not None and quantity != len(recipients) and "recipients" not in errors:
            errors["quantity"] = f"The list has {len(recipients)} recipients: order that many cards (one each)."
        quantity = len(recipients)
    elif delivery == BulkDelivery.CODES:
        if recipients:
            errors["recipients"] = "Leave the recipients out when the codes come to you, or choose to email them."
        if quantity is None or not 1 <= quantity <= BULK_MAX_CARDS:
            errors["quantity"] = f"Order between 1 and {BULK_MAX_CARDS} cards."
    else:
        errors["delivery"] = "Choose how the cards reach people: emailed to a list of recipients, or codes for you."
    promotion, card = payment_checks(offer, promotion_code=promotion_code, gift_card=gift_card, errors=errors)
    if errors:
        raise ShopValidationError(errors)

    unit_amount = offer.price_for(email=email, amount_minor=amount_minor)
    total = unit_amount * quantity
    today = timezone.localdate()
    with transaction.atomic():
        customer = customer_get_or_create(email=email, name=name)
        order = Order.objects.create(
            customer=customer,
            kind=offer.kind,
            currency=offer.currency,
            amount_total_minor=total,
            sender_name=sender_name,
            delivery_date=today,
            promotion_code=promotion,
            discount_minor=promotion.discount_on(total) if promotion else 0,
            paid_with_card=card,
        )
        OrderLine.objects.create(
            order=order,
            **offer.snapshot(unit_amount_minor=unit_amount, as_gift=False, quantity=quantity, delivery=delivery),
        )
        BulkRecipient.objects.bulk_create(
            BulkRecipient(
                order=order,
                position=position,
                name=row.name.strip(),
                email=valid_email(row.email),
                message=row.message.strip(),
                deliver_on=row.delivery_date or today,
            )
            for position, row in enumerate(recipients, start=1)
        )
    return order


def fulfil_bulk_gift_cards(order: Order, line: OrderLine, session: dict[str, Any]) -> None:
    """One card per recipient, each delivered on its date; or cards whose codes the buyer downloads once."""
    if order.gift_cards.exists():
        return  # order_fulfil runs once per order; this guards any other caller
    if bulk_delivery_of(order) == BulkDelivery.RECIPIENTS:
        for recipient in order.bulk_recipients.all():
            card = gift_card_create(order, kind=GiftCard.Kind.AMOUNT, amount_minor=line.unit_amount_minor, to=recipient)
            BulkRecipient.objects.filter(pk=recipient.pk).update(card=card)
        return
    for _ in range(line.quantity):
        gift_card_create(order, kind=GiftCard.Kind.AMOUNT, amount_minor=line.unit_amount_minor, download=True)


# --- The one-time download of the codes --------------------------------------------------------------------

ALREADY_DOWNLOADED = (
    "These codes were downloaded on {when}. For your security they can be downloaded only once. "
    "If the file is lost, call the studio: we can cancel those codes and let you download new ones."
)


def bulk_codes_issue(*, order_id: int) -> list[tuple[str, int]]:
    """Make the codes of a paid bulk order's cards, once, and return them with each card's amount.

    The codes exist in clear only in what this returns (the buyer's download); the cards
    keep a keyed hash and the last four characters, as every card does. A second call
    finds nothing to issue and raises :class:`BulkError` with a message for the buyer.
    """
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if not order.is_bulk or bulk_delivery_of(order) != BulkDelivery.CODES or order.fulfilled_at is None:
            raise BulkError("This order has no codes to download.")
        if order.status in (Order.Status.REFUNDED, Order.Status.PARTIALLY_REFUNDED) or order.dispute_status == "open":
            raise BulkError("This order's cards are refunded or on hold: call the studio.")
        cards = list(
            GiftCard.objects.select_for_update()
            .filter(order=order, delivery=GiftCard.Delivery.DOWNLOAD, status=GiftCard.Status.SCHEDULED, frozen=False)
            .order_by("pk")
        )
        if not cards:
            downloaded = GiftCard.objects.filter(order=order, delivery=GiftCard.Delivery.DOWNLOAD)
            when = downloaded.exclude(delivered_at=None).order_by("-delivered_at").first()
            when = when.delivered_at if when else None
            moment = timezone.localtime(when).strftime("%B %-d, %Y at %-I:%M %p") if when else "an earlier visit"
            raise BulkError(ALREADY_DOWNLOADED.format(when=moment))
        issued, now = [], timezone.now()
        for card in cards:
            code = new_gift_code()
            card.code_hash, card.code_last4 = gift_code_hash(code), code[-4:]
            card.status, card.delivered_at, card.expires_at = GiftCard.Status.ACTIVE, now, gift_expiry(now)
            card.save(update_fields=["code_hash", "code_last4", "status", "delivered_at", "expires_at"])
            issued.append((format_gift_code(code), card.initial_amount_minor))
        logger.info("Bulk order %s: %d gift codes downloaded by the buyer", order.public_token[:8], len(issued))
    return issued


def bulk_codes_reissue(*, order_id: int, actor, reason: str) -> int:
    """A buyer lost the file: the codes of every unspent downloaded card stop working and can be downloaded
    once more (new codes). Cards already spent from keep theirs: someone holds them. Returns how many."""
    if not (reason or "").strip():
        raise BalanceError("Give a reason (e.g. who called and why).")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        cards = GiftCard.objects.select_for_update().filter(
            order=order, delivery=GiftCard.Delivery.DOWNLOAD, status=GiftCard.Status.ACTIVE, frozen=False
        )
        unspent = [card for card in cards if card.balance_minor == card.initial_amount_minor]
        if not unspent:
            raise BalanceError("No downloaded, unspent card on this order: nothing to issue again.")
        for card in unspent:
            # A zero entry keeps who did it and why in the card's ledger.
            balance_move(
                GiftCard,
                card.pk,
                delta=0,
                kind=LedgerKind.ADJUST,
                actor=actor,
                reason=f"Code cancelled; a new one for the buyer to download: {reason}"[:300],
                record_zero=True,
            )
        GiftCard.objects.filter(pk__in=[card.pk for card in unspent]).update(
            status=GiftCard.Status.SCHEDULED, code_hash=None, code_last4="", delivered_at=None
        )
    logger.info("Bulk order %s: %d codes cancelled for a new download", order.public_token[:8], len(unspent))
    return len(unspent)


def bulk_codes_csv(order: Order, codes: list[tuple[str, int]]) -> str:
    """The download: one row per card (code, amount, currency, expiry), for the buyer's spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "amount", "currency", "expires"])
    expires = order.gift_cards.exclude(expires_at=None).values_list("expires_at", flat=True).first()
    until = f"{timezone.localtime(expires):%Y-%m-%d}" if expires else "never"
    for code, amount in codes:
        writer.writerow([code, format_money(amount, order.currency), order.currency.upper(), until])
    return out.getvalue()
