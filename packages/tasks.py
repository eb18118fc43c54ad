"""Background work on Django's tasks framework (database-backed worker: ``manage.py db_worker``).

Services import this module and enqueue through ``services.outbox.enqueue`` (in
their transaction with the database backend, else on commit). Tasks take ids, not objects, and
re-read the database: they may run much later. Nothing here writes: a deferred write
is a task beside its service (``services.giftcards.deliver_gift_card``), so no
import runs back from here to the services.
"""

from __future__ import annotations

import logging

from django.tasks import task

from . import emails
from .models import CreditEntry, CreditGrant, GiftCardEntry, Membership, Order, OrderRefund, Review
from .payments import stand_in

logger = logging.getLogger(__name__)


@task()
def send_order_emails(order_id: int) -> None:
    order = Order.objects.select_related("customer").get(pk=order_id)
    emails.send_receipt(order)
    if getattr(order, "membership", None) is not None:  # what the order made, not its kind, decides
        emails.send_membership_welcome(order)


@task()
def send_payment_failed_email(order_id: int) -> None:
    emails.send_payment_failed(Order.objects.select_related("customer").get(pk=order_id))


@task()
def send_membership_past_due_email(membership_id: int) -> None:
    emails.send_membership_past_due(Membership.objects.select_related("customer", "plan").get(pk=membership_id))


@task()
def send_session_receipt(entry_id: int) -> None:
    """After a desk redemption: tell the holder which credit was used and what is left on it."""
    emails.send_session_redeemed(CreditEntry.objects.select_related("grant__customer").get(pk=entry_id))


@task()
def send_gift_card_receipt(entry_id: int) -> None:
    emails.send_gift_card_redeemed(GiftCardEntry.objects.select_related("card").get(pk=entry_id))


@task()
def send_expiry_reminder(grant_id: int) -> None:
    emails.send_expiry_reminder(CreditGrant.objects.select_related("customer").get(pk=grant_id))


@task()
def deliver_stand_in_events(events: list[dict]) -> None:
    """The offline stand-in's 'Stripe servers': POST each signed event to our webhook, in order."""
    for event in events:
        status = stand_in.post_event(event)
        if status >= 300:
            raise RuntimeError(f"Webhook answered {status} for {event['type']} {event['id']}")


@task()
def send_review_alert(review_id: int) -> None:
    emails.send_review_alert(Review.objects.select_related("order__customer").get(pk=review_id))


@task()
def send_refund_email(refund_id: int) -> None:
    emails.send_refund(OrderRefund.objects.select_related("order__customer").get(pk=refund_id))
