"""Reads for shop pages and the API: the catalog and an order's public summary."""

from __future__ import annotations

from .models import ExtraSession, GiftCardOffer, MembershipPlan, Order, SessionSeries


def catalog() -> dict[str, list]:
    """Active offers by kind, in staff order (four queries whatever the catalog size)."""
    return {
        "series": list(
            SessionSeries.objects.filter(active=True)
            .select_related("treatment", "image")
            .prefetch_related("treatment__durations")
        ),
        "memberships": list(MembershipPlan.objects.filter(active=True).select_related("treatment", "image")),
        "gift_cards": list(GiftCardOffer.objects.filter(active=True).select_related("image")),
        "sessions": list(ExtraSession.objects.filter(active=True).select_related("treatment", "image")),
    }


def offers_for_treatment(treatment) -> list:
    series = list(SessionSeries.objects.filter(active=True, treatment=treatment))
    plans = list(MembershipPlan.objects.filter(active=True, treatment=treatment))
    # The treatment is the page being shown: hand it to each offer rather than load it (and its
    # durations) again per offer. Two queries, however many offers.
    for offer in (*series, *plans):
        offer.treatment = treatment
    return [*series, *plans]


def featured_offers() -> list:
    return [
        *SessionSeries.objects.filter(active=True, featured=True).select_related("treatment"),
        *MembershipPlan.objects.filter(active=True, featured=True).select_related("treatment"),
        *GiftCardOffer.objects.filter(active=True, featured=True),
    ]


def order_summary(order: Order) -> dict:
    """What the buyer may see about an order (no codes, no internal ids)."""
    lines = list(order.lines.all())
    context = {"order": order, "lines": lines, "grants": [], "membership": None, "gift_card": None}
    if order.fulfilled_at:
        context["grants"] = list(order.credit_grants.all())
        # What the order made, whatever its kind: a membership, a gift card (money or a gifted series).
        context["membership"] = getattr(order, "membership", None)
        context["gift_card"] = getattr(order, "gift_card", None)
    return context
