"""What the shop keeps of Stripe: every webhook event once, and the offline stand-in's sessions."""

from __future__ import annotations

from django.conf import settings
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
    promotion = models.JSONField(null=True, blank=True, help_text="The promotion code the buyer entered, if any.")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.session_id


# --- Customer account ----------------------------------------------------------------------------


class StandInObject(models.Model):
    """An invoice, refund or dispute the offline stand-in made, kept so it can answer Stripe's list calls."""

    wagtail_reference_index_ignore = True

    kind = models.CharField(max_length=20)  # invoices | refunds | disputes
    object_id = models.CharField(max_length=255, unique=True)
    payload = models.JSONField()
    created = models.BigIntegerField(db_index=True)

    class Meta:
        ordering = ["created", "pk"]

    def __str__(self) -> str:
        return self.object_id


class Review(models.Model):
    """Something Stripe sent that the shop would not act on by itself: kept for a manager to look at.

    A paid session whose amounts do not match its order, a session that names one of our
    orders but is not its checkout (a Payment Link, the Dashboard), an invoice that grants
    no sessions. The webhook answers 200 (Stripe would only retry for days); nothing is
    granted until a manager resolves it.
    """

    wagtail_reference_index_ignore = True

    class Reason(models.TextChoices):
        AMOUNT_MISMATCH = "amount_mismatch", "Paid amount does not match the order"
        FOREIGN_SESSION = "foreign_session", "Payment not made through the order's checkout"
        INVOICE_NOT_GRANTED = "invoice_not_granted", "Invoice paid without sessions granted"
        DISPUTE = "dispute", "Payment disputed with the bank"

    reason = models.CharField(max_length=30, choices=Reason.choices)
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    stripe_id = models.CharField(max_length=255, blank=True, help_text="The Stripe object it is about.")
    message = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reason", "stripe_id"], name="one_review_per_stripe_object_and_reason")
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.stripe_id}"
