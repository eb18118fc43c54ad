"""Promotion codes managers create: percent or amount off, dates, a usage limit, the offers they apply to.

In real mode each code is mirrored once to a Stripe coupon and promotion code, and the
Checkout Session carries it; the offline stand-in applies it itself. A code is counted
as used when its order is paid, never beyond its limit.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from home.money import format_money

from .offers import OFFER_MODELS


def offer_kind_choices() -> list[tuple[str, str]]:
    return [(kind, model._meta.verbose_name.capitalize()) for kind, model in OFFER_MODELS.items()]


class PromotionCode(models.Model):
    code = models.CharField(
        max_length=40, unique=True, help_text="What buyers type, e.g. SPRING15 (not case-sensitive)."
    )
    description = models.CharField(max_length=200, blank=True, help_text="For staff: what the code is for.")
    percent_off = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1–100; or an amount below.")
    amount_off_minor = models.PositiveIntegerField("Amount off (cents)", null=True, blank=True)
    currency = models.CharField(max_length=3, default="usd")
    offer_kinds = models.JSONField(
        default=list, blank=True, help_text='Which kinds of offer it applies to, e.g. ["series"]; empty: all.'
    )
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit.")
    times_redeemed = models.PositiveIntegerField(default=0, editable=False)
    active = models.BooleanField(default=True)
    # Real mode: the coupon and promotion code this one is mirrored to (made on first use).
    stripe_coupon_id = models.CharField(max_length=255, blank=True, editable=False)
    stripe_promotion_code_id = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("description"),
        MultiFieldPanel([FieldPanel("percent_off"), FieldPanel("amount_off_minor")], "Discount"),
        MultiFieldPanel(
            [
                FieldPanel("offer_kinds"),
                FieldPanel("valid_from"),
                FieldPanel("valid_until"),
                FieldPanel("max_redemptions"),
            ],
            "Where and when",
        ),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(percent_off__isnull=False) & Q(amount_off_minor__isnull=True))
                | (Q(percent_off__isnull=True) & Q(amount_off_minor__isnull=False)),
                name="promotion_percent_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(max_redemptions__isnull=True) | Q(times_redeemed__lte=models.F("max_redemptions")),
                name="promotion_within_its_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.discount_display})"

    def save(self, *args, **kwargs):
        self.code = normalise_code(self.code)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if (self.percent_off is None) == (self.amount_off_minor is None):
            raise ValidationError("Give either a percent off or an amount off.")
        if self.percent_off is not None and not 1 <= self.percent_off <= 100:
            raise ValidationError({"percent_off": "Between 1 and 100."})
        kinds = self.offer_kinds or []
        if not isinstance(kinds, list) or any(kind not in OFFER_MODELS for kind in kinds):
            raise ValidationError({"offer_kinds": f"A list of: {', '.join(OFFER_MODELS)} (or empty for all)."})

    @property
    def discount_display(self) -> str:
        if self.percent_off is not None:
            return f"{self.percent_off}% off"
        return f"{format_money(self.amount_off_minor or 0, self.currency)} off"

    def refusal(self, *, offer_kind: str, currency: str, at=None) -> str:
        """Why this code cannot be used on such an offer now (a message for the buyer), or ''."""
        at = at or timezone.now()
        if not self.active or (self.valid_until and self.valid_until <= at):
            return "This promotion code has expired."
        if self.valid_from and self.valid_from > at:
            return "This promotion code is not valid yet."
        if self.max_redemptions is not None and self.times_redeemed >= self.max_redemptions:
            return "This promotion code has been used up."
        if self.offer_kinds and offer_kind not in self.offer_kinds:
            return "This promotion code does not apply to this offer."
        if self.amount_off_minor is not None and self.currency.lower() != currency.lower():
            return "This promotion code does not apply to this offer."
        return ""

    def discount_on(self, amount_minor: int) -> int:
        """How much it takes off ``amount_minor`` (never more than the amount)."""
        if self.percent_off is not None:
            return amount_minor * self.percent_off // 100
        return min(amount_minor, self.amount_off_minor or 0)


def normalise_code(code: str) -> str:
    return "".join((code or "").split()).upper()
