"""Background work on Django's tasks framework (database-backed worker: ``manage.py db_worker``).

Tasks take ids, not objects, and re-read the database: they may run much later.
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from django.tasks import task, task_backends
from django.utils import timezone

logger = logging.getLogger(__name__)


@task()
def send_order_emails(order_id: int) -> None:
    from . import emails
    from .models import Order

    order = Order.objects.select_related("customer").get(pk=order_id)
    emails.send_receipt(order)
    if order.kind == Order.Kind.MEMBERSHIP:
        emails.send_membership_welcome(order)


@task()
def send_payment_failed_email(order_id: int) -> None:
    from . import emails
    from .models import Order

    emails.send_payment_failed(Order.objects.select_related("customer").get(pk=order_id))


@task()
def send_membership_past_due_email(membership_id: int) -> None:
    from . import emails
    from .models import Membership

    emails.send_membership_past_due(Membership.objects.select_related("customer", "plan").get(pk=membership_id))


@task()
def send_redemption_receipt(kind: str, object_id: int) -> None:
    """After a desk redemption: tell the holder what was used and what is left."""
    from . import emails
    from .models import CreditGrant, GiftCard

    if kind == "session":
        emails.send_session_redeemed(CreditGrant.objects.select_related("customer").get(pk=object_id))
    else:
        emails.send_gift_card_redeemed(GiftCard.objects.get(pk=object_id))


@task()
def send_expiry_reminder(grant_id: int) -> None:
    from . import emails
    from .models import CreditGrant

    emails.send_expiry_reminder(CreditGrant.objects.select_related("customer").get(pk=grant_id))


@task()
def deliver_gift_card(card_id: int) -> None:
    from .services import gift_card_deliver

    gift_card_deliver(card_id=card_id)


def schedule_gift_card_delivery(card) -> None:
    """Deliver today's gift cards now; later ones at 08:00 on their date when the backend can defer.

    ``manage.py deliver_due_gift_cards`` (run it daily from cron) is the safety net for
    backends that cannot defer, and for anything a stopped worker missed.
    """
    if card.deliver_on <= timezone.localdate():
        deliver_gift_card.enqueue(card.pk)
        return
    if task_backends[deliver_gift_card.backend].supports_defer:
        run_after = timezone.make_aware(datetime.combine(card.deliver_on, time(8, 0)))
        deliver_gift_card.using(run_after=run_after).enqueue(card.pk)


@task()
def deliver_stand_in_events(events: list[dict]) -> None:
    """The offline stand-in's 'Stripe servers': POST each signed event to our webhook, in order."""
    from . import stripe_gateway

    for event in events:
        status = stripe_gateway.post_event(event)
        if status >= 300:
            raise RuntimeError(f"Webhook answered {status} for {event['type']} {event['id']}")
