"""How order lines read on shop pages and in emails.

``{{ line|line_title }}``: an order line's name without a price in it. Gift-card lines
have been named "Gift card — $100"; shown next to their amount that read
"Gift card — $100 — $100". (Offers and credits name themselves: ``offer.price_display``,
``grant.display_name``, ``grant.left_phrase``.)
"""

from django import template

register = template.Library()


@register.filter
def line_title(line) -> str:
    name = str(getattr(line, "name", "") or "")
    suffix = f" — {line.amount_display}" if getattr(line, "amount_display", "") else ""
    return name.removesuffix(suffix) if suffix and name.endswith(suffix) else name
