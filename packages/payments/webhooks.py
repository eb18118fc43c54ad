"""Stripe webhooks at ``/stripe/webhook/``.

* The signature is verified on the raw body; a missing or bad signature, a stale
  timestamp or a body that is not an event answers 400 and stores nothing.
* Each event id is stored once; the unique constraint decides duplicates (an insert
  that ignores conflicts, not a read-then-write), and the stored row is locked while
  it is processed, so two concurrent deliveries of one event do the work once.
* A delivery is one transaction, so one commit: the stored event, the handler's rows
  and the tasks they enqueue (``services.outbox.enqueue``, in the same transaction with
  the database task backend).
* Processing runs in a savepoint: our own failure rolls the work back, keeps the
  error on the stored event for staff, and answers 500 so Stripe retries.
* Types we do not handle answer 200 and are ignored.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from home.content_cache import reads_no_site
from home.performance.prepared import PreparedQuery

from .. import services
from ..models import StripeEvent
from . import InvalidWebhook, get_gateway

logger = logging.getLogger(__name__)


def _session(event):
    return services.order_sync_from_session(session=event["data"]["object"])


HANDLERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "checkout.session.completed": _session,
    "checkout.session.async_payment_succeeded": lambda e: services.order_fulfil(session=e["data"]["object"]),
    "checkout.session.async_payment_failed": lambda e: services.order_payment_failed(session=e["data"]["object"]),
    "checkout.session.expired": lambda e: services.order_expire(session=e["data"]["object"]),
    "invoice.paid": lambda e: services.membership_invoice_paid(invoice=e["data"]["object"]),
    "invoice.payment_failed": lambda e: services.membership_invoice_failed(invoice=e["data"]["object"]),
    "customer.subscription.updated": lambda e: services.membership_sync_subscription(
        subscription=e["data"]["object"], event_created=e["created"]
    ),
    "customer.subscription.deleted": lambda e: services.membership_sync_subscription(
        subscription=e["data"]["object"], event_created=e["created"]
    ),
    "charge.refunded": lambda e: services.refund_apply(charge=e["data"]["object"]),
    "charge.dispute.created": lambda e: services.dispute_opened(dispute=e["data"]["object"]),
    "charge.dispute.closed": lambda e: services.dispute_closed(dispute=e["data"]["object"]),
}


# The stored event, locked: built and compiled once per connection (home/performance/prepared.py).
_STORED = PreparedQuery(
    lambda event_id: StripeEvent.objects.select_for_update().only("processed_at", "attempts").filter(event_id=event_id),
    event_id=str,
)


def process_event(event: dict[str, Any]) -> tuple[int, str]:
    """Store and handle one verified event; returns (HTTP status, short reason)."""
    with transaction.atomic():
        # Seen before: the insert does nothing, and the lock below waits for any delivery still
        # processing it. No savepoint: the event, the handler's rows and their tasks commit once.
        StripeEvent.objects.bulk_create(
            [
                StripeEvent(
                    event_id=event["id"],
                    type=event["type"],
                    created=int(event.get("created") or 0),
                    livemode=bool(event.get("livemode")),
                    payload=event,
                )
            ],
            ignore_conflicts=True,
        )
        # Only what _handle reads and writes: the payload just written is not read back (nor decoded).
        stored = _STORED(event_id=str(event["id"]))[0]
        if stored.processed_at is not None:
            return 200, "duplicate"
        return _handle(stored, event)


def _handle(stored: StripeEvent, event: dict[str, Any]) -> tuple[int, str]:
    """Run the event's handler in a savepoint on the locked stored event; record the outcome on it."""
    handler = HANDLERS.get(event["type"])
    stored.attempts += 1
    if handler is None:
        stored.processed_at = timezone.now()
        stored.error = ""
        stored.save(update_fields=["processed_at", "attempts", "error"])
        return 200, "ignored"
    try:
        with transaction.atomic():
            handler(event)
    except Exception:
        logger.exception("Stripe event %s (%s) failed", event["id"], event["type"])
        stored.error = traceback.format_exc(limit=8)[-4000:]
        stored.save(update_fields=["attempts", "error"])
        return 500, "failed"
    stored.processed_at = timezone.now()
    stored.error = ""
    stored.save(update_fields=["processed_at", "attempts", "error"])
    return 200, "processed"


def replay_event(event_id: str) -> tuple[int, str]:
    """Handle a stored event again, failed or not, through the same idempotent services.

    Staff use it from the event's admin page and ``manage.py stripe_replay``; a delivery of
    the same event arriving meanwhile waits for the lock, then finds it processed.
    """
    with transaction.atomic():
        stored = StripeEvent.objects.select_for_update().get(event_id=event_id)
        if "pruned_at" in stored.payload or "data" not in stored.payload:
            return 410, "pruned"  # its payload was removed after the retention period: nothing to replay
        return _handle(stored, stored.payload)


@reads_no_site  # Stripe's events need no Site or studio settings
@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    gateway = get_gateway()
    try:
        event = gateway.construct_event(request.body, request.headers.get("Stripe-Signature"))
    except InvalidWebhook as error:
        logger.warning("Rejected Stripe webhook: %s", error)
        return JsonResponse({"error": str(error)}, status=400)
    status, outcome = process_event(event)
    return JsonResponse({"received": True, "outcome": outcome}, status=status)
