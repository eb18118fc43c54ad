"""Balances and their ledgers: session credits and gift cards.

Each balance is cached on its row, guarded by a CheckConstraint (never negative),
and always equals the sum of its ledger entries; entries are only ever added.
What "usable" means is written once, here: :meth:`CreditGrantQuerySet.usable`
and :meth:`GiftCardQuerySet.usable` (with the same rule on an instance as
``is_usable``). Every balance change goes through ``services.ledger.move``.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from home.money import format_money

from .customers import Customer
from .memberships import Membership
from .orders import Order


class LedgerKind(models.TextChoices):
    GRANT = "grant", "Grant"
    REDEEM = "redeem", "Redeem"
    REFUND = "refund", "Refund"
    ADJUST = "adjust", "Adjustment"
    EXPIRE = "expire", "Expiry"
    VOID = "void", "Void"
    HOLD = "hold", "Held for an online order"
    RELEASE = "release", "Hold released"


def not_expired(at: datetime | None = None, *, prefix: str = "") -> Q:
    """``expires_at`` unset or later than ``at`` (now), on this model or through ``prefix``."""
    at = at or timezone.now()
    return Q(**{f"{prefix}expires_at__isnull": True}) | Q(**{f"{prefix}expires_at__gt": at})


class CreditGrantQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None) -> CreditGrantQuerySet:
        """Sessions that can be booked now: some left, not expired."""
        return self.filter(not_expired(at), balance__gt=0, frozen=False)

    def first_to_use(self) -> CreditGrantQuerySet:
        """The order the desk uses credits in: the one expiring soonest first (never-expiring last)."""
        return self.order_by(models.F("expires_at").asc(nulls_last=True), "pk")


class CreditGrant(models.Model):
    """A block of sessions a customer can use: from a series, a month of membership, or a gift."""

    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    class Source(models.TextChoices):
        SERIES = "series", "Session series"
        MEMBERSHIP = "membership", "Membership month"
        GIFT = "gift", "Gifted series"
        MANUAL = "manual", "Added by staff"
        EXTRA = "extra", "Extra session"

    objects = CreditGrantQuerySet.as_manager()

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="credit_grants")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_grants")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.PROTECT, related_name="credit_grants"
    )
    source = models.CharField(max_length=20, choices=Source.choices)
    treatment_name = models.CharField(max_length=200)
    session_minutes = models.PositiveSmallIntegerField()
    sessions_granted = models.PositiveSmallIntegerField()
    balance = models.IntegerField(help_text="Sessions left; always the sum of the ledger entries.")
    expires_at = models.DateTimeField(null=True, blank=True)
    # A membership month is granted once per Stripe invoice, whatever arrives how often.
    stripe_invoice_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    # What paid for a membership month (so it can be refunded from the admin), as its invoice said.
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    amount_paid_minor = models.PositiveIntegerField(null=True, blank=True)
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    frozen = models.BooleanField(default=False, help_text="On hold while its payment is disputed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expires_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="credit_balance_not_negative"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(source__in=["series", "gift"]),
                name="one_series_grant_per_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.balance}/{self.sessions_granted} × {self.session_minutes} min {self.treatment_name}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.balance > 0 and not self.is_expired and not self.frozen

    @property
    def display_name(self) -> str:
        """What this block of sessions is called to its holder and at the desk: "therapeutic massage
        series", "… membership month", "gifted … series" or "extra … sessions" (added by staff)."""
        treatment = self.treatment_name.lower()
        return {
            self.Source.SERIES: f"{treatment} series",
            self.Source.MEMBERSHIP: f"{treatment} membership month",
            self.Source.GIFT: f"gifted {treatment} series",
        }.get(self.source, f"extra {treatment} sessions")

    @property
    def left_phrase(self) -> str:
        """ "on this series" / "this membership month" / "of these sessions", for "Sessions left …"."""
        return {
            self.Source.SERIES: "on this series",
            self.Source.MEMBERSHIP: "this membership month",
            self.Source.GIFT: "on this gifted series",
        }.get(self.source, "of these sessions")


class LedgerEntry(models.Model):
    """One movement on a balance. Entries are only ever added: never edited, never deleted."""

    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True
    kind = models.CharField(max_length=10, choices=LedgerKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    reason = models.CharField(max_length=300, blank=True)
    reference = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class CreditEntry(LedgerEntry):
    grant = models.ForeignKey(CreditGrant, on_delete=models.PROTECT, related_name="entries")
    delta = models.IntegerField(help_text="Sessions added (positive) or taken (negative).")

    class Meta(LedgerEntry.Meta):
        verbose_name_plural = "credit entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delta:+d}"


class GiftCardQuerySet(models.QuerySet):
    def usable(self, at: datetime | None = None) -> GiftCardQuerySet:
        """Delivered, not voided, not expired; a gifted series also needs its sessions unexpired."""
        at = at or timezone.now()
        series_ok = Q(kind=GiftCard.Kind.AMOUNT) | (Q(grant__isnull=False) & not_expired(at, prefix="grant__"))
        return self.filter(not_expired(at), series_ok, status=GiftCard.Status.ACTIVE, frozen=False)


class GiftCard(models.Model):
    """A gift for someone else. The code is never stored: only a keyed hash and its last four characters."""

    class Kind(models.TextChoices):
        AMOUNT = "amount", "Money amount"
        SERIES = "series", "Session series"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled for delivery"
        ACTIVE = "active", "Delivered"
        VOIDED = "voided", "Voided"

    class Delivery(models.TextChoices):
        EMAIL = "email", "Emailed to the recipient"
        DOWNLOAD = "download", "Code downloaded by the buyer"

    objects = GiftCardQuerySet.as_manager()

    # One card per gift order; a bulk order makes up to 100 (``Order.gift_card`` is the single one).
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="gift_cards")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    code_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    code_last4 = models.CharField(max_length=4, blank=True)
    currency = models.CharField(max_length=3)
    initial_amount_minor = models.PositiveIntegerField(default=0)
    balance_minor = models.IntegerField(default=0, help_text="Always the sum of the ledger entries.")
    grant = models.OneToOneField(CreditGrant, null=True, blank=True, on_delete=models.PROTECT, related_name="gift_card")
    recipient_name = models.CharField(max_length=150)
    recipient_email = models.EmailField()
    sender_name = models.CharField(max_length=150)
    message = models.TextField(blank=True)
    deliver_on = models.DateField()
    delivery = models.CharField(
        max_length=10,
        choices=Delivery.choices,
        default=Delivery.EMAIL,
        help_text="Bulk orders may hand the codes to the buyer in a one-time download instead of emailing them.",
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    frozen = models.BooleanField(default=False, help_text="On hold while its payment is disputed.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(balance_minor__gte=0), name="gift_balance_not_negative")]

    def __str__(self) -> str:
        suffix = f"…{self.code_last4}" if self.code_last4 else "(not yet delivered)"
        return f"Gift card {suffix} for {self.recipient_name}"

    @property
    def balance_display(self) -> str:
        return format_money(self.balance_minor, self.currency)

    def unusable_reason(self, at: datetime | None = None) -> str:
        """Why the holder cannot use this card now (a message for staff), or '' when usable.

        The instance form of :meth:`GiftCardQuerySet.usable`; reads ``grant`` for a gifted series.
        """
        at = at or timezone.now()
        if self.status == self.Status.VOIDED:
            return "This gift card has been voided."
        if self.frozen:
            return "This gift card is on hold: its payment is disputed with the bank."
        if self.status == self.Status.SCHEDULED and self.delivery == self.Delivery.DOWNLOAD:
            return "This gift card's code has not been downloaded by its buyer yet."
        if self.status == self.Status.SCHEDULED:
            return f"This gift card is not delivered yet (due {self.deliver_on:%b %-d, %Y})."
        if self.expires_at and self.expires_at <= at:
            return f"This gift card expired on {self.expires_at:%b %-d, %Y}."
        if self.kind == self.Kind.SERIES and (self.grant is None or self.grant.is_expired):
            return "The sessions on this gift have expired."
        return ""

    def is_usable(self, at: datetime | None = None) -> bool:
        return not self.unusable_reason(at)


class GiftCardEntry(LedgerEntry):
    card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="entries")
    delta_minor = models.IntegerField(help_text="Money added (positive) or taken (negative), in minor units.")

    class Meta(LedgerEntry.Meta):
        verbose_name_plural = "gift card entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delta_minor:+d}"
