"""A single extra session of a treatment, at the member price for active members of a plan for it.

The fourth offer type, added as the design promises: this model, one fulfilment function
(``services.fulfilment.fulfil_session``), the generic offer template, one migration and one
factory. The member price is decided on the server from the buyer's active membership.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .memberships import Membership
from .offers import Offer


class ExtraSession(Offer):
    kind = "session"
    line_field = "extra_session"

    treatment = models.ForeignKey("home.TreatmentPage", on_delete=models.PROTECT, related_name="extra_sessions")
    session_minutes = models.PositiveSmallIntegerField(default=60, validators=[MinValueValidator(10)])
    price_minor = models.PositiveIntegerField("Regular price (cents)", validators=[MinValueValidator(100)])
    validity_months = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1)])

    panels = [
        *Offer.common_panels,
        MultiFieldPanel(
            [
                FieldPanel("treatment"),
                FieldPanel("session_minutes"),
                FieldPanel("price_minor"),
                FieldPanel("validity_months"),
            ],
            "Session",
        ),
    ]

    class Meta(Offer.Meta):
        verbose_name = "extra session"

    @property
    def price_display(self) -> str:
        return self.money(self.price_minor)

    def member_price_minor(self, email: str) -> int | None:
        """The member price the buyer's active membership promises for this treatment, or None."""
        membership = (
            Membership.objects.filter(
                customer__email=(email or "").strip().lower(),
                status=Membership.Status.ACTIVE,
                plan__treatment_id=self.treatment_id,
            )
            .select_related("order")
            .first()
        )
        if membership is None:
            return None
        terms = membership.order.lines.get().terms  # the price the member's terms promised
        return terms.get("extra_session_price_minor")

    def price_for(self, *, email: str, amount_minor: int | None) -> int:
        member = self.member_price_minor(email)
        return min(member, self.price_minor) if member is not None else self.price_minor

    def terms(self) -> dict:
        return {
            "treatment": self.treatment.title,
            "treatment_id": self.treatment_id,
            "session_minutes": self.session_minutes,
            "sessions": 1,
            "validity_months": self.validity_months,
        }

    def terms_text(self) -> str:
        return (
            f"One {self.session_minutes}-minute {self.treatment.title.lower()} session, valid for "
            f"{self.validity_months} months; members of a plan for it pay the member price."
        )

    def refuses_gift_message(self) -> str:
        return "An extra session is for yourself; give a gift card or a series instead."

    def api_fields(self) -> dict:
        return {"treatment": self.treatment.title, "session_minutes": self.session_minutes}
