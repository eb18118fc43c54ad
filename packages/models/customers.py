"""Customers and their single-use sign-in links for "My account"."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


def new_public_token() -> str:
    """Unguessable, URL-safe reference (no sequential ids leave the server)."""
    return secrets.token_urlsafe(18)


class Customer(models.Model):
    email = models.EmailField(unique=True, help_text="Stored lower-case.")
    name = models.CharField(max_length=150, blank=True)
    stripe_customer_id = models.CharField(max_length=100, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email"]
        # Shop permissions are checked in every front-desk and manager view and API,
        # not only by hiding menus. Groups get them in migration 0002_roles.
        permissions = [
            ("redeem_session", "Can redeem a session"),
            ("redeem_gift_card", "Can redeem a gift-card amount"),
            ("adjust_balance", "Can adjust balances, void gift cards and extend expiries"),
            ("resend_gift_card", "Can resend or reschedule gift-card emails"),
            ("refund_order", "Can refund orders"),
            ("manage_memberships", "Can cancel memberships on a customer's behalf"),
            ("erase_customer", "Can erase a customer's personal data on request"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class MagicLink(models.Model):
    """A single-use, short-lived sign-in link for "My account". Only the token's hash is kept."""

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="magic_links")
    email = models.EmailField(help_text="The address the link was sent to.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "account sign-in link"

    def __str__(self) -> str:
        state = "used" if self.used_at else "expired" if self.expires_at <= timezone.now() else "open"
        return f"Sign-in link for {self.email} ({state})"
