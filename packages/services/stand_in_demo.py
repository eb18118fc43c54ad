"""The offline stand-in's demo controls: make Stripe send what a real account would, offline.

A manager in the demo can renew a membership, change its plan, open a dispute on an
order and close it as won or lost. Each builds the events Stripe would send and
delivers them, signed, through the real webhook path on commit. Real Stripe has its
own Dashboard for this, so these refuse to run with real keys.
"""

from __future__ import annotations

from django.db import transaction

from ..models import Membership, MembershipPlan, Order
from ..payments import get_gateway, stand_in_objects
from .errors import ShopError
from .outbox import deliver_on_commit


def _offline() -> None:
    if not get_gateway().offline:
        raise ShopError("These controls belong to the offline stand-in; with real keys use Stripe's Dashboard.")


def stand_in_advance_month(*, membership_id: int) -> None:
    """Stripe renews the membership: the next month's invoice.paid."""
    _offline()
    with transaction.atomic():
        membership = Membership.objects.select_related("order", "customer").get(pk=membership_id)
        deliver_on_commit(stand_in_objects.stand_in_renewal(membership))


def stand_in_change_plan(*, membership_id: int) -> None:
    """The member changes plan in the portal: a proration invoice and the subscription update,
    to the next active plan (later months follow its terms)."""
    _offline()
    with transaction.atomic():
        membership = Membership.objects.select_related("order", "customer", "plan").get(pk=membership_id)
        other = MembershipPlan.objects.filter(active=True).exclude(pk=membership.plan_id).order_by("sort_order", "pk")
        events = stand_in_objects.stand_in_renewal(membership, plan_change=True, to_plan=other.first())
        deliver_on_commit(events)


def stand_in_dispute(*, order_id: int, status: str) -> None:
    """The buyer's bank opens a dispute (``needs_response``) or closes it (``won`` / ``lost``)."""
    _offline()
    if status not in ("needs_response", "won", "lost"):
        raise ShopError("A dispute is opened (needs_response) or closed as won or lost.")
    with transaction.atomic():
        order = Order.objects.get(pk=order_id)
        if not order.stripe_payment_intent_id:
            raise ShopError("Only a paid one-off order (not a membership) can be disputed here.")
        deliver_on_commit(stand_in_objects.stand_in_dispute(order, status=status))
