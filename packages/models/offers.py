"""Offers: what the shop sells. Each offer type carries its own checkout rules.

Checkout, fulfilment and the API ask an offer what they need (its Checkout mode,
whether it may be a gift, whether the medical disclaimer applies, whether an
amount is allowed, what the order line keeps) instead of switching on its type.
A new offer type is one model here, one fulfilment function, one template, one
migration and one factory.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from home.money import format_money
from home.performance import page_urls

#: Every offer type by its kind ("series", "membership", …): each concrete offer registers itself.
OFFER_MODELS: dict[str, type[Offer]] = {}


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

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.kind:  # a concrete offer type: checkout, the API and fulfilment find it by its kind
            OFFER_MODELS[cls.kind] = cls

    class Meta:
        abstract = True
        ordering = ["sort_order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return page_urls.reverse_memo("shop:offer", kind=self.kind, slug=self.slug)  # once per offer and process

    def money(self, amount_minor: int) -> str:
        return format_money(amount_minor, self.currency)

    # --- The rules checkout asks of an offer (one answer per offer type, no switches elsewhere) ---

    #: Stripe Checkout mode: a one-off payment or a subscription.
    checkout_mode = "payment"
    #: The OrderLine field that keeps a link to the offer sold.
    line_field = ""
    #: The offer is itself a gift (a gift card): the buyer must name a recipient.
    requires_gift = False
    #: The buyer chooses the amount (a gift card) instead of paying a set price.
    chooses_amount = False

    def accepts_gift(self) -> bool:
        """Whether a buyer may give this offer to someone else."""
        return self.requires_gift

    def refuses_gift_message(self) -> str:
        return "This offer cannot be given as a gift."

    def needs_disclaimer(self, *, as_gift: bool) -> bool:
        """Buying treatments for yourself needs the "see a doctor first" acknowledgement."""
        return not as_gift

    def unit_amount_minor(self, amount_minor: int | None) -> int:
        """What one unit costs; offers with a chosen amount (gift cards) take the buyer's."""
        return self.price_minor

    def price_for(self, *, email: str, amount_minor: int | None) -> int:
        """What this buyer pays for one unit (an offer with member prices checks the buyer here)."""
        return self.unit_amount_minor(amount_minor)

    def amount_error(self, amount_minor: int | None) -> str:
        """A message for the buyer when the chosen amount is not allowed, else ''."""
        return ""

    def snapshot(self, *, unit_amount_minor: int, as_gift: bool) -> dict:
        """What the order line keeps of this offer, so later edits never change a sale."""
        return {
            "name": self.title,
            "description": self.summary,
            "unit_amount_minor": unit_amount_minor,
            "currency": self.currency,
            "terms": self.terms(),
            "terms_text": self.terms_text(),
            self.line_field: self,
        }

    def api_fields(self) -> dict:
        """The offer's own fields in the shop API (beside those every offer has)."""
        return {}


class SessionSeries(Offer):
    """A prepaid series of sessions of one treatment, e.g. 5 × 60 min therapeutic massage."""

    kind = "series"
    line_field = "series"

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

    def accepts_gift(self) -> bool:
        return self.giftable

    def refuses_gift_message(self) -> str:
        return "This series cannot be given as a gift."

    def snapshot(self, *, unit_amount_minor: int, as_gift: bool) -> dict:
        return {
            **super().snapshot(unit_amount_minor=unit_amount_minor, as_gift=as_gift),
            "terms_text": self.terms_text(as_gift=as_gift),
        }

    def api_fields(self) -> dict:
        return {
            "treatment": self.treatment.title,
            "sessions": self.sessions,
            "session_minutes": self.session_minutes,
            "validity_months": self.validity_months,
            "saving_minor": self.saving_minor,
            "giftable": self.giftable,
        }


class MembershipPlan(Offer):
    """A monthly prevention membership: a subscription that includes sessions each month."""

    kind = "membership"
    checkout_mode = "subscription"
    line_field = "plan"

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
    max_pause_months = models.PositiveSmallIntegerField(
        default=3, validators=[MaxValueValidator(3)], help_text="How long a member may pause at once (0: no pauses)."
    )
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
                FieldPanel("max_pause_months"),
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
            "max_pause_months": self.max_pause_months,
            "cancellation_terms": self.cancellation_terms,
        }

    def terms_text(self) -> str:
        return (
            f"{self.sessions_per_month} × {self.session_minutes}-minute {self.treatment.title.lower()} "
            f"each month; extra sessions {self.money(self.extra_session_price_minor)}; up to {self.rollover_cap} "
            f"unused session(s) roll over; minimum term {self.minimum_term_months} months. {self.cancellation_terms}"
        )

    def refuses_gift_message(self) -> str:
        return "Memberships cannot be given as gifts; give a gift card or a series instead."

    def api_fields(self) -> dict:
        return {
            "treatment": self.treatment.title,
            "session_minutes": self.session_minutes,
            "sessions_per_month": self.sessions_per_month,
            "minimum_term_months": self.minimum_term_months,
        }


class GiftCardOffer(Offer):
    """A gift card for a money amount: fixed amounts and/or a custom amount within limits."""

    kind = "gift-card"
    line_field = "gift_card_offer"
    requires_gift = True
    chooses_amount = True

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

    def amount_range(self) -> tuple[int, int]:
        """The lowest and highest amount (minor units) a buyer can choose: listed amounts and the custom range."""
        amounts = list(self.fixed_amounts or [])
        if self.allow_custom_amount:
            amounts += [self.min_amount_minor, self.max_amount_minor]
        return min(amounts), max(amounts)

    @property
    def price_minor(self) -> int:
        """The lowest amount a buyer can really choose (a listed amount or the custom minimum)."""
        return self.amount_range()[0]

    @property
    def price_display(self) -> str:
        return f"from {self.money(self.price_minor)}"

    def amount_is_allowed(self, amount_minor: int) -> bool:
        if amount_minor in (self.fixed_amounts or []):
            return True
        return self.allow_custom_amount and self.min_amount_minor <= amount_minor <= self.max_amount_minor

    def needs_disclaimer(self, *, as_gift: bool) -> bool:
        return False  # money, not a treatment: the recipient acknowledges when they book

    def unit_amount_minor(self, amount_minor: int | None) -> int:
        return amount_minor or 0

    def amount_error(self, amount_minor: int | None) -> str:
        if amount_minor is None:
            return "Choose an amount."
        if self.amount_is_allowed(amount_minor):
            return ""
        if self.allow_custom_amount:
            return (
                f"Choose one of the listed amounts or an amount between {self.money(self.min_amount_minor)} "
                f"and {self.money(self.max_amount_minor)}."
            )
        return "Choose one of the listed amounts."

    def api_fields(self) -> dict:
        return {
            "fixed_amounts": self.fixed_amounts,
            "min_amount_minor": self.min_amount_minor,
            "max_amount_minor": self.max_amount_minor,
            "allow_custom_amount": self.allow_custom_amount,
            "giftable": True,
        }

    def terms(self) -> dict:
        return {"expiry_years": settings.GIFT_CARD_EXPIRY_YEARS}

    def terms_text(self) -> str:
        years = settings.GIFT_CARD_EXPIRY_YEARS
        expiry = f"valid for {years} years from issue" if years else "never expires"
        return f"Redeemable for any treatment or series at the studio; {expiry}; not exchangeable for cash."
