"""Events the offline stand-in says Stripe would send after our calls, delivered on commit.

Real Stripe sends its own webhooks, so its gateway answers no events. The stand-in
answers the events that would follow each call (a refund's ``charge.refunded``, a
cancellation's ``customer.subscription.updated``); the calling service hands them
here, and a task POSTs them, signed, to our webhook once the transaction commits.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from .. import tasks


def deliver_on_commit(events: list[dict[str, Any]]) -> None:
    if events:
        transaction.on_commit(lambda: tasks.deliver_stand_in_events.enqueue(events))
