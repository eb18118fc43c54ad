"""Stripe webhooks: signed deliveries of every handled type, duplicates, rejects and failures.

Every payload is signed exactly as Stripe signs it (``post_webhook``), and the
objects follow Stripe's current API shapes (see conftest). After each flow the
ledgers are checked: every balance equals the sum of its entries.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
import stripe
from django.conf import settings
from django.contrib.auth.models import Group
from django.core import mail
from django.db.models import Sum
from django.utils import timezone
from wagtail.signal_handlers import disable_reference_index_auto_update

from home.factories import HomePageFactory, TreatmentIndexPageFactory, TreatmentPageFactory, make_site_root
from home.models import TreatmentPage
from packages import services
from packages.models import (
    CreditEntry,
    CreditGrant,
    Customer,
    GiftCard,
    GiftCardEntry,
    LedgerKind,
    Membership,
    Order,
    Review,
    StripeEvent,
)
from packages.payments import webhooks

from .conftest import (
    EMAIL,
    checkout_session,
    event,
    invoice,
    make_order,
    post_webhook,
    start_checkout,
    subscription,
)

pytestmark = pytest.mark.django_db

SUBSCRIPTION = "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw"  # what checkout_session() puts on a membership session
FIRST_INVOICE = "in_1Pgc6tB7WZ01zgkWu9fdqL6I"
DAY = 86400


@pytest.fixture
def site_tree(db):
    """Just what the ``shop`` fixture and the shop's pages and emails need: home → treatments → deep tissue.

    Overrides the full tree of tests/conftest.py (ten pages, articles, topics, settings) with
    the three pages the shop's unit-level tests use, so what they create and count is only
    theirs; test_gateway and test_gift_codes import it too.
    """
    with disable_reference_index_auto_update():
        home = HomePageFactory(title="Runway Massage Studio")
        site = make_site_root(home, site_name="Runway Massage Studio")
        treatment_index = TreatmentIndexPageFactory(parent=home, title="Treatments")
        deep_tissue = TreatmentPageFactory(
            parent=treatment_index,
            title="Deep Tissue Massage",
            intensity=TreatmentPage.Intensity.STRONG,
            prices=[(60, 9500), (90, 13500)],
        )
    return SimpleNamespace(site=site, home=home, treatment_index=treatment_index, deep_tissue=deep_tissue)


def assert_ledgers_balance() -> None:
    """The shop's core invariant: every cached balance is the sum of its ledger, and never negative."""
    for grant in CreditGrant.objects.all():
        total = grant.entries.aggregate(total=Sum("delta"))["total"] or 0
        assert grant.balance == total >= 0, f"grant {grant.pk}: balance {grant.balance} but ledger sums to {total}"
    for card in GiftCard.objects.all():
        total = card.entries.aggregate(total=Sum("delta_minor"))["total"] or 0
        assert card.balance_minor == total >= 0, f"card {card.pk}: {card.balance_minor} but ledger sums to {total}"


def to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def pending_series_order(shop) -> Order:
    return start_checkout(make_order(shop.series))


def deliver(client, evt, status=200):
    response = post_webhook(client, evt)
    assert response.status_code == status, response.content
    return response


# --- checkout.session.* -----------------------------------------------------------------------


def test_completed_and_paid_fulfils_once_with_credits(client, shop):
    order = pending_series_order(shop)
    completed = event("checkout.session.completed", checkout_session(order))

    response = deliver(client, completed)

    assert response.json() == {"received": True, "outcome": "processed"}
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and order.fulfilled_at and order.paid_at
    assert order.stripe_payment_intent_id == "pi_1PgafyB7WZ01zgkWSjxsAJo3"
    assert Customer.objects.get(pk=order.customer_id).stripe_customer_id == "cus_QXg1o8vcGmoR32"
    grant = CreditGrant.objects.get(order=order)
    assert (grant.balance, grant.sessions_granted, grant.source) == (5, 5, CreditGrant.Source.SERIES)
    assert grant.entries.get().kind == LedgerKind.GRANT
    stored = StripeEvent.objects.get()
    assert (stored.event_id, stored.type, stored.attempts, stored.error) == (
        completed["id"],
        "checkout.session.completed",
        1,
        "",
    )
    assert (
        stored.processed_at is not None and stored.payload["data"]["object"]["id"] == order.stripe_checkout_session_id
    )
    assert len(to(EMAIL)) == 1 and "receipt" in to(EMAIL)[0].subject.lower()
    assert_ledgers_balance()


def test_the_same_event_delivered_twice_is_done_once(client, shop):
    order = pending_series_order(shop)
    completed = event("checkout.session.completed", checkout_session(order))
    deliver(client, completed)

    again = deliver(client, completed)

    assert again.json()["outcome"] == "duplicate"
    assert StripeEvent.objects.count() == 1
    assert StripeEvent.objects.get().attempts == 1
    assert CreditGrant.objects.filter(order=order).count() == 1 and CreditEntry.objects.count() == 1
    assert len(to(EMAIL)) == 1
    assert_ledgers_balance()


def test_completed_then_async_payment_succeeded_fulfils_once(client, shop):
    order = pending_series_order(shop)
    deliver(client, event("checkout.session.completed", checkout_session(order)))
    fulfilled_at = Order.objects.get(pk=order.pk).fulfilled_at

    response = deliver(client, event("checkout.session.async_payment_succeeded", checkout_session(order)))

    assert response.json()["outcome"] == "processed"
    assert StripeEvent.objects.count() == 2  # two events, one fulfilment (keyed by the order)
    assert Order.objects.get(pk=order.pk).fulfilled_at == fulfilled_at
    assert CreditGrant.objects.filter(order=order).count() == 1
    assert len(to(EMAIL)) == 1
    assert_ledgers_balance()


def test_delayed_payment_waits_then_fulfils_on_async_success(client, shop):
    order = pending_series_order(shop)
    deliver(client, event("checkout.session.completed", checkout_session(order, payment_status="unpaid")))

    order.refresh_from_db()
    assert order.status == Order.Status.PROCESSING and order.fulfilled_at is None
    assert not CreditGrant.objects.exists() and mail.outbox == []
    assert order.stripe_session["payment_status"] == "unpaid"

    deliver(client, event("checkout.session.async_payment_succeeded", checkout_session(order)))

    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert CreditGrant.objects.get(order=order).balance == 5
    assert len(to(EMAIL)) == 1
    assert_ledgers_balance()


def test_async_payment_failed_marks_the_order_failed_and_tells_the_buyer(client, shop):
    order = pending_series_order(shop)
    deliver(client, event("checkout.session.completed", checkout_session(order, payment_status="unpaid")))

    deliver(client, event("checkout.session.async_payment_failed", checkout_session(order, payment_status="unpaid")))

    order.refresh_from_db()
    assert order.status == Order.Status.FAILED and order.fulfilled_at is None
    assert order.failure_reason == "The payment did not go through."
    assert not CreditGrant.objects.exists()
    [message] = to(EMAIL)
    assert message.subject == "Your payment to Runway Massage Studio did not go through"


def test_async_payment_failed_never_undoes_a_fulfilled_order(client, shop):
    order = pending_series_order(shop)
    deliver(client, event("checkout.session.completed", checkout_session(order)))
    deliver(client, event("checkout.session.async_payment_failed", checkout_session(order, payment_status="unpaid")))
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert CreditGrant.objects.get(order=order).balance == 5
    assert len(to(EMAIL)) == 1  # the receipt, no failure email


def test_expired_closes_only_a_pending_order(client, shop):
    pending = pending_series_order(shop)
    fulfilled = start_checkout(make_order(shop.series, email="paid@example.com"))
    processing = start_checkout(make_order(shop.series, email="slow@example.com"))
    deliver(client, event("checkout.session.completed", checkout_session(fulfilled)))
    deliver(client, event("checkout.session.completed", checkout_session(processing, payment_status="unpaid")))

    for order in (pending, fulfilled, processing):
        session = checkout_session(order, status="expired", payment_status="unpaid", customer=None)
        deliver(client, event("checkout.session.expired", session))

    assert Order.objects.get(pk=pending.pk).status == Order.Status.EXPIRED
    assert Order.objects.get(pk=fulfilled.pk).status == Order.Status.FULFILLED
    assert Order.objects.get(pk=processing.pk).status == Order.Status.PROCESSING
    assert CreditGrant.objects.get().order_id == fulfilled.pk


def test_gift_card_order_issues_one_card_whose_balance_is_its_ledger(client, shop):
    gift = services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam")
    order = start_checkout(make_order(shop.gift, email="sam@example.com", amount_minor=7500, gift=gift))
    completed = event("checkout.session.completed", checkout_session(order))

    deliver(client, completed)
    deliver(client, completed)
    deliver(client, event("checkout.session.async_payment_succeeded", checkout_session(order)))

    card = GiftCard.objects.get(order=order)
    assert (card.status, card.balance_minor, card.initial_amount_minor) == (GiftCard.Status.ACTIVE, 7500, 7500)
    assert GiftCardEntry.objects.count() == 1
    assert len(to("ana@example.com")) == 1
    assert_ledgers_balance()


def test_amount_mismatch_holds_the_order_for_review_and_tells_the_managers(client, shop, django_user_model):
    django_user_model.objects.create_user("boss", "boss@example.com", "pw").groups.add(
        Group.objects.get(name="Managers")
    )
    order = pending_series_order(shop)
    session = checkout_session(order, amount_total=100, amount_subtotal=100)

    response = post_webhook(client, event("checkout.session.completed", session))
    again = post_webhook(client, event("checkout.session.completed", session))  # a new delivery: one review

    assert response.status_code == 200 and response.json()["outcome"] == "processed"  # Stripe stops retrying
    assert again.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.NEEDS_REVIEW and order.fulfilled_at is None
    assert f"priced 100 but order {order.public_token[:8]} totals 42500" in order.failure_reason
    assert not CreditGrant.objects.exists()
    review = Review.objects.get()
    assert (review.reason, review.order, review.stripe_id) == (Review.Reason.AMOUNT_MISMATCH, order, session["id"])
    assert [m.to for m in mail.outbox] == [["boss@example.com"]]  # the managers, not the buyer
    assert "needs your review" in mail.outbox[0].subject.lower()


@pytest.mark.parametrize("missing", ["amount_total", "amount_subtotal"], ids=["no-amount-total", "no-amount-subtotal"])
def test_a_session_without_the_amounts_we_check_is_a_mismatch_never_a_pass(client, shop, missing):
    order = pending_series_order(shop)
    session = checkout_session(order)
    del session[missing]
    assert post_webhook(client, event("checkout.session.completed", session)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.NEEDS_REVIEW and not CreditGrant.objects.exists()
    assert "carries no amounts" in Review.objects.get().message


@pytest.mark.parametrize(
    "change",
    [
        {"id": "cs_test_payment_link_b7WZ01zgkW"},  # a Payment Link carrying our client_reference_id
        {"mode": "subscription"},
        {"currency": "eur"},
    ],
    ids=["another-session", "another-mode", "another-currency"],
)
def test_only_the_orders_own_session_in_its_mode_and_currency_fulfils_it(client, shop, change):
    order = pending_series_order(shop)
    session = checkout_session(order, **change)
    response = post_webhook(client, event("checkout.session.completed", session))
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.fulfilled_at is None and not CreditGrant.objects.exists()
    assert Review.objects.filter(stripe_id=session["id"]).exists()
    # The real checkout still fulfils it afterwards.
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    order.refresh_from_db()
    if "id" in change:
        assert order.status == Order.Status.FULFILLED and CreditGrant.objects.get().balance == 5


def test_promotion_codes_and_tax_change_the_total_not_the_check(client, shop):
    order = pending_series_order(shop)
    session = checkout_session(
        order,
        amount_subtotal=42500,
        amount_total=40375,
        total_details={"amount_discount": 4250, "amount_shipping": 0, "amount_tax": 2125},
    )
    assert post_webhook(client, event("checkout.session.completed", session)).status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert (order.stripe_amount_subtotal, order.stripe_amount_discount, order.stripe_amount_tax) == (42500, 4250, 2125)
    assert order.stripe_amount_total == 40375 and not Review.objects.exists()


# --- Handler failures and redelivery ----------------------------------------------------------------


def test_a_handler_failure_rolls_back_keeps_the_error_and_redelivery_fulfils_once(client, shop, monkeypatch):
    order = pending_series_order(shop)
    completed = event("checkout.session.completed", checkout_session(order))
    original = services.FULFILMENT[Order.Kind.SERIES]

    def half_done_then_fail(*args, **kwargs):
        original(*args, **kwargs)  # the credits are written…
        raise RuntimeError("ledger service unavailable")  # …then something of ours breaks

    monkeypatch.setitem(services.FULFILMENT, Order.Kind.SERIES, half_done_then_fail)
    failed = post_webhook(client, completed)

    assert failed.status_code == 500  # Stripe retries
    assert failed.json()["outcome"] == "failed"
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING and order.fulfilled_at is None
    assert not CreditGrant.objects.exists() and not CreditEntry.objects.exists()
    assert mail.outbox == []  # the receipt queued inside the failed work was dropped with it
    stored = StripeEvent.objects.get()
    assert stored.processed_at is None and stored.attempts == 1
    assert "RuntimeError: ledger service unavailable" in stored.error

    monkeypatch.setitem(services.FULFILMENT, Order.Kind.SERIES, original)
    retried = post_webhook(client, completed)

    assert retried.status_code == 200 and retried.json()["outcome"] == "processed"
    stored.refresh_from_db()
    assert stored.processed_at is not None and stored.attempts == 2 and stored.error == ""
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED
    assert CreditGrant.objects.get(order=order).balance == 5
    assert len(to(EMAIL)) == 1
    assert post_webhook(client, completed).json()["outcome"] == "duplicate"
    assert StripeEvent.objects.count() == 1
    assert_ledgers_balance()


# --- Rejected deliveries -------------------------------------------------------------------------------


def _signed(body: str, **kwargs) -> str:
    return stripe.WebhookSignature.generate_signature_header(body, settings.STRIPE_WEBHOOK_SECRET, **kwargs)


def _valid_body(order) -> str:
    return json.dumps(event("checkout.session.completed", checkout_session(order)))


REJECTS = {
    "missing signature": lambda body: (body, None),
    "garbage signature": lambda body: (body, "not-a-stripe-signature"),
    "wrong signature": lambda body: (body, f"t={int(time.time())},v1={'0' * 64}"),
    "signed with another secret": lambda body: (
        body,
        stripe.WebhookSignature.generate_signature_header(body, "whsec_someone_else"),
    ),
    "tampered body": lambda body: (body.replace("42500", "100"), _signed(body)),
    "stale timestamp": lambda body: (body, _signed(body, timestamp=int(time.time()) - 301)),
    "malformed json": lambda body: (body[:-5], _signed(body[:-5])),
    "json that is not an event": lambda body: ('{"hello": "world"}', _signed('{"hello": "world"}')),
    "json list": lambda body: ("[1, 2, 3]", _signed("[1, 2, 3]")),
    "json string": lambda body: ('"checkout.session.completed"', _signed('"checkout.session.completed"')),
    "json null": lambda body: ("null", _signed("null")),
    "event without data object": lambda body: (
        (doc := json.dumps({"id": "evt_x", "object": "event", "type": "checkout.session.completed", "data": {}})),
        _signed(doc),
    ),
}


@pytest.mark.parametrize("case", list(REJECTS))
def test_rejected_deliveries_answer_400_and_store_nothing(client, shop, case):
    order = pending_series_order(shop)
    body, header = REJECTS[case](_valid_body(order))
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header is not None else {}

    response = client.post("/stripe/webhook/", data=body, content_type="application/json", **extra)

    assert response.status_code == 400, response.content
    assert "error" in response.json()
    assert not StripeEvent.objects.exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING
    assert not CreditGrant.objects.exists()


def test_a_body_that_is_not_utf8_is_rejected(client, shop):
    response = client.post(
        "/stripe/webhook/", data=b"\xff\xfe{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"
    )
    assert response.status_code == 400 and not StripeEvent.objects.exists()


def test_a_signature_within_the_five_minute_tolerance_is_accepted(client, shop):
    order = pending_series_order(shop)
    body = _valid_body(order)
    response = post_webhook(client, body, timestamp=int(time.time()) - 280)
    assert response.status_code == 200
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED


def test_only_post_is_allowed(client, db):
    assert client.get("/stripe/webhook/").status_code == 405
    assert not StripeEvent.objects.exists()


def test_unknown_event_types_are_stored_and_ignored(client, shop):
    order = pending_series_order(shop)
    unknown = event("payment_intent.created", {"id": "pi_1PgafyB7WZ01zgkWSjxsAJo3", "object": "payment_intent"})

    response = deliver(client, unknown)

    assert response.json()["outcome"] == "ignored"
    stored = StripeEvent.objects.get()
    assert stored.type == "payment_intent.created" and stored.processed_at is not None and stored.error == ""
    assert deliver(client, unknown).json()["outcome"] == "duplicate"
    assert StripeEvent.objects.count() == 1
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


# --- Memberships ----------------------------------------------------------------------------------------------


@pytest.fixture
def member(client, shop):
    """A membership bought through Checkout: completed (with the first invoice) has been delivered."""
    order = start_checkout(make_order(shop.plan))
    deliver(client, event("checkout.session.completed", checkout_session(order)))
    mail.outbox.clear()
    return Membership.objects.get(order=order)


def test_membership_checkout_creates_the_membership_and_the_first_month(client, member):
    assert member.status == Membership.Status.ACTIVE
    assert member.stripe_subscription_id == SUBSCRIPTION
    grant = CreditGrant.objects.get(membership=member)
    assert (grant.balance, grant.stripe_invoice_id, grant.source) == (1, FIRST_INVOICE, CreditGrant.Source.MEMBERSHIP)
    assert Order.objects.get(pk=member.order_id).stripe_subscription_id == SUBSCRIPTION


def test_invoice_paid_grants_each_month_once_and_rolls_over_up_to_the_cap(client, shop, member):
    start = int(time.time())
    # The first invoice arrives after checkout completed: its month was already granted.
    deliver(
        client,
        event(
            "invoice.paid",
            invoice(
                invoice_id=FIRST_INVOICE,
                subscription_id=SUBSCRIPTION,
                period_start=start,
                billing_reason="subscription_create",
            ),
        ),
    )
    assert CreditGrant.objects.filter(membership=member).count() == 1
    member.refresh_from_db()
    assert int(member.current_period_start.timestamp()) == start
    assert int(member.current_period_end.timestamp()) == start + 30 * DAY

    # Month two; the unused session of month one rolls over (cap 1).
    second = invoice(invoice_id="in_month2", subscription_id=SUBSCRIPTION, period_start=start + 30 * DAY)
    deliver(client, event("invoice.paid", second))
    deliver(client, event("invoice.paid", second))  # Stripe sends it again, with a new event id
    month1 = CreditGrant.objects.get(stripe_invoice_id=FIRST_INVOICE)
    month2 = CreditGrant.objects.get(stripe_invoice_id="in_month2")
    assert month1.balance == 0
    expiry = month1.entries.get(kind=LedgerKind.EXPIRE)
    assert (expiry.delta, expiry.reference) == (-1, "in_month2")
    assert "1 session(s) rolled over" in expiry.reason
    assert (month2.sessions_granted, month2.balance) == (2, 2)
    assert CreditGrant.objects.filter(membership=member).count() == 2

    # Month three: two unused, but only one may roll over. The cap is the one sold (a later
    # change to the plan does not apply to an existing member).
    shop.plan.rollover_cap = 5
    shop.plan.save()
    deliver(
        client,
        event(
            "invoice.paid", invoice(invoice_id="in_month3", subscription_id=SUBSCRIPTION, period_start=start + 60 * DAY)
        ),
    )
    month2.refresh_from_db()
    month3 = CreditGrant.objects.get(stripe_invoice_id="in_month3")
    assert month2.balance == 0 and month2.entries.get(kind=LedgerKind.EXPIRE).delta == -2
    assert (month3.sessions_granted, month3.balance) == (2, 2)  # 1 for the month + 1 rolled over
    total = CreditGrant.objects.filter(customer=member.customer).aggregate(total=Sum("balance"))["total"]
    assert total == 2
    member.refresh_from_db()
    assert int(member.current_period_end.timestamp()) == start + 90 * DAY
    assert member.status == Membership.Status.ACTIVE
    assert_ledgers_balance()


def test_invoice_paid_before_checkout_completed_creates_the_membership_once(client, shop):
    order = start_checkout(make_order(shop.plan))
    first = invoice(
        invoice_id=FIRST_INVOICE, subscription_id=SUBSCRIPTION, order=order, billing_reason="subscription_create"
    )

    deliver(client, event("invoice.paid", first))

    membership = Membership.objects.get(stripe_subscription_id=SUBSCRIPTION)
    assert membership.order == order and membership.status == Membership.Status.ACTIVE
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and order.stripe_subscription_id == SUBSCRIPTION
    assert CreditGrant.objects.get(membership=membership).stripe_invoice_id == FIRST_INVOICE
    emails_after_invoice = len(to(EMAIL))
    assert emails_after_invoice == 2  # receipt and welcome

    deliver(client, event("checkout.session.completed", checkout_session(order)))
    deliver(client, event("invoice.paid", first))  # and a redelivery under a new event id

    assert Membership.objects.count() == 1
    assert CreditGrant.objects.filter(membership=membership).count() == 1
    assert CreditGrant.objects.get(membership=membership).balance == 1
    assert len(to(EMAIL)) == emails_after_invoice
    assert_ledgers_balance()


def test_invoice_payment_failed_marks_past_due_and_emails_once_per_invoice(client, member):
    failed = invoice(invoice_id="in_month2", subscription_id=SUBSCRIPTION, paid=False)

    deliver(client, event("invoice.payment_failed", failed))
    deliver(client, event("invoice.payment_failed", failed))  # redelivered with a new event id

    member.refresh_from_db()
    assert member.status == Membership.Status.PAST_DUE and member.past_due_notified_for == "in_month2"
    [message] = to(EMAIL)
    assert message.subject == "Action needed: your Runway Massage Studio membership payment failed"
    assert StripeEvent.objects.filter(type="invoice.payment_failed").count() == 2

    # Stripe's retry succeeds: active again, and the month is granted.
    deliver(client, event("invoice.paid", invoice(invoice_id="in_month2", subscription_id=SUBSCRIPTION)))
    member.refresh_from_db()
    assert member.status == Membership.Status.ACTIVE
    assert CreditGrant.objects.filter(membership=member, stripe_invoice_id="in_month2").count() == 1
    assert len(to(EMAIL)) == 1

    # A later invoice failing is news again.
    deliver(
        client,
        event("invoice.payment_failed", invoice(invoice_id="in_month3", subscription_id=SUBSCRIPTION, paid=False)),
    )
    assert len(to(EMAIL)) == 2
    assert_ledgers_balance()


def test_subscription_updated_and_deleted(client, member):
    now = int(time.time())
    period_end = now + 20 * DAY
    updated = subscription(SUBSCRIPTION, cancel_at_period_end=True, period_end=period_end)
    deliver(client, event("customer.subscription.updated", updated, created=now))

    member.refresh_from_db()
    assert member.cancel_at_period_end is True and member.status == Membership.Status.ACTIVE
    assert member.current_period_end == services.from_timestamp(period_end)
    assert member.current_period_start == services.from_timestamp(period_end - 30 * DAY)
    assert member.last_event_at == now

    deleted = subscription(SUBSCRIPTION, status="canceled", cancel_at_period_end=False, period_end=period_end)
    deliver(client, event("customer.subscription.deleted", deleted, created=now + 10))
    member.refresh_from_db()
    assert member.status == Membership.Status.CANCELED

    # A cancelled subscription never comes back, even from a newer "active" update.
    deliver(client, event("customer.subscription.updated", subscription(SUBSCRIPTION), created=now + 20))
    member.refresh_from_db()
    assert member.status == Membership.Status.CANCELED


def test_an_older_subscription_update_does_not_move_the_membership_back(client, member):
    now = int(time.time())
    newer = subscription(SUBSCRIPTION, cancel_at_period_end=True, period_end=now + 25 * DAY)
    older = subscription(SUBSCRIPTION, status="past_due", cancel_at_period_end=False, period_end=now + 5 * DAY)

    deliver(client, event("customer.subscription.updated", newer, created=now))
    deliver(client, event("customer.subscription.updated", older, created=now - 60))  # arrives late

    member.refresh_from_db()
    assert member.cancel_at_period_end is True
    assert member.status == Membership.Status.ACTIVE
    assert member.current_period_end == services.from_timestamp(now + 25 * DAY)
    assert member.last_event_at == now
    assert StripeEvent.objects.filter(type="customer.subscription.updated", processed_at__isnull=False).count() == 2


def test_subscription_update_in_stripes_full_shape_is_stored(client, member):
    """A subscription as Stripe sends it: the price carries unit_amount_decimal, the plan amount_decimal."""
    now = int(time.time())
    sub = subscription(SUBSCRIPTION, cancel_at_period_end=True, period_end=now + 30 * DAY)
    sub["items"]["data"][0]["price"] = {
        "id": "price_1PgafmB7WZ01zgkW6dKueIc5",
        "object": "price",
        "currency": "usd",
        "recurring": {"interval": "month", "interval_count": 1, "usage_type": "licensed"},
        "type": "recurring",
        "unit_amount": 7900,
        "unit_amount_decimal": "7900",
    }
    sub["items"]["data"][0]["plan"] = {
        "id": "price_1PgafmB7WZ01zgkW6dKueIc5",
        "object": "plan",
        "amount": 7900,
        "amount_decimal": "7900",
        "interval": "month",
    }

    deliver(client, event("customer.subscription.updated", sub, created=now))

    stored = StripeEvent.objects.get(type="customer.subscription.updated")
    assert stored.payload["data"]["object"]["items"]["data"][0]["price"]["unit_amount_decimal"] == "7900"
    member.refresh_from_db()
    assert member.cancel_at_period_end is True


def test_an_invoice_in_stripes_full_shape_is_stored_and_granted(client, member):
    """Real invoice lines carry pricing.unit_amount_decimal and quantity_decimal, which the SDK makes Decimal."""
    paid = invoice(invoice_id="in_month2", subscription_id=SUBSCRIPTION, period_start=int(time.time()) + 30 * DAY)
    paid["lines"]["data"][0].update(
        id="il_1Pgc6sB7WZ01zgkWFnxLrLCq",
        invoice="in_month2",
        pricing={
            "type": "price_details",
            "price_details": {"price": "price_1PgafmB7WZ01zgkW6dKueIc5", "product": "prod_QXg1hqf4jFNsqG"},
            "unit_amount_decimal": "7900",
        },
        quantity_decimal="1",
    )

    deliver(client, event("invoice.paid", paid))

    stored = StripeEvent.objects.get(type="invoice.paid")
    assert stored.processed_at is not None
    assert stored.payload["data"]["object"]["lines"]["data"][0]["pricing"]["unit_amount_decimal"] == "7900"
    assert CreditGrant.objects.filter(membership=member, stripe_invoice_id="in_month2").count() == 1


def test_subscription_events_for_unknown_subscriptions_are_harmless(client, db):
    deliver(client, event("customer.subscription.updated", subscription("sub_not_ours")))
    deliver(
        client, event("invoice.payment_failed", invoice(invoice_id="in_y", subscription_id="sub_not_ours", paid=False))
    )
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 2
    assert mail.outbox == []


def test_membership_grant_expires_a_week_after_the_paid_period(client, member):
    start = int(time.time()) + 30 * DAY
    deliver(
        client, event("invoice.paid", invoice(invoice_id="in_month2", subscription_id=SUBSCRIPTION, period_start=start))
    )
    grant = CreditGrant.objects.get(stripe_invoice_id="in_month2")
    assert grant.expires_at == services.from_timestamp(start + 30 * DAY) + timedelta(days=7)
    assert grant.expires_at > timezone.now()


def test_events_for_sessions_and_subscriptions_that_are_not_ours_are_ignored(client, shop):
    foreign_session = {
        "id": "cs_test_from_a_payment_link",
        "object": "checkout.session",
        "client_reference_id": None,
        "metadata": {},
        "mode": "payment",
        "payment_status": "paid",
        "status": "complete",
        "amount_total": 1000,
    }
    foreign_invoice = invoice(invoice_id="in_foreign", subscription_id="sub_foreign")
    foreign_subscription = subscription("sub_foreign")
    for evt in (
        event("checkout.session.completed", foreign_session),
        event("invoice.paid", foreign_invoice),
        event("customer.subscription.updated", foreign_subscription),
    ):
        assert post_webhook(client, evt).status_code == 200
    assert not Order.objects.exists()
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 3


@pytest.mark.parametrize("event_type", ["customer.subscription.updated", "customer.subscription.deleted"])
def test_a_subscription_event_before_its_checkout_is_kept_and_applied_when_the_membership_appears(
    client, shop, event_type
):
    order = make_order(shop.plan)
    early = subscription(
        "sub_1Pgc6rB7WZ01zgkWNy0Cn5nw",
        cancel_at_period_end=True,
        status="canceled" if event_type.endswith("deleted") else "active",
    )
    early["metadata"] = {"order": order.public_token, "kind": "membership"}
    response = post_webhook(client, event(event_type, early))
    assert response.status_code == 200  # kept: never a 500 until Stripe gives up
    assert not Membership.objects.exists()

    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    membership = Membership.objects.get()
    assert membership.cancel_at_period_end is True
    if event_type.endswith("deleted"):
        assert membership.status == Membership.Status.CANCELED


def test_an_older_subscription_event_kept_early_does_not_overwrite_a_newer_one(client, shop):
    order = make_order(shop.plan)
    older = subscription("sub_1Pgc6rB7WZ01zgkWNy0Cn5nw", cancel_at_period_end=True)
    newer = subscription("sub_1Pgc6rB7WZ01zgkWNy0Cn5nw", cancel_at_period_end=False)
    post_webhook(client, event("customer.subscription.updated", newer, created=2_000_000_000))
    post_webhook(client, event("customer.subscription.updated", older, created=1_900_000_000))
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    assert Membership.objects.get().cancel_at_period_end is False


# --- Which invoices grant a month, and which month ---------------------------------------------------


@pytest.mark.parametrize("billing_reason", ["subscription_update", "manual", "subscription_threshold", None])
def test_only_create_and_cycle_invoices_grant_a_month(client, member, billing_reason):
    paid = invoice(invoice_id="in_1Proration0001", subscription_id=SUBSCRIPTION, billing_reason=billing_reason)
    if billing_reason is None:
        del paid["billing_reason"]
    response = deliver(client, event("invoice.paid", paid))
    assert response.status_code == 200
    assert not CreditGrant.objects.filter(stripe_invoice_id="in_1Proration0001").exists()
    review = Review.objects.get(stripe_id="in_1Proration0001")
    assert review.reason == Review.Reason.INVOICE_NOT_GRANTED and review.order_id == member.order_id
    assert mail.outbox == []  # routine: listed for staff, not emailed

    deliver(client, event("invoice.paid", invoice(invoice_id="in_1Cycle00000002", subscription_id=SUBSCRIPTION)))
    assert CreditGrant.objects.filter(stripe_invoice_id="in_1Cycle00000002").exists()


def test_an_invoice_of_a_cancelled_membership_grants_nothing(client, member):
    Membership.objects.filter(pk=member.pk).update(status=Membership.Status.CANCELED)
    deliver(client, event("invoice.paid", invoice(invoice_id="in_1AfterCancel01", subscription_id=SUBSCRIPTION)))
    assert not CreditGrant.objects.filter(stripe_invoice_id="in_1AfterCancel01").exists()
    assert "cancelled membership" in Review.objects.get(stripe_id="in_1AfterCancel01").message


def test_the_month_comes_from_the_subscription_line_not_the_first_line(client, member):
    start = int(time.time()) + 40 * DAY
    paid = invoice(invoice_id="in_1WithExtras001", subscription_id=SUBSCRIPTION, period_start=start)
    one_off = {
        "id": "il_1OneOffFirst001",
        "object": "line_item",
        "amount": 2500,
        "currency": "usd",
        "parent": {"type": "invoice_item_details", "invoice_item_details": {"invoice_item": "ii_1Oil"}},
        "period": {"start": start - 5 * DAY, "end": start - 5 * DAY},
        "quantity": 1,
    }
    paid["lines"]["data"].insert(0, one_off)
    deliver(client, event("invoice.paid", paid))
    member.refresh_from_db()
    assert int(member.current_period_start.timestamp()) == start
    assert int(member.current_period_end.timestamp()) == start + 30 * DAY


def test_older_api_shapes_of_invoices_and_subscriptions_are_read(client, member):
    """Before 2025 the invoice named its subscription at the top and the period lived on the subscription."""
    start = int(time.time()) + 35 * DAY
    paid = invoice(invoice_id="in_1OlderShape0001", subscription_id=SUBSCRIPTION, period_start=start)
    del paid["parent"]
    paid["subscription"] = SUBSCRIPTION
    line = paid["lines"]["data"][0]
    del line["parent"]
    line.update(type="subscription", subscription=SUBSCRIPTION, subscription_item="si_QXhVnC2h0Jczwc")
    paid["lines"]["data"].insert(0, {"object": "line_item", "type": "invoiceitem", "period": {"start": 1, "end": 2}})
    deliver(client, event("invoice.paid", paid))
    assert CreditGrant.objects.filter(stripe_invoice_id="in_1OlderShape0001").exists()
    member.refresh_from_db()
    assert int(member.current_period_start.timestamp()) == start

    older_subscription = subscription(SUBSCRIPTION, cancel_at_period_end=True)
    del older_subscription["items"]["data"][0]["current_period_end"]
    older_subscription.update(current_period_start=start, current_period_end=start + 31 * DAY)
    deliver(client, event("customer.subscription.updated", older_subscription, created=int(time.time()) + 60))
    member.refresh_from_db()
    assert member.cancel_at_period_end and int(member.current_period_end.timestamp()) == start + 31 * DAY


def test_a_delivery_compiles_none_of_its_reads(client, shop, compiled_sql):
    """The order, its line and the stored event are read by prepared queries (built once per
    connection); only the writes are compiled per delivery."""
    deliver(client, event("checkout.session.completed", checkout_session(pending_series_order(shop))))
    completed = event("checkout.session.completed", checkout_session(pending_series_order(shop)))
    selects = compiled_sql()
    assert webhooks.process_event(completed) == (200, "processed")
    assert selects == []
    assert Order.objects.get(public_token=completed["data"]["object"]["client_reference_id"]).status == (
        Order.Status.FULFILLED
    )
