"""``{{ amount_minor|money:"usd" }}`` → "$12.50"; negative amounts keep their sign ("−$35")."""

from django import template

from home.money import format_money

register = template.Library()


@register.filter
def money(amount_minor, currency: str = "usd") -> str:
    if amount_minor in (None, ""):
        return ""
    amount = int(amount_minor)
    text = format_money(abs(amount), currency or "usd")
    return f"−{text}" if amount < 0 else text


@register.filter
def signed_money(amount_minor, currency: str = "usd") -> str:
    """Ledger movements: always signed ("+$100", "−$35")."""
    text = money(amount_minor, currency)
    return text if text.startswith("−") else f"+{text}"
