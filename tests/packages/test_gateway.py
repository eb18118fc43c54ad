"""The real gateway (``StripeGateway``) through the real stripe SDK, with a fake HTTP transport.

Nothing here touches the network: ``FakeStripeHTTP`` is a ``stripe.HTTPClient``
that records every request the SDK builds (method, URL, headers, the decoded
form body) and answers with Stripe-shaped JSON. So these tests check what we
really send Stripe (parameters, idempotency key, API version) and how every
kind of Stripe failure reaches the buyer.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
import stripe

from packages import payments, services
from packages.models import CreditGrant, Order, StripeEvent

from .conftest import EMAIL, checkout_session, event, make_order, post_webhook
from .test_webhooks import site_tree  # noqa: F401 - the light page tree the shop needs

pytestmark = pytest.mark.django_db

SECRET_KEY = "sk_test_51FakeKeyForTheTestSuiteOnly0000000000000000"
WEBHOOK_SECRET = "whsec_test_real_mode_secret_for_the_suite"
SUCCESS_URL = "https://studio.example/shop/orders/TOKEN/?session_id={CHECKOUT_SESSION_ID}"
CANCEL_URL = "https://studio.example/shop/orders/TOKEN/cancelled/"


@dataclass
class Sent:
    method: str
    host: str
    path: str
    headers: dict[str, str]
    params: dict[str, str]  # the decoded form body (POST) or query string (GET)


class FakeStripeHTTP(stripe.HTTPClient):
    """A transport for the real SDK: records requests, answers like api.stripe.com.

    ``fail_with`` holds canned outcomes used before the normal answers: a
    ``(status, body)`` pair, or an exception to raise (an ``APIConnectionError``
    is what the SDK's own transports raise when the network fails).
    """

    name = "fake"

    def __init__(self):
        super().__init__()
        self.sent: list[Sent] = []
        self.fail_with: list = []
        self.sessions: dict[str, dict] = {}

    def _sleep_time_seconds(self, num_retries: int) -> float:
        return 0.0  # the SDK retries (max_network_retries=2) without the real back-off

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        parts = urlsplit(url)
        raw = post_data if method == "post" else parts.query
        params = dict(parse_qsl(raw or "", keep_blank_values=True))
        self.sent.append(Sent(method, parts.netloc, parts.path, dict(headers), params))
        if self.fail_with:
            outcome = self.fail_with.pop(0)
            if isinstance(outcome, BaseException):
                raise outcome
            status, body = outcome
        else:
            status, body = self._answer(method, parts.path, params)
        return json.dumps(body), status, {"request-id": f"req_fake{len(self.sent)}"}

    def close(self):
        pass

    def _answer(self, method: str, path: str, params: dict[str, str]) -> tuple[int, dict]:
        if method == "post" and path == "/v1/checkout/sessions":
            session_id = f"cs_test_a1{secrets.token_hex(20)}"
            amount = (
                int(params["line_items[0][price_data][unit_amount]"])
                if "line_items[0][price_data][unit_amount]" in params
                else 7900
            )
            session = {
                "id": session_id,
                "object": "checkout.session",
                "amount_subtotal": amount,
                "amount_total": amount,
                "cancel_url": params["cancel_url"],
                "client_reference_id": params["client_reference_id"],
                "created": int(time.time()),
                "currency": params.get("line_items[0][price_data][currency]", "usd"),
                "customer": None,
                "customer_email": params.get("customer_email"),
                "expires_at": int(time.time()) + 86400,
                "invoice": None,
                "livemode": False,
                "metadata": {"order": params["metadata[order]"], "kind": params["metadata[kind]"]},
                "mode": params["mode"],
                "payment_intent": None,
                "payment_status": "unpaid",
                "status": "open",
                "subscription": None,
                "success_url": params["success_url"],
                "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            }
            self.sessions[session_id] = session
            return 200, session
        if method == "get" and path.startswith("/v1/checkout/sessions/"):
            session = self.sessions.get(path.rsplit("/", 1)[1])
            if session is None:
                return 404, {
                    "error": {
                        "type": "invalid_request_error",
                        "code": "resource_missing",
                        "message": "No such checkout.session",
                    }
                }
            body = dict(session)
            if params.get("expand[0]") == "line_items":
                body["line_items"] = {
                    "object": "list",
                    "data": [
                        {
                            "id": "li_1PgafyB7WZ01zgkW",
                            "object": "item",
                            "amount_total": session["amount_total"],
                            "currency": session["currency"],
                            "description": "5 deep tissue sessions",
                            "quantity": 1,
                            "price": {
                                "id": "price_1Pgafm",
                                "object": "price",
                                "unit_amount": session["amount_total"],
                                "unit_amount_decimal": str(session["amount_total"]),
                            },
                        }
                    ],
                    "has_more": False,
                    "url": f"/v1/checkout/sessions/{session['id']}/line_items",
                }
            return 200, body
        return 404, {
            "error": {
                "type": "invalid_request_error",
                "message": f"Unrecognized request URL ({method.upper()}: {path}).",
            }
        }

    def pay(self, session_id: str, **extra) -> None:
        """What Stripe's hosted page does when the buyer pays."""
        paid = {
            "status": "complete",
            "payment_status": "paid",
            "customer": "cus_QXg1o8vcGmoR32",
            "payment_intent": "pi_1PgafyB7WZ01zgkWSjxsAJo3",
            "url": None,
        }
        self.sessions[session_id].update({**paid, **extra})


@pytest.fixture
def fake_stripe(settings, monkeypatch) -> FakeStripeHTTP:
    """Real mode (a secret key is set) with the SDK's transport swapped for the fake."""
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_OFFLINE = False
    fake = FakeStripeHTTP()
    monkeypatch.setattr(payments, "http_client", fake)
    return fake


def checkout(order: Order) -> str:
    return services.order_start_checkout(order=order, success_url=SUCCESS_URL, cancel_url=CANCEL_URL)


def test_real_mode_uses_the_real_gateway(fake_stripe):
    gateway = payments.get_gateway()
    assert isinstance(gateway, payments.StripeGateway)
    assert gateway.offline is False


def test_series_checkout_sends_exactly_these_parameters(fake_stripe, shop):
    order = make_order(shop.series, checkout=False)
    url = checkout(order)

    assert len(fake_stripe.sent) == 1
    sent = fake_stripe.sent[0]
    assert (sent.method, sent.host, sent.path) == ("post", "api.stripe.com", "/v1/checkout/sessions")
    token = order.public_token
    assert sent.params == {
        "mode": "payment",
        "line_items[0][price_data][currency]": "usd",
        "line_items[0][price_data][unit_amount]": "42500",
        "line_items[0][price_data][product_data][name]": "5 deep tissue sessions",
        "line_items[0][price_data][product_data][description]": (
            "5 × 60-minute deep tissue massage sessions, valid for 6 months from purchase."
        ),
        "line_items[0][quantity]": "1",
        "client_reference_id": token,
        "metadata[order]": token,
        "metadata[kind]": "series",
        "customer_email": EMAIL,
        "success_url": SUCCESS_URL,
        "cancel_url": CANCEL_URL,
        "payment_intent_data[metadata][order]": token,
        "payment_intent_data[metadata][kind]": "series",
        "customer_creation": "always",
        "allow_promotion_codes": "true",  # codes made in Stripe's Dashboard work on its page too
    }
    assert "{CHECKOUT_SESSION_ID}" in sent.params["success_url"]  # Stripe fills it in on redirect
    assert sent.headers["Idempotency-Key"] == f"checkout-{order.idempotency_key}"
    assert sent.headers["Stripe-Version"] == stripe.api_version == "2026-10-28.endive"
    assert sent.headers["Authorization"] == f"Bearer {SECRET_KEY}"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"

    order.refresh_from_db()
    session_id = next(iter(fake_stripe.sessions))
    assert order.stripe_checkout_session_id == session_id
    assert url == order.checkout_url == f"https://checkout.stripe.com/c/pay/{session_id}"
    assert order.status == Order.Status.PENDING and order.failure_reason == ""


def test_membership_checkout_is_a_monthly_subscription(fake_stripe, shop):
    order = make_order(shop.plan, checkout=False)
    checkout(order)

    params = fake_stripe.sent[0].params
    token = order.public_token
    assert params["mode"] == "subscription"
    assert params["line_items[0][price_data][unit_amount]"] == "7900"
    assert params["line_items[0][price_data][currency]"] == "usd"
    assert params["line_items[0][price_data][recurring][interval]"] == "month"
    assert params["line_items[0][price_data][product_data][name]"] == "Monthly prevention"
    assert params["subscription_data[metadata][order]"] == token
    assert params["subscription_data[metadata][kind]"] == "membership"
    assert params["metadata[order]"] == params["client_reference_id"] == token
    # Subscription mode: no payment intent data, and Stripe refuses customer_creation there.
    assert not [key for key in params if key.startswith("payment_intent_data")]
    assert "customer_creation" not in params
    assert fake_stripe.sent[0].headers["Idempotency-Key"] == f"checkout-{order.idempotency_key}"


def test_membership_with_a_stripe_price_and_a_known_customer(fake_stripe, shop):
    shop.plan.stripe_price_id = "price_1PgafmB7WZ01zgkW6dKueIc5"
    shop.plan.save()
    order = make_order(shop.plan, checkout=False)
    order.customer.stripe_customer_id = "cus_QXg1o8vcGmoR32"
    order.customer.save()
    fake_stripe.fail_with.append(
        (
            200,
            {
                "id": "cs_test_price",
                "object": "checkout.session",
                "url": "https://checkout.stripe.com/c/pay/cs_test_price",
            },
        )
    )
    checkout(order)

    params = fake_stripe.sent[0].params
    assert params["line_items[0][price]"] == "price_1PgafmB7WZ01zgkW6dKueIc5"
    assert params["line_items[0][quantity]"] == "1"
    assert not [key for key in params if "price_data" in key]
    assert params["customer"] == "cus_QXg1o8vcGmoR32"
    assert "customer_email" not in params


def test_retrieving_a_session_expands_its_line_items(fake_stripe, shop):
    order = make_order(shop.series, checkout=False)
    checkout(order)
    order.refresh_from_db()

    session = payments.get_gateway().retrieve_checkout_session(order.stripe_checkout_session_id)

    sent = fake_stripe.sent[-1]
    assert (sent.method, sent.path) == ("get", f"/v1/checkout/sessions/{order.stripe_checkout_session_id}")
    assert sent.params == {"expand[0]": "line_items"}  # the SDK's encoding of expand=["line_items"]
    assert "Idempotency-Key" not in sent.headers  # only POSTs carry one
    assert type(session) is dict
    assert session["line_items"]["data"][0]["amount_total"] == 42500
    assert session["client_reference_id"] == order.public_token


def test_retrieved_session_is_plain_json_even_with_decimal_fields(fake_stripe, shop):
    """The SDK turns decimal strings (a line item's price.unit_amount_decimal) into Decimal objects."""
    order = make_order(shop.series, checkout=False)
    checkout(order)
    order.refresh_from_db()
    session = payments.get_gateway().retrieve_checkout_session(order.stripe_checkout_session_id)
    json.dumps(session)  # what we keep of it goes into JSON fields: a Decimal would raise TypeError
    assert session["line_items"]["data"][0]["price"]["unit_amount_decimal"] == "42500"


def test_success_page_in_real_mode_retrieves_the_session_and_fulfils(fake_stripe, shop, client):
    order = make_order(shop.series, checkout=False)
    checkout(order)
    order.refresh_from_db()
    session_id = order.stripe_checkout_session_id
    fake_stripe.pay(session_id)

    response = client.get(f"/shop/orders/{order.public_token}/?session_id={session_id}")

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    assert fake_stripe.sent[-1].params == {"expand[0]": "line_items"}
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert order.stripe_payment_intent_id == "pi_1PgafyB7WZ01zgkWSjxsAJo3"
    assert order.stripe_session["id"] == session_id and "line_items" not in order.stripe_session
    assert CreditGrant.objects.get(order=order).balance == 5


def test_success_page_for_a_payment_still_processing_keeps_the_session(fake_stripe, shop, client):
    """A bank debit: Checkout completes before the money arrives. The page says so, nothing is granted."""
    order = make_order(shop.series, checkout=False)
    checkout(order)
    order.refresh_from_db()
    session_id = order.stripe_checkout_session_id
    fake_stripe.pay(session_id, payment_status="unpaid")

    response = client.get(f"/shop/orders/{order.public_token}/?session_id={session_id}")

    assert response.status_code == 200
    assert "Payment processing" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Order.Status.PROCESSING and order.fulfilled_at is None
    assert not CreditGrant.objects.exists()
    # The session is kept as Stripe sent it, line items (and their decimal strings) included.
    assert order.stripe_session["line_items"]["data"][0]["price"]["unit_amount_decimal"] == "42500"


def test_a_retry_after_a_failure_sends_the_same_idempotency_key(fake_stripe, shop):
    order = make_order(shop.series, checkout=False)
    fake_stripe.fail_with.append(
        (
            429,
            {
                "error": {
                    "type": "invalid_request_error",
                    "code": "rate_limit",
                    "message": "Too many requests hit the API too quickly.",
                }
            },
        )
    )
    with pytest.raises(payments.GatewayError):
        checkout(order)
    checkout(Order.objects.get(pk=order.pk))  # the buyer presses "Try again": a new request

    first, second = fake_stripe.sent
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"] == f"checkout-{order.idempotency_key}"
    assert first.params == second.params  # same key, same request: Stripe can answer it once
    other = make_order(shop.series, email="other@example.com", checkout=False)
    checkout(other)
    assert fake_stripe.sent[-1].headers["Idempotency-Key"] == f"checkout-{other.idempotency_key}"
    assert other.idempotency_key != order.idempotency_key


def test_network_failures_are_retried_by_the_sdk_with_the_same_key(fake_stripe, shop):
    order = make_order(shop.series, checkout=False)
    fake_stripe.fail_with.extend(
        [
            stripe.APIConnectionError("Connection reset by peer", should_retry=True),
            (500, {"error": {"type": "api_error", "message": "An unknown error occurred"}}),
        ]
    )
    started = time.monotonic()
    url = checkout(order)
    assert time.monotonic() - started < 2  # no real back-off in the suite

    assert len(fake_stripe.sent) == 3  # two failures, then the answer (max_network_retries=2)
    assert {s.headers["Idempotency-Key"] for s in fake_stripe.sent} == {f"checkout-{order.idempotency_key}"}
    order.refresh_from_db()
    assert order.checkout_url == url and order.stripe_checkout_session_id


CARD_DECLINED = {
    "error": {
        "type": "card_error",
        "code": "card_declined",
        "decline_code": "generic_decline",
        "message": "Your card was declined.",
        "param": "",
    }
}
BAD_KEY = {
    "error": {
        "type": "invalid_request_error",
        "message": f"Invalid API Key provided: {SECRET_KEY[:8]}********************0000",
    }
}
BAD_REQUEST = {
    "error": {
        "type": "invalid_request_error",
        "code": "parameter_invalid_integer",
        "param": "line_items[0][price_data][unit_amount]",
        "message": "Invalid integer: -1",
    }
}
RATE_LIMITED = {
    "error": {
        "type": "invalid_request_error",
        "code": "rate_limit",
        "message": "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
    }
}
PROVIDER_DOWN = "We could not reach our payment provider. Please try again in a minute."


@pytest.mark.parametrize(
    ("outcomes", "user_message", "retryable", "requests"),
    [
        pytest.param([(402, CARD_DECLINED)], "Your card was declined.", False, 1, id="402-card_error"),
        pytest.param(
            [(401, BAD_KEY)],
            "Online payment is temporarily unavailable. Please call the studio to buy this.",
            False,
            1,
            id="401-authentication",
        ),
        pytest.param(
            [(400, BAD_REQUEST)],
            "The payment provider rejected this purchase. Please call the studio and we will sort it out.",
            False,
            1,
            id="400-invalid_request_error",
        ),
        pytest.param([(429, RATE_LIMITED)], PROVIDER_DOWN, True, 1, id="429-rate_limit"),
        pytest.param(
            [stripe.APIConnectionError("Could not connect to api.stripe.com", should_retry=True)] * 3,
            PROVIDER_DOWN,
            True,
            3,  # the SDK retried twice before giving up
            id="connection-error",
        ),
        pytest.param(
            [stripe.APIConnectionError("certificate verify failed", should_retry=False)],
            PROVIDER_DOWN,
            True,
            1,
            id="connection-error-not-retryable",
        ),
        pytest.param(
            [(500, {"error": {"type": "api_error", "message": "An unknown error occurred"}})] * 3,
            "The payment provider had a problem. Please try again in a few minutes.",
            True,
            3,
            id="500-api_error",
        ),
    ],
)
def test_stripe_failures_become_gateway_errors_and_keep_the_order(
    fake_stripe, shop, outcomes, user_message, retryable, requests
):
    order = make_order(shop.series, checkout=False)
    fake_stripe.fail_with.extend(outcomes)

    with pytest.raises(payments.GatewayError) as caught:
        checkout(order)

    error = caught.value
    assert error.user_message == user_message
    assert error.retryable is retryable
    assert isinstance(error.__cause__, stripe.StripeError)
    assert SECRET_KEY[:8] not in error.user_message and "param" not in error.user_message
    assert len(fake_stripe.sent) == requests
    # The order is kept as it was, with the reason, ready for another try.
    order = Order.objects.get(pk=order.pk)
    assert order.status == Order.Status.PENDING
    assert order.failure_reason == user_message
    assert order.stripe_checkout_session_id is None and order.checkout_url == ""
    assert order.amount_total_minor == 42500 and order.lines.get().unit_amount_minor == 42500

    # Stripe is back: the same order goes through and the reason is cleared.
    url = checkout(order)
    order.refresh_from_db()
    assert order.checkout_url == url and url.startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert order.stripe_checkout_session_id == url.rsplit("/", 1)[1]
    assert order.failure_reason == "" and order.status == Order.Status.PENDING
    keys = {s.headers["Idempotency-Key"] for s in fake_stripe.sent}
    assert keys == {f"checkout-{order.idempotency_key}"}


def test_api_checkout_answers_502_with_the_buyer_message(fake_stripe, shop, client):
    fake_stripe.fail_with.append((401, BAD_KEY))
    payload = {"kind": "series", "slug": "deep-5", "email": EMAIL, "name": "Maya", "accept_disclaimer": True}

    response = client.post("/api/shop/checkout", data=json.dumps(payload), content_type="application/json")

    assert response.status_code == 502
    message = "Online payment is temporarily unavailable. Please call the studio to buy this."
    assert response.json()["detail"] == message
    assert "Invalid API Key" not in response.content.decode()
    order = Order.objects.get()
    assert order.status == Order.Status.PENDING and order.failure_reason == message

    ok = client.post("/api/shop/checkout", data=json.dumps(payload), content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["checkout_url"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert fake_stripe.sent[-1].params["success_url"].endswith("?session_id={CHECKOUT_SESSION_ID}")


def test_offer_page_shows_the_gateway_error_and_keeps_the_form(fake_stripe, shop, client):
    fake_stripe.fail_with.append((402, CARD_DECLINED))
    response = client.post(
        shop.series.get_absolute_url(), {"name": "Maya Buyer", "email": EMAIL, "accept_disclaimer": "on"}
    )
    assert response.status_code == 400
    assert "Your card was declined." in response.content.decode()
    assert Order.objects.get().failure_reason == "Your card was declined."


def test_real_mode_webhook_needs_the_configured_secret(fake_stripe, shop, client):
    order = make_order(shop.series, checkout=False)
    checkout(order)
    order.refresh_from_db()
    paid = event("checkout.session.completed", checkout_session(order))

    offline_signed = post_webhook(client, paid, secret="whsec_offline_stand_in_not_a_real_secret")
    assert offline_signed.status_code == 400 and not StripeEvent.objects.exists()

    response = post_webhook(client, paid, secret=WEBHOOK_SECRET)
    assert response.status_code == 200
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED
    assert len(fake_stripe.sent) == 1  # only the checkout create: the webhook itself never calls Stripe
