"""The shop's data: offers, customers, orders, session credits, memberships, gift cards, Stripe events.

Money is always integer minor units (cents) plus a three-letter currency code.
Balances (session credits, gift-card value) are cached on their row, guarded by
a CheckConstraint (never negative), and always equal the sum of their ledger
entries; entries are only ever added. Every write goes through services.py.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from home.money import format_money


def new_public_token() -> str:
    """Unguessable, URL-safe order reference (no sequential ids leave the server)."""
    return secrets.token_urlsafe(18)


# --- Offers ----------------------------------------------------------------------------


class Offer(index.Indexed, models.Model):
    """What every offer shares: shown on shop pages, its treatment's page and the home page."""

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(max_length=250, help_text="One sentence for cards and listings.")
    description = RichTextField(features=["bold", "italic", "link", "ul"], blank=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(default=True, help_text="Only active offers can be bought.")
    featured = models.BooleanField(default=False, help_text="Show on the home page.")
    sort_order = models.PositiveSmallIntegerField(default=0)
    currency = models.CharField(max_length=3, default="usd")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    common_panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("description"),
        FieldPanel("image"),
        MultiFieldPanel([FieldPanel("active"), FieldPanel("featured"), FieldPanel("sort_order")], "Display"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title"), index.FilterField("active")]

    kind: str = ""

    class Meta:
        abstract = True
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("shop:offer", kwargs={"kind": self.kind, "slug": self.slug})

    def money(self, amount_minor: int) -> str:
        return format_money(amount_minor, self.currency)


class SessionSeries(Offer):
    """A prepaid series of sessions of one treatment, e.g. 5 × 60 min therapeutic massage."""

    kind = "series"

    treatment = models.ForeignKey("home.TreatmentPage", on_delete=models.PROTECT, related_name="series_offers")
    session_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(10)])
    sessions = models.PositiveSmallIntegerField(validators=[MinValueValidator(2), MaxValueValidator(50)])
    price_minor = models.PositiveIntegerField("Price (cents)", validators=[MinValueValidator(100)])
    validity_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1)], help_text="Sessions expire this many months after purchase."
    )
    giftable = models.BooleanField(default=True, help_text="Buyers may give this series to someone else.")

    panels = [
        *Offer.common_panels,
        MultiFieldPanel(
            [
                FieldPanel("treatment"),
                FieldPanel("session_minutes"),
                FieldPanel("sessions"),
                FieldPanel("price_minor"),
                FieldPanel("validity_months"),
                FieldPanel("giftable"),
            ],
            "Series terms",
        ),
    ]

    class Meta(Offer.Meta):
        verbose_name = "session series"
        verbose_name_plural = "session series"
        constraints = [models.CheckConstraint(condition=Q(price_minor__gt=0), name="series_price_positive")]

    @property
    def price_display(self) -> str:
        return self.money(self.price_minor)

    @property
    def single_session_price_minor(self) -> int | None:
        for duration in self.treatment.durations.all():
            if duration.minutes == self.session_minutes:
                return duration.price_minor
        return None

    @property
    def saving_minor(self) -> int:
        single = self.single_session_price_minor
        return max(0, single * self.sessions - self.price_minor) if single else 0

    @property
    def saving_display(self) -> str:
        return self.money(self.saving_minor) if self.saving_minor else ""

    def terms(self) -> dict:
        return {
            "treatment": self.treatment.title,
            "treatment_id": self.treatment_id,
            "session_minutes": self.session_minutes,
            "sessions": self.sessions,
            "validity_months": self.validity_months,
        }

    def terms_text(self, *, as_gift: bool = False) -> str:
        sessions = f"{self.sessions} × {self.session_minutes}-minute {self.treatment.title.lower()} sessions"
        if as_gift:
            # A gifted series follows the gift-card expiry policy (US CARD Act), not the series'.
            years = settings.GIFT_CARD_EXPIRY_YEARS
            return f"{sessions}, given as a gift: " + (
                f"valid for {years} years from purchase." if years else "they do not expire."
            )
        return f"{sessions}, valid for {self.validity_months} months from purchase."


class MembershipPlan(Offer):
    """A monthly prevention membership: a subscription that includes sessions each month."""

    kind = "membership"

    treatment = models.ForeignKey("home.TreatmentPage", on_delete=models.PROTECT, related_name="membership_plans")
    session_minutes = models.PositiveSmallIntegerField(default=60, validators=[MinValueValidator(10)])
    monthly_price_minor = models.PositiveIntegerField("Monthly price (cents)", validators=[MinValueValidator(100)])
    sessions_per_month = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    extra_session_price_minor = models.PositiveIntegerField(
        "Member price for extra sessions (cents)", validators=[MinValueValidator(0)]
    )
    rollover_cap = models.PositiveSmallIntegerField(
        default=1, help_text="How many unused sessions may roll over into the next month."
    )
    minimum_term_months = models.PositiveSmallIntegerField(default=3)
    cancellation_terms = models.TextField(
        default="Cancel any time after the minimum term; the membership ends at the end of the paid month."
    )
    stripe_price_id = models.CharField(
        max_length=100,
        blank=True,
        help_text="Optional Stripe Price (recurring). Without it Checkout gets the price inline.",
    )

    panels = [
        *Offer.common_panels,
        MultiFieldPanel(
            [
                FieldPanel("treatment"),
                FieldPanel("session_minutes"),
                FieldPanel("monthly_price_minor"),
                FieldPanel("sessions_per_month"),
                FieldPanel("extra_session_price_minor"),
                FieldPanel("rollover_cap"),
                FieldPanel("minimum_term_months"),
                FieldPanel("cancellation_terms"),
                FieldPanel("stripe_price_id"),
            ],
            "Membership terms",
        ),
    ]

    class Meta(Offer.Meta):
        verbose_name = "membership plan"

    @property
    def price_minor(self) -> int:
        return self.monthly_price_minor

    @property
    def price_display(self) -> str:
        return f"{self.money(self.monthly_price_minor)} / month"

    def terms(self) -> dict:
        return {
            "treatment": self.treatment.title,
            "treatment_id": self.treatment_id,
            "session_minutes": self.session_minutes,
            "sessions_per_month": self.sessions_per_month,
            "extra_session_price_minor": self.extra_session_price_minor,
            "rollover_cap": self.rollover_cap,
            "minimum_term_months": self.minimum_term_months,
            "cancellation_terms": self.cancellation_terms,
        }

    def terms_text(self) -> str:
        return (
            f"{self.sessions_per_month} × {self.session_minutes}-minute {self.treatment.title.lower()} "
            f"each month; extra sessions {self.money(self.extra_session_price_minor)}; up to {self.rollover_cap} "
            f"unused session(s) roll over; minimum term {self.minimum_term_months} months. {self.cancellation_terms}"
        )


class GiftCardOffer(Offer):
    """A gift card for a money amount: fixed amounts and/or a custom amount within limits."""

    kind = "gift-card"

    fixed_amounts = models.JSONField(
        default=list, blank=True, help_text="Amounts in cents offered as buttons, e.g. [5000, 10000, 15000]."
    )
    allow_custom_amount = models.BooleanField(default=True)
    min_amount_minor = models.PositiveIntegerField("Smallest custom amount (cents)", default=2500)
    max_amount_minor = models.PositiveIntegerField("Largest custom amount (cents)", default=50000)

    panels = [
        *Offer.common_panels,
        MultiFieldPanel(
            [
                FieldPanel("fixed_amounts"),
                FieldPanel("allow_custom_amount"),
                FieldPanel("min_amount_minor"),
                FieldPanel("max_amount_minor"),
            ],
            "Amounts",
        ),
    ]

    class Meta(Offer.Meta):
        verbose_name = "gift card"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount_minor__gt=0) & Q(max_amount_minor__gte=models.F("min_amount_minor")),
                name="gift_card_offer_limits_valid",
            )
        ]

    def clean(self):
        super().clean()
        amounts = self.fixed_amounts or []
        if not isinstance(amounts, list) or not all(isinstance(a, int) and a > 0 for a in amounts):
            raise ValidationError({"fixed_amounts": "Enter a list of whole amounts in cents, e.g. [5000, 10000]."})
        if not amounts and not self.allow_custom_amount:
            raise ValidationError("Offer at least one fixed amount or allow a custom amount.")

    @property
    def price_minor(self) -> int:
        amounts = self.fixed_amounts or []
        return min(amounts) if amounts else self.min_amount_minor

    @property
    def price_display(self) -> str:
        return f"from {self.money(self.price_minor)}"

    def amount_is_allowed(self, amount_minor: int) -> bool:
        if amount_minor in (self.fixed_amounts or []):
            return True
        return self.allow_custom_amount and self.min_amount_minor <= amount_minor <= self.max_amount_minor

    def terms(self) -> dict:
        return {"expiry_years": settings.GIFT_CARD_EXPIRY_YEARS}

    def terms_text(self) -> str:
        years = settings.GIFT_CARD_EXPIRY_YEARS
        expiry = f"valid for {years} years from issue" if years else "never expires"
        return f"Redeemable for any treatment or series at the studio; {expiry}; not exchangeable for cash."


OFFER_MODELS = {model.kind: model for model in (SessionSeries, MembershipPlan, GiftCardOffer)}


# --- Customers and orders ------------------------------------------------------------------


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
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class Order(models.Model):
    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    class Kind(models.TextChoices):
        SERIES = "series", "Session series"
        MEMBERSHIP = "membership", "Membership"
        GIFT_CARD = "gift-card", "Gift card"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PROCESSING = "processing", "Payment processing"
        FULFILLED = "fulfilled", "Paid and fulfilled"
        FAILED = "failed", "Payment failed"
        EXPIRED = "expired", "Checkout expired"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partly refunded"

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

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_refunded_minor__lte=models.F("amount_total_minor")), name="order_refund_le_total"
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


class LedgerKind(models.TextChoices):
    GRANT = "grant", "Grant"
    REDEEM = "redeem", "Redeem"
    REFUND = "refund", "Refund"
    ADJUST = "adjust", "Adjustment"
    EXPIRE = "expire", "Expiry"
    VOID = "void", "Void"


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
    # Stripe's `created` of the last subscription event applied: older events never move us backwards.
    last_event_at = models.BigIntegerField(default=0)
    past_due_notified_for = models.CharField(max_length=255, blank=True, help_text="Invoice we last emailed about.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.plan} — {self.customer.email} ({self.get_status_display()})"


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
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)
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


class GiftCard(models.Model):
    """A gift for someone else. The code is never stored: only a keyed hash and its last four characters."""

    class Kind(models.TextChoices):
        AMOUNT = "amount", "Money amount"
        SERIES = "series", "Session series"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled for delivery"
        ACTIVE = "active", "Delivered"
        VOIDED = "voided", "Voided"

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="gift_card")
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
    delivered_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
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


class GiftCardEntry(LedgerEntry):
    card = models.ForeignKey(GiftCard, on_delete=models.PROTECT, related_name="entries")
    delta_minor = models.IntegerField(help_text="Money added (positive) or taken (negative), in minor units.")

    class Meta(LedgerEntry.Meta):
        verbose_name_plural = "gift card entries"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delta_minor:+d}"


class OrderRefund(models.Model):
    """A refund of (part of) an order, applied to balances once per Stripe refund id."""

    # Shop records are written on every sale and webhook and never edited in the admin: keeping
    # them out of Wagtail's reference index saves a queued index task per save (issue #6).
    wagtail_reference_index_ignore = True

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="refunds")
    stripe_refund_id = models.CharField(max_length=255, unique=True)
    amount_minor = models.PositiveIntegerField()
    reason = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    sessions_revoked = models.PositiveIntegerField(default=0)
    amount_revoked_minor = models.PositiveIntegerField(default=0)
    already_used_note = models.CharField(
        max_length=300, blank=True, help_text="What could not be taken back because it was already used."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Refund {format_money(self.amount_minor, self.order.currency)} of {self.order}"


# --- Stripe ------------------------------------------------------------------------------------


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
