"""The shop's errors: one base, so callers can catch "the shop refused" in one place."""

from __future__ import annotations


class ShopError(Exception):
    """Something the shop refused or could not square; the message is safe for staff."""


class ShopValidationError(ShopError):
    """Bad input from a buyer: ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class FulfilmentError(ShopError):
    """Stripe told us something we cannot square with the order (kept on the event for staff)."""


class BalanceError(ShopError):
    """A redemption or adjustment that cannot be done; the message is for staff at the desk."""
