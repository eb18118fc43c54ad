"""Orders, their snapshotted lines, and refunds."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from home.money import format_money

from .customers import Customer, new_public_token
from .offers import OFFER_MODELS, GiftCardOffer, MembershipPlan, SessionSeries


class Order(models.Model):
    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        SERIES = "series", "Session series"
        MEMBERSHIP = "membership", "Membership"
        GIFT_CARD = "gift-card", "Gift card"
        SESSION = "session", "Extra session"
        GIFT_CARD_BULK = "gift-card-bulk", "Gift cards in bulk"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PROCESSING = "processing", "Payment processing"
        FULFILLED = "fulfilled", "Paid and fulfilled"
        FAILED = "failed", "Payment failed"
        EXPIRED = "expired", "Checkout expired"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"
        NEEDS_REVIEW = "needs_review", "Paid, needs review"

    public_token = models.CharField(max_length=32, unique=True, default=new_public_token, editable=False)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    currency = models.CharField(max_length=3)
    amount_total_minor = models.PositiveIntegerField()
    amount_refunded_minor = models.PositiveIntegerField(default=0)

    # Medical disclaimer (treatments only): which version was accepted, and when.
    disclaimer_version = models.CharField(max_length=20, blank=True)
    disclaimer_accepted_at = models.DateTimeField(null=True, blank=True)

    # Gifts
    is_gift = models.BooleanField(default=False)
    sender_name = models.CharField(max_length=150, blank=True)
    recipient_name = models.CharField(max_length=150, blank=True)
    recipient_email = models.EmailField(blank=True)
    gift_message = models.TextField(blank=True, max_length=1000)
    delivery_date = models.DateField(null=True, blank=True)

    # Stripe
    idempotency_key = models.CharField(max_length=64, unique=True, default=new_public_token, editable=False)
    stripe_checkout_session_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    checkout_url = models.URLField(max_length=2000, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_customer_id = models.CharField(max_length=255, blank=True)
    stripe_session = models.JSONField(
        default=dict, blank=True, help_text="The Checkout Session as Stripe last sent it."
    )
    failure_reason = models.CharField(max_length=500, blank=True)
    # What Stripe charged, as its Checkout Session says (promotion codes and tax make the
    # total differ from our price; the price is checked against the subtotal).
    # A chargeback: while "open" what is unused on the order is frozen; "won" unfreezes, "lost" takes it back.
    dispute_id = models.CharField(max_length=255, blank=True, db_index=True)
    dispute_status = models.CharField(
        max_length=10, blank=True, choices=[("open", "Disputed"), ("won", "Dispute won"), ("lost", "Dispute lost")]
    )
    promotion_code = models.ForeignKey(
        "packages.PromotionCode", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    discount_minor = models.PositiveIntegerField(default=0, help_text="What the promotion code takes off our price.")
    # Part or all of the price paid with a gift card: held when checkout starts, taken when paid,
    # given back when the checkout expires or fails.
    paid_with_card = models.ForeignKey(
        "packages.GiftCard", null=True, blank=True, on_delete=models.PROTECT, related_name="spent_on"
    )
    card_amount_minor = models.PositiveIntegerField(default=0)
    card_hold = models.CharField(
        max_length=10, blank=True, choices=[("held", "Held"), ("captured", "Taken"), ("released", "Released")]
    )
    stripe_amount_subtotal = models.PositiveIntegerField(null=True, blank=True)
    stripe_amount_discount = models.PositiveIntegerField(null=True, blank=True)
    stripe_amount_tax = models.PositiveIntegerField(null=True, blank=True)
    stripe_amount_total = models.PositiveIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # What Stripe refunded never exceeds what it charged, which tax can make more than our price.
            models.CheckConstraint(
                condition=Q(
                    amount_refunded_minor__lte=Greatest(
                        Coalesce(models.F("stripe_amount_total"), 0), models.F("amount_total_minor")
                    )
                ),
                name="order_refund_le_charged",
            ),
        ]

    def __str__(self) -> str:
        return f"Order {self.public_token[:8]} — {self.get_kind_display()} — {self.total_display}"

    @property
    def total_display(self) -> str:
        return format_money(self.amount_total_minor, self.currency)

    @property
    def is_fulfilled(self) -> bool:
        return self.fulfilled_at is not None

    @property
    def adjustments(self) -> list[tuple[str, str]]:
        """What came off or on top of our price, for receipts: a promotion code, a gift card, tax."""
        rows = []
        if discount := self.discount_total_minor:
            code = f" ({self.promotion_code.code})" if self.promotion_code_id else ""
            rows.append((f"Discount{code}", format_money(-discount, self.currency)))
        if self.card_amount_minor:
            rows.append(("Paid with a gift card", format_money(-self.card_amount_minor, self.currency)))
        if self.stripe_amount_tax:
            rows.append(("Tax", format_money(self.stripe_amount_tax, self.currency)))
        return rows

    @property
    def charged_display(self) -> str:
        """What the buyer's card was charged: Stripe's total, or our price less what came off."""
        if self.stripe_amount_total is not None:
            return format_money(self.stripe_amount_total, self.currency)
        return format_money(self.amount_total_minor - self.discount_minor - self.card_amount_minor, self.currency)

    @property
    def discount_total_minor(self) -> int:
        """Every discount on the order, counted once: Stripe's, plus ours when we took it off before Stripe
        (a promotion code with a gift card); ours alone while Stripe has not said."""
        if self.discount_before_stripe:
            return self.discount_minor + (self.stripe_amount_discount or 0)
        return self.stripe_amount_discount if self.stripe_amount_discount is not None else self.discount_minor

    @property
    def stripe_paid_minor(self) -> int:
        """What Stripe charged for the order (its total): 0 when a gift card paid it all and Stripe never saw it."""
        if not self.stripe_payment_intent_id:
            return 0
        return self.stripe_amount_total if self.stripe_amount_total is not None else self.amount_total_minor

    @property
    def card_paid_minor(self) -> int:
        """What the gift card that paid for the order gave (once taken: a hold is not a payment)."""
        return self.card_amount_minor if self.paid_with_card_id and self.card_hold == "captured" else 0

    @property
    def paid_minor(self) -> int:
        """What the buyer actually paid: Stripe's charge plus the gift card's part (discounts are off both)."""
        return self.stripe_paid_minor + self.card_paid_minor

    @property
    def discount_before_stripe(self) -> bool:
        """A promotion code and a gift card together: the discount comes off first, here, then the card pays
        part or all of the rest, and Stripe charges what is left with no discount of its own."""
        return bool(self.promotion_code_id and self.card_amount_minor)

    @property
    def stripe_amount_due_minor(self) -> int:
        """What is left for Stripe to charge (before its own discounts and tax) after a gift card."""
        taken_here = self.discount_minor if self.discount_before_stripe else 0
        return self.amount_total_minor - taken_here - self.card_amount_minor

    @property
    def is_bulk(self) -> bool:
        return self.kind == self.Kind.GIFT_CARD_BULK

    @property
    def gift_card(self):
        """The one gift card (or gifted series) a gift order made, or None; a bulk order has many (``gift_cards``)."""
        if self.is_bulk or self.pk is None:
            return None
        return self.gift_cards.first()

    @property
    def checkout_mode(self) -> str:
        """Stripe Checkout's mode for this order, as its offer type says."""
        return OFFER_MODELS[self.kind].checkout_mode

    def get_absolute_url(self) -> str:
        return reverse("shop:order_status", kwargs={"token": self.public_token})


class OrderLine(models.Model):
    """What was sold, snapshotted: changing the offer later never changes this."""

    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    unit_amount_minor = models.PositiveIntegerField()
    quantity = models.PositiveSmallIntegerField(default=1)
    currency = models.CharField(max_length=3)
    terms = models.JSONField(default=dict)
    terms_text = models.TextField(blank=True)
    series = models.ForeignKey(SessionSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    plan = models.ForeignKey(MembershipPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    extra_session = models.ForeignKey(
        "packages.ExtraSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gift_card_offer = models.ForeignKey(
        GiftCardOffer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def amount_minor(self) -> int:
        return self.unit_amount_minor * self.quantity

    @property
    def amount_display(self) -> str:
        return format_money(self.amount_minor, self.currency)


# --- Ledgers -------------------------------------------------------------------------------


class OrderRefund(models.Model):
    """A refund of (part of) an order, applied to balances once per Stripe refund id."""

    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    # A membership month's refund: the month (its invoice's payment) it gives back.
    grant = models.ForeignKey(
        "packages.CreditGrant", null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )
    # Empty while the refund is being asked of Stripe: the record is kept before the call is made.
    stripe_refund_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # What Stripe refunds (to the card the buyer paid with); the gift card's part is apart.
    amount_minor = models.PositiveIntegerField()
    card_amount_minor = models.PositiveIntegerField(
        default=0, help_text="The part put back on the gift card that paid for the order (no Stripe refund)."
    )
    stripe_card_last4 = models.CharField(
        max_length=4, blank=True, help_text="The last four digits of the card Stripe refunded, as its charge says."
    )
    reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    sessions_requested = models.PositiveIntegerField(
        null=True, blank=True, help_text="The most sessions the manager chose to take back (empty: as the policy says)."
    )
    sessions_revoked = models.PositiveIntegerField(default=0)
    amount_revoked_minor = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=500, blank=True, help_text="Why Stripe refused the refund, if it did.")
    already_used_note = models.CharField(
        max_length=300, blank=True, help_text="What could not be taken back because it was already used."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Refund {format_money(self.total_minor, self.order.currency)} of {self.order}"

    @property
    def total_minor(self) -> int:
        """The whole refund: Stripe's part and the gift card's."""
        return self.amount_minor + self.card_amount_minor

    @property
    def gift_card_last4(self) -> str:
        card = self.order.paid_with_card if self.card_amount_minor else None
        return card.code_last4 if card is not None else ""

    @property
    def where_it_went(self) -> str:
        """For the buyer: "$325 to your card ending 4242 and $100 back on your gift card ending K7QX"."""
        currency, parts = self.order.currency, []
        if self.amount_minor:
            card = f"your card ending {self.stripe_card_last4}" if self.stripe_card_last4 else "the card you paid with"
            parts.append(f"{format_money(self.amount_minor, currency)} to {card}")
        if self.card_amount_minor:
            parts.append(
                f"{format_money(self.card_amount_minor, currency)} back on your gift card ending {self.gift_card_last4}"
            )
        return " and ".join(parts)

    @property
    def staff_summary(self) -> str:
        """What the manager is told once the refund is asked for (or, with no Stripe part, done)."""
        card = format_money(self.card_amount_minor, self.order.currency)
        if self.amount_minor:
            text = "Refund sent to Stripe; balances follow when Stripe confirms it."
            if self.card_amount_minor:
                text += f" {card} goes back on the gift card ending {self.gift_card_last4} with it."
        else:
            text = f"Refund done: {card} is back on the gift card ending {self.gift_card_last4}."
        return f"{text} {self.already_used_note}".strip()


# --- Stripe ------------------------------------------------------------------------------------
