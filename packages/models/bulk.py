"""Gift cards bought in bulk: one order for up to 100 cards of one amount.

The offer is the gift-card offer itself, seen through a proxy with the rules of a bulk
order (its own kind, so checkout, fulfilment, promotion codes and reports tell the two
apart). A bulk order either sends each card to a recipient from the buyer's list
(:class:`BulkRecipient`, stored with the order before payment) or hands the buyer the
codes in a one-time download.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from .offers import GiftCardOffer
from .orders import Order

#: The most cards one bulk order may hold.
BULK_MAX_CARDS = 100


class BulkDelivery(models.TextChoices):
    RECIPIENTS = "recipients", "Emailed to a list of recipients"
    CODES = "codes", "Codes downloaded by the buyer"


class BulkGiftCardOffer(GiftCardOffer):
    """A gift-card offer bought as several cards of one amount (same rows, bulk rules)."""

    kind = "gift-card-bulk"
    requires_gift = False  # the recipients are a list on the order, not the single gift fields
    search_fields = []  # the same rows as GiftCardOffer: index them once

    class Meta:
        proxy = True
        verbose_name = "gift cards in bulk"
        verbose_name_plural = "gift cards in bulk"

    def get_absolute_url(self) -> str:
        return reverse("shop:gift_cards_bulk", kwargs={"slug": self.slug})

    def accepts_gift(self) -> bool:
        return False  # each card is a gift; the order itself is not

    def refuses_gift_message(self) -> str:
        return "Name the recipients in the list, one per card."

    def snapshot(self, *, unit_amount_minor: int, as_gift: bool, quantity: int = 1, delivery: str = "") -> dict:
        return {
            **super().snapshot(unit_amount_minor=unit_amount_minor, as_gift=as_gift),
            "name": f"{self.title} ({self.money(unit_amount_minor)})",
            "quantity": quantity,
            "terms": {**self.terms(), "delivery": delivery},
            "terms_text": f"{quantity} × {self.money(unit_amount_minor)} gift cards. {self.terms_text()}",
        }


class BulkRecipient(models.Model):
    """One recipient of a bulk order, as the buyer listed them; the card is made for them once paid."""

    wagtail_reference_index_ignore = True

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="bulk_recipients")
    position = models.PositiveSmallIntegerField(help_text="The recipient's place in the buyer's list (from 1).")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    message = models.TextField(blank=True, max_length=1000)
    deliver_on = models.DateField()
    card = models.OneToOneField(
        "packages.GiftCard", null=True, blank=True, on_delete=models.SET_NULL, related_name="bulk_recipient"
    )

    class Meta:
        ordering = ["order", "position"]
        constraints = [models.UniqueConstraint(fields=["order", "position"], name="bulk_recipient_position_unique")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name} <{self.email}> on {self.deliver_on:%Y-%m-%d}"


def bulk_delivery_of(order: Order) -> str:
    """How a bulk order's cards reach people (``BulkDelivery``), from its line's terms; '' for other orders."""
    if order.kind != Order.Kind.GIFT_CARD_BULK:
        return ""
    line = order.lines.first()
    return (line.terms or {}).get("delivery", "") if line else ""


__all__ = ["BULK_MAX_CARDS", "BulkDelivery", "BulkGiftCardOffer", "BulkRecipient", "bulk_delivery_of"]
