"""The offline stand-in's Stripe controls for managers in the demo (only without Stripe keys).

Each button makes the stand-in send what Stripe would (a renewal, a plan change, a
dispute opened or closed), signed, through the real webhook path.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from .. import services
from ..models import Membership, Order
from .frontdesk import render

ACTIONS = {
    "advance_month": ("Renewal sent: invoice.paid for the next month.", services.stand_in_advance_month),
    "change_plan": (
        "Plan change sent: a proration invoice and the subscription update.",
        services.stand_in_change_plan,
    ),
}
DISPUTES = {"open": "needs_response", "won": "won", "lost": "lost"}


@permission_required("packages.refund_order")
def controls(request):
    if not settings.STRIPE_OFFLINE:
        raise Http404("The stand-in's controls exist only without Stripe keys.")
    if request.method == "POST":
        try:
            if request.POST.get("action") in ACTIONS:
                done, action = ACTIONS[request.POST["action"]]
                action(membership_id=int(request.POST["membership"]))
            else:
                status = DISPUTES[request.POST.get("dispute", "")]
                services.stand_in_dispute(order_id=int(request.POST["order"]), status=status)
                done = f"Dispute event sent ({status})."
        except (KeyError, ValueError, Membership.DoesNotExist, Order.DoesNotExist):
            messages.error(request, "Choose a membership or an order and an action.")
        except services.ShopError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, done)
        return redirect("frontdesk:stand_in")
    context = {
        "page_title": "Stripe stand-in",
        "memberships": Membership.objects.select_related("customer", "plan").exclude(status="canceled")[:20],
        "orders": Order.objects.select_related("customer").exclude(stripe_payment_intent_id="")[:20],
    }
    return render(request, "stand_in_controls.html", context)
