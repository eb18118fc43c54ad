"""Today at a glance, for the admin's dashboard panel: a handful of counts, one query each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Sum
from django.utils import timezone

from ..models import CreditEntry, GiftCard, GiftCardEntry, LedgerKind, Order, Review, StripeEvent
from .common import charged, local_start


@dataclass(frozen=True)
class Today:
    orders: int
    sales_minor: int
    sessions_redeemed: int
    gift_money_redeemed_minor: int
    gift_cards_due: int
    webhooks_failing: int
    orders_needing_review: int
    reviews_open: int

    @property
    def needs_attention(self) -> bool:
        return bool(self.gift_cards_due or self.webhooks_failing or self.orders_needing_review or self.reviews_open)


def today_numbers() -> Today:
    today = timezone.localdate()
    since, until = local_start(today), local_start(today + timedelta(days=1))
    window = {"created_at__gte": since, "created_at__lt": until}
    sales = Order.objects.filter(fulfilled_at__gte=since, fulfilled_at__lt=until).aggregate(
        orders=Count("pk"), total=Sum(charged(), default=0)
    )
    sessions = CreditEntry.objects.filter(kind=LedgerKind.REDEEM, **window).aggregate(n=Sum("delta", default=0))
    money = GiftCardEntry.objects.filter(kind=LedgerKind.REDEEM, **window).aggregate(n=Sum("delta_minor", default=0))
    return Today(
        orders=sales["orders"],
        sales_minor=sales["total"],
        sessions_redeemed=-sessions["n"],
        gift_money_redeemed_minor=-money["n"],
        gift_cards_due=GiftCard.objects.filter(
            status=GiftCard.Status.SCHEDULED, deliver_on__lte=today, delivery=GiftCard.Delivery.EMAIL
        ).count(),
        webhooks_failing=StripeEvent.objects.filter(processed_at__isnull=True).count(),
        orders_needing_review=Order.objects.filter(status=Order.Status.NEEDS_REVIEW).count(),
        reviews_open=Review.objects.filter(resolved_at__isnull=True).count(),
    )
