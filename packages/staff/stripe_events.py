"""Replaying a stored Stripe event from its admin page (managers), through the webhook's own path."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from ..models import StripeEvent
from ..payments.webhooks import replay_event
from .frontdesk import render


@permission_required("packages.refund_order")
def replay(request, pk: int):
    stored = get_object_or_404(StripeEvent, pk=pk)
    if request.method != "POST":
        return render(request, "replay_event.html", {"page_title": f"Replay {stored.type}", "event": stored})
    status, outcome = replay_event(stored.event_id)
    if outcome == "pruned":
        messages.error(request, "This event's payload was removed after the retention period: it cannot be replayed.")
    elif status >= 500:
        messages.error(request, f"The event failed again; the error is on the event. ({outcome})")
    else:
        messages.success(request, f"Replayed: {outcome}. Anything already applied was left as it was.")
    return redirect(reverse("stripe_events:inspect", args=[stored.pk]))
