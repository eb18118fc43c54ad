"""Issue 12 at the front desk: codes travel by POST only, and money leaves a card only with its code."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from packages import services
from packages.models import GiftCard
from packages.services import GiftDetails

from .conftest import checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_card(client, shop):
    order = make_order(
        shop.gift,
        amount_minor=10000,
        gift=GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam"),
    )
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    code = next(re.search(r"Your gift code: (\S+)", m.body).group(1) for m in mail.outbox if "gift code:" in m.body)
    return GiftCard.objects.get(), code


# --- 1. Look-ups by POST ------------------------------------------------------------------------------


def test_the_search_form_posts(desk):
    page = desk.get("/admin/front-desk/").content.decode()
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", page).group(0)
    assert 'method="post"' in form and "csrfmiddlewaretoken" in page


def test_a_code_is_found_by_post_and_never_echoed(desk, paid_card):
    card, code = paid_card
    typed = code.lower().replace("-", " ")
    body = desk.post("/admin/front-desk/", {"q": typed}).content.decode()
    assert f"Gift card ending {card.code_last4}" in body
    assert code not in body and typed not in body and card.code_hash not in body
    unknown = desk.post("/admin/front-desk/", {"q": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "No gift card has that code" in unknown and "AAAA-BBBB-CCCC-DDDD" not in unknown


def test_a_code_sent_by_get_is_not_looked_up(desk, paid_card):
    card, code = paid_card
    body = desk.get("/admin/front-desk/", {"q": code}).content.decode()
    assert f"Gift card ending {card.code_last4}" not in body
    assert "looks like a gift-card code" in body and "only through the form" in body
    assert code not in body and card.code_hash not in body


def test_names_and_emails_are_still_found_by_get_and_post(desk, paid_card):
    card, _ = paid_card
    by_get = desk.get("/admin/front-desk/", {"q": "maya"}).content.decode()
    by_post = desk.post("/admin/front-desk/", {"q": "maya.buyer@example.com"}).content.decode()
    assert "maya.buyer@example.com" in by_get and "maya.buyer@example.com" in by_post


# --- 2. Money off a card only with its code, or a manager's override ---------------------------------


def redeem(client, card, **data):
    return client.post(f"/admin/front-desk/gift-cards/{card.pk}/redeem/", {"confirm": "yes", **data}, follow=True)


def test_the_confirmation_asks_for_the_code_without_echoing_anything(desk, paid_card):
    card, _ = paid_card
    page = desk.post(f"/admin/front-desk/gift-cards/{card.pk}/redeem/", {"amount": "45"}).content.decode()
    assert 'name="code"' in page and "Take $45 from the card ending" in page
    assert "override_reason" not in page  # front desk has no override


def test_front_desk_cannot_take_money_by_card_id_alone(desk, paid_card):
    card, _ = paid_card
    refused = redeem(desk, card, amount="45").content.decode()
    assert "Scan or type the card&#x27;s code" in refused
    wrong = redeem(desk, card, amount="45", code="AAAA-BBBB-CCCC-DDDD").content.decode()
    assert "That is not this card&#x27;s code" in wrong
    override = redeem(desk, card, amount="45", override_reason="customer says so").content.decode()
    assert "Only a manager can take money from a card without its code" in override
    card.refresh_from_db()
    assert card.balance_minor == 10000 and card.entries.count() == 1


def test_front_desk_takes_money_with_the_code_typed_or_scanned(desk, paid_card):
    card, code = paid_card
    done = redeem(desk, card, amount="45", code=code.lower().replace("-", " ")).content.decode()
    assert "Redeemed. $55 left" in done and code not in done
    card.refresh_from_db()
    assert card.balance_minor == 5500
    assert card.entries.latest("pk").reason == "Redeemed"


def test_a_code_reissued_meanwhile_is_refused(desk, paid_card):
    card, old_code = paid_card
    services.gift_card_resend(card_id=card.pk, actor=None, send_now=True)
    assert "not this card" in redeem(desk, card, amount="10", code=old_code).content.decode()
    card.refresh_from_db()
    assert card.balance_minor == 10000


def test_a_manager_may_go_without_the_code_with_a_reason_on_the_ledger(manager, paid_card):
    card, code = paid_card
    page = manager.post(f"/admin/front-desk/gift-cards/{card.pk}/redeem/", {"amount": "20"}).content.decode()
    assert 'name="override_reason"' in page and code not in page
    done = redeem(manager, card, amount="20", note="Room 3", override_reason="Card lost; ID checked").content.decode()
    assert "Redeemed. $80 left" in done
    entry = card.entries.latest("pk")
    assert entry.delta_minor == -2000 and entry.actor.username == "managers"
    assert entry.reason == "Without the code (manager override): Card lost; ID checked (Room 3)"
