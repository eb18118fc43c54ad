"""How offers and order lines read on shop pages and in emails.

``{{ offer|offer_price }}``: the price line; for a gift card "from" the lowest amount a
buyer can really choose (a listed amount or the custom minimum, whichever is lower).

``{{ grant|credit_name }}`` / ``{{ grant|credit_where }}``: what a block of sessions is
called (a series, a membership month, a gifted series), never "series" for all of them.

``{{ line|line_title }}``: an order line's name without a price in it. Gift-card lines
have been named "Gift card — $100"; shown next to their amount that read
"Gift card — $100 — $100".
"""

from django import template

from packages import account
from packages.forms import gift_amount_range
from packages.models import GiftCardOffer

register = template.Library()


@register.filter
def offer_price(offer) -> str:
    if isinstance(offer, GiftCardOffer):
        low, _ = gift_amount_range(offer)
        return f"from {offer.money(low)}"
    return offer.price_display


@register.filter
def line_title(line) -> str:
    name = str(getattr(line, "name", "") or "")
    suffix = f" — {line.amount_display}" if getattr(line, "amount_display", "") else ""
    return name.removesuffix(suffix) if suffix and name.endswith(suffix) else name


@register.filter
def credit_name(grant) -> str:
    """ "therapeutic massage series", "… membership month", "gifted … series" (see packages.account)."""
    return account.credit_name(grant)


@register.filter
def credit_where(grant) -> str:
    """ "on this series", "this membership month"…: for "Sessions left {{ grant|credit_where }}: 4 of 5"."""
    return account.credit_where(grant)
