"""Template tags for the customer-facing after-sale pages and emails."""

from django import template

from packages.storefront import giftcards

register = template.Library()


@register.simple_tag
def gift_card_print_url(card) -> str:
    """The signed, expiring "print your gift card" link for a delivered card (it never carries the code)."""
    return giftcards.gift_card_print_url(card)
