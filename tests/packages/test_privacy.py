"""Issue 12, point 5: a customer is forgotten on request, and old Stripe payloads are pruned.

Erasure takes who they are (names, addresses, messages, Stripe's copies) and leaves what
happened (orders, balances, ledger entries), so reports add up the same afterwards.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import work
from jobs.tasks import SCHEDULE
from packages import services
from packages.models import CreditGrant, Customer, GiftCard, MagicLink, Order, StripeEvent
from packages.reports.common import Period
from packages.reports.sales import sales_rows
from packages.staff.reports import owed_rows

from .conftest import EMAIL, checkout_session, event, invoice, make_order, post_webhook

pytestmark = pytest.mark.django_db


def everything_that_adds_up() -> dict:
    return {
        "sales": sales_rows(Period.months_back(1)),
        "owed": owed_rows(),
        "grants": sorted(CreditGrant.objects.values_list("pk", "balance")),
        "cards": sorted(GiftCard.objects.values_list("pk", "balance_minor", "status")),
        "orders": sorted(Order.objects.values_list("pk", "status", "amount_total_minor", "amount_refunded_minor")),
        "credit_entries": sorted(e for g in CreditGrant.objects.all() for e in g.entries.values_list("pk", "delta")),
        "card_entries": sorted(e for c in GiftCard.objects.all() for e in c.entries.values_list("pk", "delta_minor")),
    }


@pytest.fixture
def maya(client, shop):
    """Maya (EMAIL) bought a series and a gift for Ana, and received a gift from Sam; she used some of each."""
    series = make_order(shop.series)
    post_webhook(client, event("checkout.session.completed", checkout_session(series)))
    gift = services.GiftDetails(
        recipient_name="Ana Other", recipient_email="ana@example.com", sender_name="Maya B.", message="Love, Maya"
    )
    bought = make_order(shop.gift, amount_minor=10000, gift=gift)
    post_webhook(client, event("checkout.session.completed", checkout_session(bought)))
    from_sam = services.GiftDetails(
        recipient_name="Maya Buyer", recipient_email=EMAIL, sender_name="Sam", message="For your back"
    )
    received = make_order(shop.gift, email="sam@example.com", name="Sam Sender", amount_minor=5000, gift=from_sam)
    post_webhook(client, event("checkout.session.completed", checkout_session(received)))
    desk = Customer.objects.get(email=EMAIL)
    services.credit_redeem(customer=desk, actor=None)
    codes = [re.search(r"Your gift code: (\S+)", m.body).group(1) for m in mail.outbox if "gift code:" in m.body]
    received_card = GiftCard.objects.get(order=received)
    code = next(c for c in codes if services.gift_card_find(code=c) == received_card)
    services.gift_card_redeem(card_id=received_card.pk, amount_minor=1500, actor=None, code=code)
    services.magic_link_issue(email=EMAIL)
    DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [EMAIL], "kwargs": {}},
        task_path="packages.tasks.send_account_link",
        backend_name="default",
        run_after=timezone.now(),
        finished_at=timezone.now(),
        exception_class_path="",
        traceback="",
    )
    return {"customer": desk, "series": series, "bought": bought, "received": received}


def text_of_everything() -> str:
    """Every stored text a person's data could hide in, as one string."""
    parts = [
        json.dumps(list(Customer.objects.values("email", "name"))),
        json.dumps(list(Order.objects.values("sender_name", "recipient_name", "recipient_email", "gift_message"))),
        json.dumps([o.stripe_session for o in Order.objects.all()]),
        json.dumps(list(GiftCard.objects.values("recipient_name", "recipient_email", "sender_name", "message"))),
        json.dumps([e.payload for e in StripeEvent.objects.all()]),
        json.dumps(list(MagicLink.objects.values("email"))),
        json.dumps([r.args_kwargs for r in DBTaskResult.objects.all()]),
    ]
    return "\n".join(parts)


def test_forgetting_a_customer_erases_who_they_are_and_keeps_what_happened(maya):
    customer = maya["customer"]
    before = everything_that_adds_up()
    assert EMAIL in text_of_everything() and "Maya Buyer" in text_of_everything()
    assert StripeEvent.objects.count() == 3

    report = services.customer_forget(email=EMAIL.upper())

    after = text_of_everything()
    assert EMAIL not in after and "Maya Buyer" not in after and "Maya B." not in after
    assert "Love, Maya" not in after and "For your back" not in after
    customer.refresh_from_db()
    assert (customer.email, customer.name) == (f"erased-{customer.pk}@invalid", "")
    assert everything_that_adds_up() == before  # balances, entries, orders and reports untouched
    assert report.stripe_events == 2  # her two orders' events; Sam's order's event did not name her
    assert (report.orders, report.gifts_received, report.sign_in_links, report.task_results) == (2, 1, 1, 1)
    # Other people's data stays: Sam the buyer, and Ana, who holds a live card Maya bought.
    assert "sam@example.com" in after and "Sam Sender" in after
    bought = GiftCard.objects.get(order=maya["bought"])
    assert (bought.recipient_email, bought.recipient_name, bought.sender_name) == ("ana@example.com", "Ana Other", "")
    # What Stripe sent stays usable: ids and amounts are kept.
    stored = StripeEvent.objects.get(payload__data__object__client_reference_id=maya["series"].public_token)
    session = stored.payload["data"]["object"]
    assert session["id"] == maya["series"].stripe_checkout_session_id and session["amount_total"] == 42500
    assert session["customer_details"]["email"] == "[erased]" and session["customer_email"] == "[erased]"
    assert Order.objects.get(pk=maya["series"].pk).stripe_session == {}


def test_forgetting_twice_changes_nothing_more(maya):
    services.customer_forget(email=EMAIL)
    snapshot = text_of_everything()
    customer = maya["customer"]
    again = services.customer_forget(customer_id=customer.pk)
    assert text_of_everything() == snapshot and again.stripe_events == 0


def test_a_billed_membership_must_be_cancelled_first(client, shop):
    order = make_order(shop.plan)
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    paid = invoice(
        invoice_id="in_1Pgc6tB7WZ01zgkWu9fdqL6I", subscription_id="sub_1Pgc6rB7WZ01zgkWNy0Cn5nw", order=order
    )
    post_webhook(client, event("invoice.paid", paid))
    assert order.customer.memberships.get().status == "active"
    with pytest.raises(services.ShopValidationError, match="cancel it first"):
        services.customer_forget(email=EMAIL)
    assert Customer.objects.get(pk=order.customer_id).email == EMAIL


def test_the_command_erases_and_refuses_unknown_addresses(maya, capsys):
    call_command("shop_forget_customer", EMAIL, "--no-input")
    assert "erased" in capsys.readouterr().out
    assert not Customer.objects.filter(email=EMAIL).exists()
    with pytest.raises(CommandError, match="No customer has that email"):
        call_command("shop_forget_customer", "nobody@example.com", "--no-input")


def test_managers_erase_from_the_customer_page_and_front_desk_cannot(client, maya, django_user_model):
    customer = maya["customer"]
    url = f"/admin/front-desk/customers/{customer.pk}/forget/"
    desk = django_user_model.objects.create_user("desk")
    desk.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(desk)
    assert "Erase personal data" not in client.get(f"/admin/front-desk/customers/{customer.pk}/").content.decode()
    assert client.post(url, {"confirm": "yes"}).status_code == 302
    assert Customer.objects.get(pk=customer.pk).email == EMAIL

    manager = django_user_model.objects.create_user("boss")
    manager.groups.add(Group.objects.get(name="Managers"))
    client.force_login(manager)
    page = client.get(f"/admin/front-desk/customers/{customer.pk}/").content.decode()
    assert f'href="{url}"' in page
    confirm = client.get(url).content.decode()
    assert "This cannot be undone" in confirm and Customer.objects.get(pk=customer.pk).email == EMAIL
    done = client.post(url, {"confirm": "yes"}, follow=True).content.decode()
    assert f"Customer {customer.pk} erased" in done
    assert Customer.objects.get(pk=customer.pk).email == f"erased-{customer.pk}@invalid"


# --- Retention of Stripe payloads ---------------------------------------------------------------


def test_processed_stripe_payloads_older_than_the_retention_are_emptied(maya, settings):
    settings.STRIPE_EVENT_RETENTION_DAYS = 30
    old, recent, failed = StripeEvent.objects.order_by("pk")
    StripeEvent.objects.filter(pk__in=[old.pk, failed.pk]).update(received_at=timezone.now() - timedelta(days=31))
    StripeEvent.objects.filter(pk=failed.pk).update(processed_at=None, error="boom")

    kept = {e.pk: e.payload for e in (recent, failed)}
    assert services.stripe_events_prune() == 1
    assert services.stripe_events_prune() == 0  # once

    old.refresh_from_db(), recent.refresh_from_db(), failed.refresh_from_db()
    assert set(old.payload) == {"id", "object", "type", "pruned_at"} and old.payload["id"] == old.event_id
    assert EMAIL not in json.dumps(old.payload)
    assert recent.payload == kept[recent.pk]  # within the retention
    assert failed.payload == kept[failed.pk]  # never processed: kept for a replay
    assert StripeEvent.objects.count() == 3  # rows stay: duplicates are still recognised


def test_the_prune_job_runs_on_its_schedule(maya, settings):
    assert SCHEDULE["prune_stripe_events"] == "50 3 * * *"
    StripeEvent.objects.update(received_at=timezone.now() - timedelta(days=settings.STRIPE_EVENT_RETENTION_DAYS + 1))
    done = work.prune_stripe_events()
    assert done.counts == {"pruned": 3} and "Emptied 3 Stripe event payloads" in done.summary
