"""stripe_reconcile: whatever a webhook missed is applied from Stripe's own lists, once."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from packages import payments, services
from packages.models import CreditGrant, Membership, Order, OrderRefund

from .conftest import checkout_session, make_order
from .test_gateway import FakeStripeHTTP, fake_stripe  # noqa: F401 - real mode with the SDK's fake transport

pytestmark = pytest.mark.django_db


@pytest.fixture
def lost_webhooks(monkeypatch):
    """The stand-in's deliveries never arrive (our endpoint was down): only reconcile can apply them."""
    lost = []
    monkeypatch.setattr(payments.stand_in, "post_event", lambda evt: lost.append(evt["type"]) or 200)
    return lost


def pay_on_the_stand_in(order: Order, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.stand_in_checkout_pay(session_id=order.stripe_checkout_session_id)


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


def test_a_missed_payment_and_membership_month_are_applied_once(
    shop, lost_webhooks, django_capture_on_commit_callbacks
):
    series, plan = make_order(shop.series), make_order(shop.plan, email="member@example.com")
    pay_on_the_stand_in(series, django_capture_on_commit_callbacks)
    pay_on_the_stand_in(plan, django_capture_on_commit_callbacks)
    assert lost_webhooks == ["checkout.session.completed", "checkout.session.completed", "invoice.paid"]
    assert not CreditGrant.objects.exists()

    run = services.stripe_reconcile(since=an_hour_ago())
    assert (run.seen, run.applied, run.already, run.review) == (3, 2, 1, 0)  # the month came with its checkout
    assert Order.objects.get(pk=series.pk).status == Order.Status.FULFILLED
    assert CreditGrant.objects.get(order=series).balance == 5
    assert Membership.objects.get(order=plan).credit_grants.get().balance == 1

    again = services.stripe_reconcile(since=an_hour_ago())
    assert (again.seen, again.applied, again.already) == (3, 0, 3)
    assert CreditGrant.objects.count() == 2


def test_a_missed_refund_is_applied_once(shop, lost_webhooks, django_capture_on_commit_callbacks, django_user_model):
    order = make_order(shop.series)
    pay_on_the_stand_in(order, django_capture_on_commit_callbacks)
    services.stripe_reconcile(since=an_hour_ago())  # fulfils it
    manager = django_user_model.objects.create_user("boss-rc")
    with django_capture_on_commit_callbacks(execute=True):
        services.order_refund(order_id=order.pk, amount_minor=8500, actor=manager, reason="Moved")
    assert lost_webhooks[-1] == "charge.refunded"
    assert OrderRefund.objects.get().applied_at is None

    run = services.stripe_reconcile(since=an_hour_ago())
    assert run.applied == 1
    refund = OrderRefund.objects.get()
    assert refund.applied_at is not None and refund.sessions_revoked == 1
    assert services.stripe_reconcile(since=an_hour_ago()).applied == 0
    assert CreditGrant.objects.get().balance == 4


def test_the_command_prints_what_it_did(shop, lost_webhooks, django_capture_on_commit_callbacks, capsys):
    pay_on_the_stand_in(make_order(shop.series), django_capture_on_commit_callbacks)
    call_command("stripe_reconcile", "--since", "2h")
    assert capsys.readouterr().out.strip() == "Seen: 1. Already applied: 0. Applied now: 1. Needs review: 0."


class ListingStripe(FakeStripeHTTP):
    """Answers Stripe's list calls with what the test puts in ``listed``."""

    def __init__(self):
        super().__init__()
        self.listed: dict[str, list[dict]] = {}

    def _answer(self, method, path, params):
        kinds = {
            "/v1/checkout/sessions": "checkout_sessions",
            "/v1/invoices": "invoices",
            "/v1/refunds": "refunds",
            "/v1/disputes": "disputes",
        }
        if method == "get" and path in kinds:
            data = self.listed.get(kinds[path], [])
            return 200, {"object": "list", "data": data, "has_more": False, "url": path}
        return super()._answer(method, path, params)


def test_real_mode_lists_each_kind_since_the_window_and_applies_a_missed_session(shop, settings, monkeypatch):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET, settings.STRIPE_OFFLINE = "sk_test_x", "whsec_x", False
    fake = ListingStripe()
    monkeypatch.setattr(payments, "http_client", fake)
    order = make_order(shop.series, checkout=False)
    services.order_start_checkout(
        order=order, success_url="https://s/?id={CHECKOUT_SESSION_ID}", cancel_url="https://c"
    )
    order.refresh_from_db()
    fake.listed["checkout_sessions"] = [checkout_session(order)]
    since = int(time.time()) - 3 * 86400

    run = services.stripe_reconcile(since=datetime.fromtimestamp(since, tz=UTC))
    assert run.applied == 1 and Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED
    lists = [sent for sent in fake.sent if sent.method == "get"]
    assert [sent.path for sent in lists] == ["/v1/checkout/sessions", "/v1/invoices", "/v1/refunds", "/v1/disputes"]
    assert all(sent.params == {"created[gte]": str(since), "limit": "100"} for sent in lists)
    assert all(sent.headers["Stripe-Version"] == payments.API_VERSION for sent in lists)
    json.dumps(run.__dict__)  # plain numbers, printable by the command
