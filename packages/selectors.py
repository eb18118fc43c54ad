"""Reads for shop pages and the API: the catalog and an order's public summary."""

from __future__ import annotations

import functools

from home.performance.folded import FoldedRelation
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


@functools.cache
def _durations(model) -> FoldedRelation:
    """The durations of an offer's treatment, folded into the offers' query (home/performance/folded.py):
    what an offer saves is worked out from them."""
    return FoldedRelation(model._meta.get_field("treatment").related_model, "durations")


def _with_durations(offers):
    """Offers with their treatment joined and its durations folded in (given by :func:`_given`)."""
    return offers.select_related("treatment").annotate(**_durations(offers.model).column("treatment_id"))


def _given(offers: list) -> list:
    """``offers`` from a query of :func:`_with_durations`, their treatments given their durations."""
    for offer in offers:
        treatment = getattr(offer, "treatment", None)  # gift cards have none
        if treatment is not None:
            _durations(type(offer)).give(treatment, holder=offer)
    return offers


# Built and compiled to SQL once per connection (home/performance/prepared.py): on the home page
# and a treatment's page, building these cost more than running them.
_CATALOG = {
    "series": PreparedQuery(lambda: _with_durations(SessionSeries.objects.filter(active=True)).select_related("image")),
    "memberships": PreparedQuery(
        lambda: _with_durations(MembershipPlan.objects.filter(active=True)).select_related("image")
    ),
    "gift_cards": PreparedQuery(lambda: GiftCardOffer.objects.filter(active=True).select_related("image")),
    "sessions": PreparedQuery(lambda: ExtraSession.objects.filter(active=True).select_related("treatment", "image")),
}
_FEATURED = (
    PreparedQuery(lambda: _with_durations(SessionSeries.objects.filter(active=True, featured=True))),
    PreparedQuery(lambda: _with_durations(MembershipPlan.objects.filter(active=True, featured=True))),
    PreparedQuery(lambda: GiftCardOffer.objects.filter(active=True, featured=True)),
)
_FOR_TREATMENT = (
    PreparedQuery(lambda treatment: SessionSeries.objects.filter(active=True, treatment=treatment), treatment=int),
    PreparedQuery(lambda treatment: MembershipPlan.objects.filter(active=True, treatment=treatment), treatment=int),
)


def catalog() -> dict[str, list]:
    """Active offers by kind, in staff order (four queries whatever the catalog size)."""
    return {kind: _given(query()) for kind, query in _CATALOG.items()}


def offers_for_treatment(treatment) -> list:
    offers = [offer for query in _FOR_TREATMENT for offer in query(treatment=treatment.pk)]
    # The treatment is the page being shown: hand it to each offer rather than load it (and its
    # durations) again per offer. Two queries, however many offers.
    for offer in offers:
        offer.treatment = treatment
    return offers


def featured_offers() -> list:
    return [offer for query in _FEATURED for offer in _given(query())]


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
