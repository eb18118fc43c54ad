"""What the shop keeps of Stripe: every webhook event once, and the offline stand-in's sessions."""

from __future__ import annotations

from django.db import models

from .orders import Order


class StripeEvent(models.Model):
    """Every webhook event, stored once: the unique event id decides duplicates."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    created = models.BigIntegerField(help_text="Stripe's timestamp for the event.")
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "Stripe event"

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"

    @property
    def short_error(self) -> str:
        """The error's last line (the exception and its message), for listings."""
        lines = [line for line in self.error.strip().splitlines() if line.strip()]
        return lines[-1][:200] if lines else ""


class StandInCheckoutSession(models.Model):
    """The offline stand-in's memory of a Checkout Session (used only when no Stripe key is set)."""

    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    session_id = models.CharField(max_length=255, unique=True)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="stand_in_sessions")
    params = models.JSONField(help_text="The parameters our code sent, as Stripe would have received them.")
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=20, default="open")  # open | complete | expired
    payment_status = models.CharField(max_length=20, default="unpaid")  # unpaid | paid
    subscription_id = models.CharField(max_length=255, blank=True)
    invoice_id = models.CharField(max_length=255, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.session_id


# --- Customer account ----------------------------------------------------------------------------
