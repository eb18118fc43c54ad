"""Building dated shop histories for the report tests: through the services, then dated by queryset update."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from packages import services
from packages.models import CreditEntry, CreditGrant, GiftCard, GiftCardEntry, Order, OrderRefund
from packages.reports import Period
from packages.reports.common import first_of_month, local_start
from packages.services import GiftDetails

from .conftest import checkout_session, make_order

TERMS = {"treatment": "Deep tissue massage", "session_minutes": 60, "sessions_per_month": 1, "rollover_cap": 0}


def month_start(offset: int) -> datetime:
    """The first instant of the month ``offset`` months before this one (0: this month)."""
    month = first_of_month(timezone.localdate())
    for _ in range(offset):
        month = first_of_month(month - timedelta(days=1))
    return local_start(month)


def at(offset: int, day: int = 1, hour: int = 12) -> datetime:
    """Noon on ``day`` of a past month (``offset`` ≥ 1)."""
    return month_start(offset) + timedelta(days=day - 1, hours=hour)


def period(months: int) -> Period:
    return Period.months_back(months)


class Dated:
    """Everything written inside the block gets ``when`` as its ``created_at`` (and orders their dates)."""

    def __init__(self, when: datetime | None):
        self.when = when

    def __enter__(self):
        self.marks = {model: _last_pk(model) for model in (CreditEntry, GiftCardEntry, Order, OrderRefund)}
        return self

    def __exit__(self, *exc):
        if exc[0] is not None or self.when is None:
            return False
        for model in (CreditEntry, GiftCardEntry):
            model.objects.filter(pk__gt=self.marks[model]).update(created_at=self.when)
        OrderRefund.objects.filter(pk__gt=self.marks[OrderRefund], applied_at__isnull=False).update(
            created_at=self.when, applied_at=self.when
        )
        new_orders = Order.objects.filter(pk__gt=self.marks[Order])
        new_orders.update(created_at=self.when)
        new_orders.filter(fulfilled_at__isnull=False).update(paid_at=self.when, fulfilled_at=self.when)
        return False


def _last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def buy_series(shop, **session) -> tuple[Order, CreditGrant]:
    order = make_order(shop.series)
    order.stripe_payment_intent_id = f"pi_series_{order.pk}"
    order.save()
    services.order_fulfil(session=checkout_session(order, payment_intent=order.stripe_payment_intent_id, **session))
    order.refresh_from_db()
    return order, CreditGrant.objects.get(order=order)


def buy_gift_card(shop, amount_minor: int = 10000, **session) -> tuple[Order, GiftCard]:
    order = make_order(
        shop.gift,
        amount_minor=amount_minor,
        gift=GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam"),
    )
    order.stripe_payment_intent_id = f"pi_card_{order.pk}"
    order.save()
    services.order_fulfil(session=checkout_session(order, payment_intent=order.stripe_payment_intent_id, **session))
    card = GiftCard.objects.get(order=order)
    GiftCard.objects.filter(pk=card.pk).update(status=GiftCard.Status.ACTIVE)
    order.refresh_from_db()
    card.refresh_from_db()
    return order, card


def refund(order: Order, amount: int, refund_id: str) -> None:
    services.refund_apply(
        charge={
            "id": f"ch_{order.pk}",
            "object": "charge",
            "payment_intent": order.stripe_payment_intent_id,
            "refunds": {"data": [{"id": refund_id, "amount": amount, "status": "succeeded"}]},
        }
    )


def grant(customer, source: str, sessions: int) -> CreditGrant:
    return services.credit_grant_create(
        customer=customer, source=source, terms=TERMS, sessions=sessions, expires_at=None, reason="Test"
    )
