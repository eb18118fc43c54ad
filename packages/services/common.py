"""Small rules every part of the shop shares: dates, addresses, gift codes, customers."""

from __future__ import annotations

import calendar
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from ..models import Customer

# 31 characters with no look-alikes (no 0/O, 1/I/L): 16 of them carry about 79 bits.
GIFT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
GIFT_CODE_LENGTH = 16


def add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def from_timestamp(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


_email_validator = EmailValidator()


def valid_email(value: str) -> str | None:
    """One deliverable-looking address, normalised (trimmed, lower case), or None.

    Django's ``EmailValidator`` decides, so ``"a@x, b@y"`` (a list), ``"@"``, a bare name
    or a domain without a dot are refused; so is anything with a line break, tab or other
    whitespace inside (header injection) and anything longer than an address can be (254).
    """
    email = normalise_email(value)
    if not email or len(email) > 254 or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in email):
        return None
    try:
        _email_validator(email)
    except ValidationError:
        return None
    return email


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
