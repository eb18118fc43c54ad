"""Personal data: forgetting a customer on request, and pruning old Stripe payloads.

Erasure removes who the customer is, not what happened: their name and address are
replaced (``erased-<id>@invalid``), what they wrote or were sent as a gift is blanked,
and the copies Stripe sent us (webhook payloads, the stored Checkout Session) are
scrubbed of names, addresses and phone numbers. Orders, balances and every ledger
entry stay as they were, so sales reports and "still owed" totals add up after it.

A gift the customer bought keeps its recipient's name and address: they belong to
another person whose card may still be live (their receipts, their account). The
customer's own name as sender and their message go; so do their name, address and
the message on gifts they received.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ..models import (
    BulkRecipient,
    Customer,
    GiftCard,
    MagicLink,
    Membership,
    Order,
    StandInCheckoutSession,
    StandInObject,
    StripeEvent,
)
from .common import normalise_email
from .errors import ShopValidationError

logger = logging.getLogger(__name__)

ERASED = "[erased]"
#: Keys whose values are personal wherever they appear in a Stripe object.
PERSONAL_KEYS = frozenset(
    {
        "email",
        "customer_email",
        "receipt_email",
        "customer_name",
        "phone",
        "customer_phone",
        "address",
        "customer_address",
        "shipping",
        "shipping_details",
        "customer_shipping",
        "billing_details",
        "recipient_name",
        "recipient_email",
        "sender_name",
        "gift_message",
    }
)
#: Objects in which ``name`` is a person's name (elsewhere it names a product or a plan).
PERSON_OBJECTS = frozenset({"customer_details", "billing_details", "shipping", "shipping_details", "owner"})
#: Memberships Stripe still bills: cancel them first, or the next invoice has nobody to go to.
BILLED = (Membership.Status.ACTIVE, Membership.Status.PAST_DUE)


def erased_email(customer_id: int) -> str:
    return f"erased-{customer_id}@invalid"


def is_erased(customer: Customer) -> bool:
    return customer.email == erased_email(customer.pk)


def mentions(*, email: str, names: set[str]) -> re.Pattern | None:
    """A pattern for the address anywhere and each name (3+ characters) as whole words."""
    parts = [re.escape(email)] if email else []
    parts += [rf"\b{re.escape(name.strip())}\b" for name in names if len(name.strip()) >= 3]
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def scrub(value: Any, *, mention: re.Pattern | None = None, inside_person: bool = False) -> Any:
    """A copy of a JSON value without personal data: personal keys emptied, strings that ``mention`` them too."""
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            if key in PERSONAL_KEYS or (inside_person and key == "name"):
                cleaned[key] = None if item is None or isinstance(item, dict | list) else ERASED
            else:
                cleaned[key] = scrub(item, mention=mention, inside_person=key in PERSON_OBJECTS)
        return cleaned
    if isinstance(value, list):
        return [scrub(item, mention=mention) for item in value]
    if isinstance(value, str) and mention is not None and mention.search(value):
        return ERASED
    return value


def _mentioning(model, field: str, needles: list[str]):
    """Rows of ``model`` whose JSON ``field``, as text, contains any of ``needles``."""
    needles = [n for n in needles if n]
    if not needles:
        return model.objects.none()
    text = f"_{field}_text"
    return model.objects.annotate(**{text: Cast(field, TextField())}).filter(
        reduce(or_, (Q(**{f"{text}__icontains": needle}) for needle in needles))
    )


@dataclass
class Erasure:
    customer_id: int
    orders: int = 0
    gifts_received: int = 0
    stripe_events: int = 0
    stand_in_records: int = 0
    sign_in_links: int = 0
    task_results: int = 0

    def summary(self) -> str:
        return (
            f"Customer {self.customer_id} erased: {self.orders} order(s), {self.gifts_received} gift(s) received, "
            f"{self.stripe_events} Stripe event(s), {self.stand_in_records} stand-in record(s) scrubbed; "
            f"{self.sign_in_links} sign-in link(s) and {self.task_results} task result(s) deleted. "
            "Balances and ledger entries are unchanged."
        )


def customer_forget(*, email: str = "", customer_id: int | None = None, actor=None) -> Erasure:
    """Erase a customer's personal data (see the module's docstring); balances and entries stay.

    Refused while a membership is still billed by Stripe (cancel it first). Running it
    again on an erased customer finds nothing more to do.
    """
    lookup = {"pk": customer_id} if customer_id is not None else {"email": normalise_email(email)}
    with transaction.atomic():
        customer = Customer.objects.select_for_update().filter(**lookup).first()
        if customer is None:
            raise ShopValidationError({"email": "No customer has that email address."})
        if customer.memberships.filter(status__in=BILLED).exists():
            raise ShopValidationError(
                {"membership": "This customer has a membership Stripe still bills: cancel it first, then erase."}
            )
        report = Erasure(customer_id=customer.pk)
        address, placeholder = customer.email, erased_email(customer.pk)
        orders = list(Order.objects.filter(customer=customer))
        mention = mentions(
            email=address if address != placeholder else "", names={customer.name, *(o.sender_name for o in orders)}
        )
        # The address, and what only this customer's orders carry: our order token (in every
        # object's metadata: sessions, payment intents, charges, subscriptions), the session and
        # subscription ids. Not the Stripe customer id, which the offline stand-in shares.
        needles = [
            address,
            *(
                ident
                for order in orders
                for ident in (
                    order.public_token,
                    order.stripe_checkout_session_id,
                    order.stripe_subscription_id,
                )
            ),
        ]
        if address != placeholder:
            report.stripe_events = _scrub_rows(_mentioning(StripeEvent, "payload", needles), "payload", mention)
            report.stand_in_records = _scrub_rows(
                StandInCheckoutSession.objects.filter(order__customer=customer), "params", mention
            ) + _scrub_rows(_mentioning(StandInObject, "payload", needles), "payload", mention)
            report.task_results = _mentioning(DBTaskResult, "args_kwargs", [address]).finished().delete()[0]

        report.orders = Order.objects.filter(customer=customer).update(
            sender_name="", gift_message="", stripe_session={}, updated_at=timezone.now()
        )
        GiftCard.objects.filter(order__customer=customer).update(sender_name="", message="")
        BulkRecipient.objects.filter(order__customer=customer).update(message="")
        if address != placeholder:
            report.gifts_received = GiftCard.objects.filter(recipient_email=address).update(
                recipient_name="", recipient_email=placeholder, message=""
            )
            Order.objects.filter(recipient_email=address).update(recipient_name="", recipient_email="", gift_message="")
            BulkRecipient.objects.filter(email=address).update(name="", email=placeholder, message="")
        report.sign_in_links = MagicLink.objects.filter(Q(customer=customer) | Q(email=address)).delete()[0]
        Customer.objects.filter(pk=customer.pk).update(name="", email=placeholder)
    logger.info("Customer %s erased on request by %s", customer.pk, getattr(actor, "pk", None) or "a command")
    return report


def _scrub_rows(rows, field: str, mention: re.Pattern | None) -> int:
    count = 0
    for row in rows:
        cleaned = scrub(getattr(row, field), mention=mention)
        if cleaned != getattr(row, field):
            type(row).objects.filter(pk=row.pk).update(**{field: cleaned})
            count += 1
    return count


def stripe_events_prune(*, days: int | None = None) -> int:
    """Empty the payload of processed Stripe events received more than ``days`` ago.

    The row stays (event id, type, when, attempts): duplicates are still recognised and
    the history still shows what came. Events never processed keep their payload, so a
    manager can replay them; they are on the failing-webhooks report until then.
    """
    days = settings.STRIPE_EVENT_RETENTION_DAYS if days is None else days
    cutoff = timezone.now() - timedelta(days=days)
    old = StripeEvent.objects.filter(processed_at__isnull=False, received_at__lt=cutoff).exclude(
        payload__has_key="pruned_at"
    )
    pruned = 0
    for event in old.only("pk", "event_id", "type").iterator():
        marker = {"id": event.event_id, "object": "event", "type": event.type, "pruned_at": timezone.now().isoformat()}
        pruned += StripeEvent.objects.filter(pk=event.pk).update(payload=marker)
    return pruned
