"""Reads for shop pages and the API: the catalog and an order's public summary."""

from __future__ import annotations

from .models import (
    BulkDelivery,
    ExtraSession,
    GiftCard,
    GiftCardOffer,
    MembershipPlan,
    Order,
    SessionSeries,
    bulk_delivery_of,
)


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
    if order.is_bulk:
        context["bulk"] = bulk_summary(order)
    return context


def bulk_summary(order: Order) -> dict:
    """A bulk order for its buyer: how its cards reach people, each recipient's date and card status, and
    whether the codes wait for their one download (never a code)."""
    delivery = bulk_delivery_of(order)
    cards = GiftCard.objects.filter(order=order)
    summary = {
        "delivery": delivery,
        "codes": delivery == BulkDelivery.CODES,
        "quantity": sum(line.quantity for line in order.lines.all()),
        "cards_issued": cards.count(),
        "recipients": list(order.bulk_recipients.select_related("card")),
    }
    if delivery == BulkDelivery.CODES:
        download = cards.filter(delivery=GiftCard.Delivery.DOWNLOAD)
        summary["codes_waiting"] = download.filter(status=GiftCard.Status.SCHEDULED, frozen=False).count()
        latest = download.exclude(delivered_at=None).order_by("-delivered_at").first()
        summary["downloaded_at"] = latest.delivered_at if latest else None
    return summary
