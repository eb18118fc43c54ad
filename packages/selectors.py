"""Reads for shop pages and the API: the catalog and an order's public summary."""

from __future__ import annotations

from home.performance.prepared import PreparedQuery

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

# Built and compiled to SQL once per connection (home/performance/prepared.py): on the home page
# and a treatment's page, building these cost more than running them.
_CATALOG = {
    "series": PreparedQuery(
        lambda: (
            SessionSeries.objects.filter(active=True)
            .select_related("treatment", "image")
            .prefetch_related("treatment__durations")
        )
    ),
    "memberships": PreparedQuery(
        lambda: MembershipPlan.objects.filter(active=True).select_related("treatment", "image")
    ),
    "gift_cards": PreparedQuery(lambda: GiftCardOffer.objects.filter(active=True).select_related("image")),
    "sessions": PreparedQuery(lambda: ExtraSession.objects.filter(active=True).select_related("treatment", "image")),
}
_FEATURED = (
    PreparedQuery(lambda: SessionSeries.objects.filter(active=True, featured=True).select_related("treatment")),
    PreparedQuery(lambda: MembershipPlan.objects.filter(active=True, featured=True).select_related("treatment")),
    PreparedQuery(lambda: GiftCardOffer.objects.filter(active=True, featured=True)),
)
_FOR_TREATMENT = (
    PreparedQuery(lambda treatment: SessionSeries.objects.filter(active=True, treatment=treatment), treatment=int),
    PreparedQuery(lambda treatment: MembershipPlan.objects.filter(active=True, treatment=treatment), treatment=int),
)


def catalog() -> dict[str, list]:
    """Active offers by kind, in staff order (four queries whatever the catalog size)."""
    return {kind: query() for kind, query in _CATALOG.items()}


def offers_for_treatment(treatment) -> list:
    offers = [offer for query in _FOR_TREATMENT for offer in query(treatment=treatment.pk)]
    # The treatment is the page being shown: hand it to each offer rather than load it (and its
    # durations) again per offer. Two queries, however many offers.
    for offer in offers:
        offer.treatment = treatment
    return offers


def featured_offers() -> list:
    return [offer for query in _FEATURED for offer in query()]


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
