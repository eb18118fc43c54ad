"""Monthly prevention memberships, mirrored from their Stripe subscriptions."""

from __future__ import annotations

from django.db import models

from .customers import Customer
from .offers import MembershipPlan
from .orders import Order


class Membership(models.Model):
    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", "Incomplete"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        CANCELED = "canceled", "Canceled"
        UNPAID = "unpaid", "Unpaid"

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="memberships")
    plan = models.ForeignKey(
        MembershipPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="membership")
    stripe_subscription_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    # When Stripe will end it (the paid period's end, or the minimum term's end); empty: it renews.
    cancel_at = models.DateTimeField(null=True, blank=True)
    # The terms of the plan the member changed to (empty: those bought with the order).
    plan_terms = models.JSONField(default=dict, blank=True)
    # Paused (Stripe's pause_collection): no payment is taken and no month granted until then.
    paused_until = models.DateTimeField(null=True, blank=True)
    # Stripe's `created` of the last subscription event applied: older events never move us backwards.
    last_event_at = models.BigIntegerField(default=0)
    past_due_notified_for = models.CharField(max_length=255, blank=True, help_text="Invoice we last emailed about.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.plan} — {self.customer.email} ({self.get_status_display()})"

    @property
    def terms(self) -> dict:
        """The terms months are granted by: the plan changed to, else the order's snapshot."""
        return self.plan_terms or self.order.lines.get().terms

    @property
    def ends_at(self):
        """When it ends, if it is set to end: the cancellation date Stripe holds."""
        if self.cancel_at:
            return self.cancel_at
        return self.current_period_end if self.cancel_at_period_end else None
