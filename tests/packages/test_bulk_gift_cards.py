"""Bulk gift cards: the API, a purchase through the real SDK and a signed webhook, one card per recipient
on their date, exactly once; the codes' one-time download; refunds; the stand-in end to end; the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.tasks import task_backends
from django.utils import timezone

from packages import services
from packages.models import BulkRecipient, GiftCard, Order, PromotionCode
from packages.services import giftcards as giftcard_services

from .conftest import checkout_session, event, post_webhook
from .test_account import sign_in
from .test_balance_check import captured_logs, delivered_card  # noqa: F401 - captured_logs: every log line
from .test_gateway import fake_stripe  # noqa: F401 - real mode with the SDK's fake transport
from .test_refunds import charge_refunded

pytestmark = pytest.mark.django_db

API = "/api/shop/gift-cards/bulk"


def day(offset: int):
    return timezone.localdate() + timedelta(days=offset)


def team() -> list[dict]:
    return [
        {"name": "Sam Rivera", "email": "sam@example.com", "message": "Thank you for this year."},
        {"name": "Alex Chen", "email": "alex@example.com", "delivery_date": f"{day(5)}"},
        {"name": "Kim Park", "email": "kim@example.com", "message": "Rest well.", "delivery_date": f"{day(30)}"},
    ]


def body(shop, **extra) -> dict:
    return {
        "slug": shop.gift.slug,
        "email": "dana@example.com",
        "name": "Dana Office",
        "sender_name": "Northside Dental",
        "amount_minor": 5000,
        "delivery": "recipients",
        "recipients": team(),
        **extra,
    }


def buy(client, shop, **extra):
    return client.post(API, body(shop, **extra), content_type="application/json")


def to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


# --- The API -------------------------------------------------------------------------------------------


def test_bad_fields_and_rows_answer_422_one_message_each(client, shop):
    recipients = [*team(), {"name": "", "email": "jo@", "delivery_date": f"{day(-1)}", "message": "x" * 1001}]
    response = buy(client, shop, email="nope", amount_minor=1, recipients=recipients)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {
        "email",
        "amount",
        "recipients.3.name",
        "recipients.3.email",
        "recipients.3.message",
        "recipients.3.delivery_date",
    }
    assert errors["recipients.3.email"].startswith("Recipient 4, email: enter a valid email address")
    assert (
        errors["recipients.3.delivery_date"]
        == "Recipient 4, delivery_date: the date has passed: choose today or a later date."
    )
    assert not Order.objects.exists() and not BulkRecipient.objects.exists()


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"delivery": "codes", "recipients": [], "quantity": 0}, "quantity", "Order between 1 and 100 cards."),
        ({"delivery": "codes", "recipients": [], "quantity": 101}, "quantity", "Order between 1 and 100 cards."),
        ({"delivery": "codes"}, "recipients", "Leave the recipients out when the codes come to you"),
        ({"recipients": []}, "recipients", "Add at least one recipient"),
        ({"recipients": team() * 34}, "recipients", "The list has 102 recipients; one order takes at most 100."),
        ({"quantity": 5}, "quantity", "The list has 3 recipients: order that many cards (one each)."),
        (
            {"recipients": [{"name": "A", "email": "a@example.com", "delivery_date": "soon"}]},
            "recipients.0.delivery_date",
            "",
        ),
        ({"delivery": "post"}, "delivery", ""),
    ],
    ids=[
        "none",
        "too-many-codes",
        "codes-with-list",
        "empty-list",
        "too-many-rows",
        "quantity-mismatch",
        "date",
        "delivery",
    ],
)
def test_each_problem_is_named_on_its_field(client, shop, extra, field, message):
    response = buy(client, shop, **extra)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert response.json()["errors"][field].startswith(message)


def test_the_openapi_schema_lists_the_bulk_checkout_and_its_fields(client):
    schema = client.get("/api/shop/openapi.json").json()
    assert "/api/shop/gift-cards/bulk" in schema["paths"] and "/api/shop/orders/{token}/codes" in schema["paths"]
    fields = schema["components"]["schemas"]["BulkCheckoutIn"]["properties"]
    assert {"amount_minor", "delivery", "quantity", "recipients", "sender_name", "promotion_code", "gift_card"} <= set(
        fields
    )
    recipient = schema["components"]["schemas"]["RecipientIn"]["properties"]
    assert set(recipient) == {"name", "email", "message", "delivery_date"}


# --- A purchase through the real SDK and a signed webhook ------------------------------------------------


def test_a_bulk_purchase_through_stripe_makes_one_card_per_recipient_once(client, shop, fake_stripe):  # noqa: F811
    response = buy(client, shop)
    assert response.status_code == 201, response.content
    order = Order.objects.get(public_token=response.json()["order"])
    assert (order.kind, order.amount_total_minor, order.sender_name) == ("gift-card-bulk", 15000, "Northside Dental")
    sent = fake_stripe.sent[-1]
    assert sent.path == "/v1/checkout/sessions"
    assert sent.params["line_items[0][quantity]"] == "3"
    assert sent.params["line_items[0][price_data][unit_amount]"] == "5000"
    assert sent.params["metadata[kind]"] == "gift-card-bulk"
    assert order.bulk_recipients.count() == 3 and not GiftCard.objects.exists()  # stored before payment

    paid = event("checkout.session.completed", checkout_session(order, amount_subtotal=15000, amount_total=15000))
    assert post_webhook(client, paid).status_code == 200
    cards = {card.recipient_email: card for card in GiftCard.objects.filter(order=order)}
    assert set(cards) == {"sam@example.com", "alex@example.com", "kim@example.com"}
    assert {card.deliver_on for card in cards.values()} == {day(0), day(5), day(30)}
    assert all(card.initial_amount_minor == card.balance_minor == 5000 for card in cards.values())
    assert (
        cards["kim@example.com"].message == "Rest well." and cards["kim@example.com"].sender_name == "Northside Dental"
    )
    assert all(recipient.card_id for recipient in order.bulk_recipients.all())
    # Today's recipient has their card; the others wait for their dates.
    assert cards["sam@example.com"].status == GiftCard.Status.ACTIVE and len(to("sam@example.com")) == 1
    assert GiftCard.objects.filter(order=order, status=GiftCard.Status.SCHEDULED).count() == 2
    assert not to("alex@example.com") and not to("kim@example.com")
    receipt = to("dana@example.com")
    assert len(receipt) == 1 and "each of your 3 recipients" in receipt[0].body

    # The same event again, and a new event for the same session: no card more, no email more.
    assert post_webhook(client, paid).status_code == 200
    again = event("checkout.session.completed", checkout_session(order, amount_subtotal=15000, amount_total=15000))
    assert post_webhook(client, again).status_code == 200
    assert GiftCard.objects.filter(order=order).count() == 3 and len(mail.outbox) == 2

    # On Kim's date the delivery job sends Kim's card, to Kim only.
    later = day(30)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
        assert services.gift_cards_deliver_due().delivered == 2
    assert len(to("kim@example.com")) == 1 and "Rest well." in to("kim@example.com")[0].body
    assert len(to("dana@example.com")) == 1  # a bulk buyer gets no note per card


def test_each_card_is_queued_for_its_recipients_date(client, shop, monkeypatch):
    queued = []

    class Recorder:
        backend = "default"

        def enqueue(self, card_id, run_after=None):
            queued.append((GiftCard.objects.get(pk=card_id).recipient_email, run_after))

        def using(self, run_after):
            deferred = {"backend": "default", "enqueue": lambda _, card_id: self.enqueue(card_id, run_after)}
            return type("Deferred", (), deferred)()

    monkeypatch.setattr(giftcard_services, "deliver_gift_card", Recorder())
    monkeypatch.setattr(type(task_backends["default"]), "supports_defer", True)
    order = Order.objects.get(public_token=buy(client, shop).json()["order"])
    post_webhook(client, event("checkout.session.completed", checkout_session(order, amount_subtotal=15000)))
    at_eight = {
        email: timezone.make_aware(timezone.datetime.combine(day(offset), timezone.datetime.min.time().replace(hour=8)))
        for email, offset in (("alex@example.com", 5), ("kim@example.com", 30))
    }
    assert sorted(queued) == sorted([("sam@example.com", None), *at_eight.items()])


def test_a_promotion_code_takes_off_the_whole_order(client, shop):
    PromotionCode.objects.create(code="TEAM10", percent_off=10, offer_kinds=["gift-card-bulk"])
    response = buy(client, shop, promotion_code="team10")
    order = Order.objects.get(public_token=response.json()["order"])
    assert (order.amount_total_minor, order.discount_minor) == (15000, 1500)
    refused = buy(client, shop, promotion_code="NOPE")
    assert refused.status_code == 422 and refused.json()["errors"] == {
        "promotion_code": "This promotion code is not valid."
    }


# --- The codes: one download ------------------------------------------------------------------------------


def paid_codes_order(client, shop, deliver_in_process, quantity: int = 3) -> Order:
    """Through the page and the stand-in's Pay button, as a buyer does in the demo."""
    page = f"/shop/gift-cards/{shop.gift.slug}/bulk/"
    data = {"name": "Dana", "email": "dana@example.com", "amount": "100", "delivery": "codes", "quantity": quantity}
    checkout = client.post(page, data)
    assert checkout.status_code == 302
    paid = client.post(checkout["Location"].replace("http://127.0.0.1:8000", ""), {"action": "pay"})
    assert paid.status_code == 302
    return Order.objects.get()


def test_the_codes_download_once_and_work_at_the_desk(client, shop, deliver_in_process, captured_logs):  # noqa: F811
    order = paid_codes_order(client, shop, deliver_in_process)
    assert order.status == Order.Status.FULFILLED
    assert GiftCard.objects.filter(order=order, status="scheduled", delivery="download").count() == 3
    assert services.gift_cards_deliver_due().delivered == 0  # never emailed
    page = client.get(order.get_absolute_url()).content.decode()
    assert "Download 3 codes (once)" in page

    download = client.post(f"/shop/orders/{order.public_token}/codes/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "no-store" in download["Cache-Control"]
    lines = download.content.decode().splitlines()
    assert lines[0] == "code,amount,currency,expires" and len(lines) == 4
    codes = [line.split(",")[0] for line in lines[1:]]
    assert all(services.gift_card_find(code=code).order_id == order.pk for code in codes)
    assert GiftCard.objects.filter(order=order, status="active").count() == 3

    second = client.post(f"/shop/orders/{order.public_token}/codes/", follow=True)
    text = second.content.decode()
    assert "can be downloaded only once" in text
    assert "The codes were downloaded on" in client.get(order.get_absolute_url()).content.decode()
    api = client.post(f"/api/shop/orders/{order.public_token}/codes")
    assert api.status_code == 409 and "only once" in api.json()["detail"]

    seen = "\n".join(captured_logs) + text + api.content.decode() + "".join(m.body for m in mail.outbox)
    seen += "".join(str(alt[0]) for m in mail.outbox for alt in getattr(m, "alternatives", []))
    for code in codes:
        assert code not in seen and code.replace("-", "") not in seen
    assert "gift codes downloaded by the buyer" in "\n".join(captured_logs)  # the capture sees our log


def test_the_api_hands_the_codes_out_once_too(client, shop, deliver_in_process):
    order = paid_codes_order(client, shop, deliver_in_process, quantity=2)
    first = client.post(f"/api/shop/orders/{order.public_token}/codes")
    assert first.status_code == 200 and len(first.content.decode().splitlines()) == 3
    assert client.post(f"/api/shop/orders/{order.public_token}/codes").status_code == 409
    status = client.get(f"/api/shop/orders/{order.public_token}").json()
    assert (status["bulk_delivery"], status["gift_cards_issued"], status["codes_waiting"]) == ("codes", 2, 0)


def test_an_unpaid_order_has_no_codes(client, shop):
    response = buy(client, shop, delivery="codes", recipients=[], quantity=2)
    token = response.json()["order"]
    assert client.post(f"/api/shop/orders/{token}/codes").status_code == 409
    assert not GiftCard.objects.exists()


# --- The stand-in end to end, refunds, staff ----------------------------------------------------------------


def test_the_stand_in_runs_a_recipients_order_from_the_page(client, shop, deliver_in_process):
    page = f"/shop/gift-cards/{shop.gift.slug}/bulk/"
    csv_text = f"name,email,message,delivery_date\nSam,sam@example.com,Hi,\nAlex,alex@example.com,,{day(7)}\n"
    data = {"name": "Dana", "email": "dana@example.com", "amount": "50", "delivery": "recipients"}
    checkout = client.post(page, {**data, "recipients_text": csv_text})
    stand_in = client.get(checkout["Location"].replace("http://127.0.0.1:8000", "")).content.decode()
    assert "$100" in stand_in  # 2 × $50 on the stand-in's page
    client.post(checkout["Location"].replace("http://127.0.0.1:8000", ""), {"action": "pay"})
    order = Order.objects.get()
    assert order.status == Order.Status.FULFILLED and order.gift_cards.count() == 2
    assert ("checkout.session.completed", 200) in deliver_in_process
    assert len(to("sam@example.com")) == 1 and not to("alex@example.com")
    status = client.get(order.get_absolute_url()).content.decode()
    assert "Who gets a card" in status and "Alex" in status and day(7).strftime("%B %-d, %Y") in status


def test_a_bulk_order_is_refunded_in_full_only_and_every_card_is_voided(client, shop, django_user_model):
    order = Order.objects.get(public_token=buy(client, shop).json()["order"])
    post_webhook(client, event("checkout.session.completed", checkout_session(order, amount_subtotal=15000)))
    order.refresh_from_db()
    manager = django_user_model.objects.create_user("boss-bulk", password="pw-123456789")
    with pytest.raises(services.BalanceError, match="refunded in full"):
        services.order_refund(order_id=order.pk, amount_minor=5000, actor=manager, reason="one left")
    assert services.refund_preview(order=order, amount_minor=15000)["money_minor"] == 15000
    post_webhook(client, charge_refunded(order, [("re_bulk", 15000)]))
    assert set(GiftCard.objects.filter(order=order).values_list("status", "balance_minor")) == {("voided", 0)}
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED
    assert services.gift_cards_deliver_due().delivered == 0  # voided cards are never sent


def test_staff_see_the_order_with_its_cards(client, shop, django_user_model):
    order = Order.objects.get(public_token=buy(client, shop).json()["order"])
    post_webhook(client, event("checkout.session.completed", checkout_session(order, amount_subtotal=15000)))
    manager = django_user_model.objects.create_user("boss-cards", password="pw-123456789")
    manager.groups.add(Group.objects.get(name="Managers"))
    client.force_login(manager)
    page = client.get(f"/admin/shop/orders/inspect/{order.pk}/").content.decode()
    assert "Gift cards" in page and page.count("/admin/front-desk/gift-cards/") >= 3
    assert "kim@example.com" in page
    listing = client.get(f"/admin/shop/gift-cards/?q={order.public_token}")
    assert listing.status_code == 200 and listing.content.decode().count("Gift card ") >= 3
    assert client.get("/admin/shop/orders/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_a_manager_lets_a_buyer_who_lost_the_file_download_new_codes(
    client, shop, deliver_in_process, django_user_model
):
    order = paid_codes_order(client, shop, deliver_in_process)
    codes = [
        line.split(",")[0]
        for line in client.post(f"/api/shop/orders/{order.public_token}/codes").content.decode().splitlines()[1:]
    ]
    spent = services.gift_card_find(code=codes[0])
    services.gift_card_redeem(card_id=spent.pk, amount_minor=1000, actor=None, code=codes[0])
    manager = django_user_model.objects.create_user("boss-codes", password="pw-123456789")
    manager.groups.add(Group.objects.get(name="Managers"))
    client.force_login(manager)
    inspect = client.get(f"/admin/shop/orders/inspect/{order.pk}/").content.decode()
    assert f"/admin/front-desk/orders/{order.pk}/new-codes/" in inspect
    assert client.get(f"/admin/front-desk/orders/{order.pk}/new-codes/").status_code == 200
    client.post(f"/admin/front-desk/orders/{order.pk}/new-codes/", {"reason": "Dana lost the file (phone call)"})
    assert services.gift_card_find(code=codes[0]).pk == spent.pk  # spent from: someone holds it, it keeps working
    assert all(services.gift_card_find(code=code) is None for code in codes[1:])  # the others stopped working
    assert GiftCard.objects.get(pk=services.gift_card_find(code=codes[0]).pk).entries.filter(kind="adjust").count() == 0
    again = client.post(f"/api/shop/orders/{order.public_token}/codes")
    fresh = [line.split(",")[0] for line in again.content.decode().splitlines()[1:]]
    assert again.status_code == 200 and len(fresh) == 2 and not set(fresh) & set(codes)
    assert client.post(f"/api/shop/orders/{order.public_token}/codes").status_code == 409
    cancelled = GiftCard.objects.filter(order=order).exclude(pk=spent.pk)
    assert all("Dana lost the file" in card.entries.get(kind="adjust").reason for card in cancelled)


def test_a_gift_card_pays_part_of_a_bulk_order_and_stripe_the_rest(client, shop):
    card, code = delivered_card(shop.gift, amount_minor=10000)
    response = buy(client, shop, gift_card=code)  # 3 × $50: the card pays $100, Stripe $50
    assert response.status_code == 201
    order = Order.objects.get(public_token=response.json()["order"])
    item = order.stand_in_sessions.get().params["line_items"][0]
    assert (item["quantity"], item["price_data"]["unit_amount"]) == (1, 5000)
    assert (order.card_amount_minor, order.card_hold) == (10000, "held")


def test_a_bulk_buyers_account_lists_the_cards_they_gave_not_as_received(client, shop, deliver_in_process):
    order = paid_codes_order(client, shop, deliver_in_process, quantity=2)
    client.post(f"/api/shop/orders/{order.public_token}/codes")
    sign_in(client, "dana@example.com")
    page = client.get("/shop/account/").content.decode()
    assert "Gift cards you received" not in page  # the codes were for the buyer to hand out
    assert page.count("Handed out by you") == 2 and "$100 gift card" in page and "$200 gift card" not in page
