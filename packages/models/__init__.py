"""The shop's data: offers, customers, orders, memberships, balances with their ledgers, Stripe records.

Money is always integer minor units (cents) plus a three-letter currency code.
Every write goes through ``packages.services``. One module per area; this
package re-exports them so ``from packages.models import Order`` keeps working.
"""

from .bulk import BULK_MAX_CARDS, BulkDelivery, BulkGiftCardOffer, BulkRecipient, bulk_delivery_of
from .customers import Customer, MagicLink, new_public_token
from .extras import ExtraSession
from .ledger import (
    CreditEntry,
    CreditGrant,
    GiftCard,
    GiftCardEntry,
    LedgerEntry,
    LedgerKind,
    not_expired,
)
from .memberships import Membership
from .offers import OFFER_MODELS, GiftCardOffer, MembershipPlan, Offer, SessionSeries
from .orders import Order, OrderLine, OrderRefund
from .payments import Review, StandInCheckoutSession, StandInObject, StripeEvent
from .promotions import PromotionCode, normalise_code

__all__ = [
    "BULK_MAX_CARDS",
    "OFFER_MODELS",
    "BulkDelivery",
    "BulkGiftCardOffer",
    "BulkRecipient",
    "bulk_delivery_of",
    "CreditEntry",
    "CreditGrant",
    "Customer",
    "ExtraSession",
    "GiftCard",
    "GiftCardEntry",
    "GiftCardOffer",
    "LedgerEntry",
    "LedgerKind",
    "MagicLink",
    "Membership",
    "MembershipPlan",
    "Offer",
    "Order",
    "OrderLine",
    "OrderRefund",
    "PromotionCode",
    "Review",
    "SessionSeries",
    "StandInCheckoutSession",
    "StandInObject",
    "StripeEvent",
    "new_public_token",
    "normalise_code",
    "not_expired",
]
