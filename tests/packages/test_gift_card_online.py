"""Spending a gift card online: held when checkout starts, taken when paid, given back when not."""

from __future__ import annotations

import pytest
from django.utils import timezone

from packages import services
from packages.models import CreditGrant, GiftCard, LedgerKind, Order
from packages.reports.common import Period
from packages.reports.liability import liability_rows

from .conftest import checkout_session, event, post_webhook
from .test_balance_check import delivered_card

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(shop):
    """A delivered $100 gift card and its code."""
    return delivered_card(shop.gift, amount_minor=10000)


def api_checkout(client, shop, code, *, offer=None, **extra):
    offer = offer or shop.series
    body = {"kind": offer.kind, "slug": offer.slug, "email": "b@example.com", "name": "B", "accept_disclaimer": True}
    return client.post("/api/shop/checkout", {**body, "gift_card": code, **extra}, content_type="application/json")


def ledger_ok(card: GiftCard) -> bool:
    card.refresh_from_db()
    return card.balance_minor == sum(e.delta_minor for e in card.entries.all()) and card.balance_minor >= 0


def test_a_card_pays_part_and_stripe_the_rest(client, shop, card, deliver_in_process):
    card, code = card
    response = api_checkout(client, shop, code.lower())
    assert response.status_code == 201
    order = Order.objects.exclude(pk=card.order_id).get()
    assert (order.paid_with_card, order.card_amount_minor, order.card_hold) == (card, 10000, "held")
    card.refresh_from_db()
    assert card.balance_minor == 0 and ledger_ok(card)  # held: the desk cannot spend it meanwhile
    stand_in = order.stand_in_sessions.get()
    assert stand_in.params["line_items"][0]["price_data"]["unit_amount"] == 32500  # $425 less $100

    client.post(response.json()["checkout_url"].replace("http://127.0.0.1:8000", ""), {"action": "pay"})
    order.refresh_from_db()
    assert order.status == Order.Status.FULFILLED and order.card_hold == "captured"
    assert CreditGrant.objects.get(order=order).balance == 5
    kinds = list(card.entries.order_by("pk").values_list("kind", "delta_minor"))
    assert kinds[-3:] == [(LedgerKind.HOLD, -10000), (LedgerKind.RELEASE, 10000), (LedgerKind.REDEEM, -10000)]
    assert ledger_ok(card) and card.balance_minor == 0


def test_an_order_the_card_pays_entirely_skips_stripe(client, shop, card):
    card, code = card
    response = api_checkout(
        client,
        shop,
        code,
        offer=shop.gift,
        amount_minor=5000,
        gift={"recipient_name": "Jo", "recipient_email": "jo@example.com", "sender_name": "B"},
    )
    assert response.status_code == 201
    order = Order.objects.get(public_token=response.json()["order"])
    assert response.json()["checkout_url"].endswith(f"/shop/orders/{order.public_token}/")
    assert order.status == Order.Status.FULFILLED and not order.stand_in_sessions.exists()
    card.refresh_from_db()
    assert card.balance_minor == 5000 and ledger_ok(card)


@pytest.mark.parametrize("outcome", ["checkout.session.expired", "checkout.session.async_payment_failed"])
def test_an_unpaid_checkout_gives_the_hold_back_once(client, shop, card, outcome):
    card, code = card
    response = api_checkout(client, shop, code)
    order = Order.objects.get(public_token=response.json()["order"])
    session = checkout_session(order, status="expired", payment_status="unpaid")
    post_webhook(client, event(outcome, session))
    post_webhook(client, event(outcome, session))  # a second delivery releases nothing more
    card.refresh_from_db()
    assert card.balance_minor == 10000 and ledger_ok(card)
    assert card.entries.filter(kind=LedgerKind.RELEASE).count() == 1
    assert Order.objects.get(pk=order.pk).card_hold == "released"


@pytest.mark.parametrize(
    "make_unusable",
    [
        lambda card: None,  # a code that does not exist (see below)
        lambda card: GiftCard.objects.filter(pk=card.pk).update(status=GiftCard.Status.VOIDED),
        lambda card: GiftCard.objects.filter(pk=card.pk).update(balance_minor=0),
    ],
    ids=["unknown", "voided", "used-up"],
)
def test_an_unusable_card_gets_one_answer_on_its_field(client, shop, card, make_unusable):
    card, code = card
    make_unusable(card)
    response = api_checkout(client, shop, "ABCDEFGHJKMNPQRS" if make_unusable(card) is None else code)
    assert response.status_code == 422
    assert response.json()["errors"] == {"gift_card": services.giftcards.CARD_REFUSED}
    assert code not in response.content.decode()


def test_a_membership_cannot_be_paid_with_a_card(client, shop, card):
    _, code = card
    response = api_checkout(client, shop, code, offer=shop.plan)
    assert response.status_code == 422 and "not a membership" in response.json()["errors"]["gift_card"]


def test_the_offer_form_takes_a_card_and_never_shows_the_code_again(client, shop, card, deliver_in_process):
    _, code = card
    url = f"/shop/series/{shop.series.slug}/"
    data = {"name": "C", "email": "c@example.com", "gift_card": code}  # no disclaimer: refused
    page = client.post(url, data).content.decode()
    assert code not in page and services.format_gift_code(code) not in page
    assert client.post(url, {**data, "accept_disclaimer": "on"}).status_code == 302


def test_the_openapi_schema_lists_gift_card_on_checkout(client):
    schema = client.get("/api/shop/openapi.json").json()
    assert {"gift_card", "promotion_code"} <= set(schema["components"]["schemas"]["CheckoutIn"]["properties"])


def test_the_liability_report_ties_with_online_holds(client, shop, card, deliver_in_process):
    """A captured online spend: the month's gift money still closes at the cards' balances."""
    card, code = card
    paid = api_checkout(client, shop, code)  # holds $100, then paid: redeemed
    client.post(paid.json()["checkout_url"].replace("http://127.0.0.1:8000", ""), {"action": "pay"})
    rows = liability_rows(Period.month(timezone.localdate()))
    money = next(row for row in rows if row["unit"].endswith("cents") and "gift" in row["kind"].lower())
    assert money["closing"] == sum(c.balance_minor for c in GiftCard.objects.filter(kind="amount"))
    assert abs(money["redeemed"]) == 10000  # hold, release and redemption net to one redemption
