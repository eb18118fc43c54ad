"""Payments the shop will not act on by itself: recorded once for a manager, who is told by email.

The webhook that brought one answers 200 (Stripe would only retry for days) and
grants nothing; the order, when there is one, waits in "needs review".
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from .. import tasks
from ..models import Order, Review
from .outbox import enqueue

logger = logging.getLogger(__name__)


def review_open(*, reason: str, message: str, stripe_id: str, order: Order | None = None, alert: bool = True) -> Review:
    """Record it (once per Stripe object and reason), hold the order, and tell the managers on commit."""
    logger.warning("Needs review (%s) %s: %s", reason, stripe_id, message)
    try:
        with transaction.atomic():
            review = Review.objects.create(reason=reason, message=message, stripe_id=stripe_id, order=order)
    except IntegrityError:
        return Review.objects.get(reason=reason, stripe_id=stripe_id)  # a redelivery: already recorded
    if order is not None and reason == Review.Reason.AMOUNT_MISMATCH:
        Order.objects.filter(pk=order.pk).update(status=Order.Status.NEEDS_REVIEW, failure_reason=message[:500])
    if alert:
        enqueue(tasks.send_review_alert, review.pk)
    return review
