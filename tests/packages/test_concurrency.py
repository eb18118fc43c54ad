"""Concurrent deliveries: row locks and the unique event id keep fulfilment to exactly once.

These need PostgreSQL: SQLite ignores ``SELECT … FOR UPDATE`` (it serialises
whole transactions instead), so the locking itself can only be tested there.
Run them with, for example::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h4_shop \\
        .venv/bin/python -m pytest tests/packages/test_concurrency.py --create-db

Each test starts real threads together at a barrier; every thread uses its own
``django.test.Client`` and its own database connection (closed as the thread
ends). Work inside the fulfilment is slowed down on purpose, so the second
request always arrives while the first still holds its locks.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone

from packages import payments, services
from packages.models import CreditGrant, GiftCard, LedgerKind, Membership, Order, StandInCheckoutSession, StripeEvent

from .conftest import EMAIL, checkout_session, event, invoice, make_order, post_webhook, start_checkout
from .test_balance_check import delivered_card

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock concurrency needs PostgreSQL (SQLite ignores SELECT FOR UPDATE); set DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]

HOLD_LOCKS_FOR = 0.3  # seconds each fulfilment lingers inside its transaction


def run_together(*calls):
    """Run each callable in its own thread, all released at once; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection: close it, or the test DB cannot be dropped

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung (deadlock?)"
    assert not errors, errors
    return results


@pytest.fixture
def slow_fulfilment(monkeypatch):
    """Keep each fulfilment inside its transaction (holding its locks) a little longer."""
    calls = []

    def slow(original):
        def wrapper(*args, **kwargs):
            calls.append(threading.get_ident())
            result = original(*args, **kwargs)
            time.sleep(HOLD_LOCKS_FOR)
            return result

        return wrapper

    for kind in (Order.Kind.SERIES, Order.Kind.MEMBERSHIP):
        monkeypatch.setitem(services.FULFILMENT, kind, slow(services.FULFILMENT[kind]))
    return calls


def webhook(payload):
    return lambda: post_webhook(Client(), payload)


def receipts() -> list:
    return [m for m in mail.outbox if m.to == [EMAIL] and "receipt" in m.subject.lower()]


def test_the_same_event_delivered_twice_at_once_is_fulfilled_once(shop, slow_fulfilment):
    order = start_checkout(make_order(shop.series))
    completed = event("checkout.session.completed", checkout_session(order))

    first, second = run_together(webhook(completed), webhook(completed))

    assert first.status_code == 200 and second.status_code == 200
    assert sorted([first.json()["outcome"], second.json()["outcome"]]) == ["duplicate", "processed"]
    assert StripeEvent.objects.count() == 1
    assert StripeEvent.objects.get().attempts == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED
    assert CreditGrant.objects.filter(order=order).count() == 1
    assert len(slow_fulfilment) == 1
    assert len(receipts()) == 1


def test_two_events_for_one_order_at_once_fulfil_it_once(shop, slow_fulfilment):
    order = start_checkout(make_order(shop.series))
    completed = event("checkout.session.completed", checkout_session(order))
    succeeded = event("checkout.session.async_payment_succeeded", checkout_session(order))

    first, second = run_together(webhook(completed), webhook(succeeded))

    assert first.status_code == 200 and second.status_code == 200
    assert {first.json()["outcome"], second.json()["outcome"]} == {"processed"}
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 2
    assert CreditGrant.objects.filter(order=order).count() == 1
    assert CreditGrant.objects.get(order=order).balance == 5
    assert len(slow_fulfilment) == 1
    assert len(receipts()) == 1


def test_the_webhook_and_the_success_page_at_once_fulfil_once(shop, slow_fulfilment):
    order = start_checkout(make_order(shop.series))
    stand_in = StandInCheckoutSession.objects.get(order=order)
    [completed] = payments.stand_in_objects.stand_in_pay(stand_in)  # the buyer paid on the stand-in's hosted page
    success_url = f"/shop/orders/{order.public_token}/?session_id={stand_in.session_id}"

    hook, page = run_together(webhook(completed), lambda: Client().get(success_url))

    assert hook.status_code == 200
    assert page.status_code == 200
    assert "Thank you" in page.content.decode()
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED
    assert CreditGrant.objects.filter(order=order).count() == 1
    assert len(slow_fulfilment) == 1
    assert len(receipts()) == 1


def test_invoice_paid_racing_checkout_completed_makes_one_membership(shop, slow_fulfilment):
    order = start_checkout(make_order(shop.plan))
    session = checkout_session(order)
    first_invoice = invoice(
        invoice_id=session["invoice"],
        subscription_id=session["subscription"],
        order=order,
        billing_reason="subscription_create",
    )

    completed, paid = run_together(
        webhook(event("checkout.session.completed", session)), webhook(event("invoice.paid", first_invoice))
    )

    assert completed.status_code == 200 and paid.status_code == 200, (completed.content, paid.content)
    membership = Membership.objects.get()
    assert membership.order_id == order.pk
    assert CreditGrant.objects.filter(membership=membership).count() == 1
    assert CreditGrant.objects.get(membership=membership).balance == 1
    assert len(slow_fulfilment) == 1
    assert len(receipts()) == 1


def test_reconcile_racing_a_live_delivery_fulfils_once(shop, slow_fulfilment, monkeypatch):
    """Reconcile lists a paid session while Stripe delivers the same session's webhook: one fulfilment."""
    order = start_checkout(make_order(shop.series))
    sent = []
    monkeypatch.setattr(payments.stand_in, "post_event", lambda evt: sent.append(evt) or 200)  # held back
    services.stand_in_checkout_pay(session_id=order.stripe_checkout_session_id)
    completed = next(evt for evt in sent if evt["type"] == "checkout.session.completed")
    since = timezone.now() - timedelta(hours=1)

    delivery, run = run_together(
        lambda: post_webhook(Client(), completed).status_code,
        lambda: services.stripe_reconcile(since=since),
    )
    assert delivery == 200
    assert run.applied + run.already == 1
    assert CreditGrant.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED


def test_a_card_spent_online_and_at_the_desk_at_once_never_goes_below_zero(shop, django_user_model):
    """Checkout holds the whole balance while the desk takes $80 of it: one wins, the ledger adds up."""

    card, _ = delivered_card(shop.gift, amount_minor=10000)
    code = services.new_gift_code()  # its emailed code was delivered on commit: give it one we know
    GiftCard.objects.filter(pk=card.pk).update(code_hash=services.gift_code_hash(code), status=GiftCard.Status.ACTIVE)
    staff = django_user_model.objects.create_user("desk-race")
    order = services.order_create(
        offer=shop.series, email="r@example.com", name="R", disclaimer_accepted=True, gift_card=code
    )

    def online():
        try:
            return services.gift_card_hold(Order.objects.get(pk=order.pk))
        except services.BalanceError:
            return 0

    def desk():
        try:
            services.gift_card_redeem(card_id=card.pk, amount_minor=8000, actor=staff, code=code)
            return 8000
        except services.BalanceError:
            return 0

    held, taken = run_together(online, desk)
    card.refresh_from_db()
    assert card.balance_minor >= 0 and card.balance_minor == sum(e.delta_minor for e in card.entries.all())
    assert held + taken + card.balance_minor == 10000
    assert held in (10000, 2000) and taken in (8000, 0)


def test_an_expired_and_a_failed_checkout_at_once_release_the_hold_once(shop):
    """Stripe's expired and async-failed events for one card-paid checkout, both at once: one release."""
    card, _ = delivered_card(shop.gift, amount_minor=10000)
    code = services.new_gift_code()
    GiftCard.objects.filter(pk=card.pk).update(code_hash=services.gift_code_hash(code), status=GiftCard.Status.ACTIVE)
    order = services.order_create(
        offer=shop.series, email="r@example.com", name="R", disclaimer_accepted=True, gift_card=code
    )
    services.gift_card_hold(order)
    order = start_checkout(order)
    session = checkout_session(order, status="expired", payment_status="unpaid")
    run_together(
        webhook(event("checkout.session.expired", session)),
        webhook(event("checkout.session.async_payment_failed", session)),
        webhook(event("checkout.session.expired", session)),
    )
    card.refresh_from_db()
    assert card.balance_minor == 10000 == sum(e.delta_minor for e in card.entries.all())
    assert card.entries.filter(kind=LedgerKind.RELEASE).count() == 1
    assert Order.objects.get(pk=order.pk).card_hold == "released"
