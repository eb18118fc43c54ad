"""The printable gift card: a signed, expiring link from the recipient's email; the code is typed, never in a URL."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.utils.dateformat import format as date_format

from packages import services
from packages.models import GiftCard
from packages.storefront import giftcards as account

from .conftest import checkout_session, make_order, start_checkout

pytestmark = pytest.mark.django_db

MESSAGE = "Happy birthday — rest that back!"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def deliver(offer, **order_kwargs) -> tuple[GiftCard, str, str]:
    """A delivered gift card, its code, and the print link from the recipient's email."""
    gift = services.GiftDetails(
        recipient_name="Ana Recipient", recipient_email="ana@example.com", sender_name="Sam Giver", message=MESSAGE
    )
    order = start_checkout(make_order(offer, gift=gift, **order_kwargs))
    services.order_fulfil(session=checkout_session(order))
    card = GiftCard.objects.get(order=order)
    mail.outbox.clear()
    code = services.gift_card_deliver(card_id=card.pk, force=True)
    card.refresh_from_db()
    email = next(m for m in mail.outbox if m.to == ["ana@example.com"])
    match = re.search(r"https?://\S+?(/shop/gift-cards/print/[^/\s]+/)", email.body)
    assert match, email.body
    assert match.group(0) in email.alternatives[0].content
    return card, code, match.group(1)


def test_email_link_shows_the_card_and_the_typed_code_adds_qr(client, shop):
    card, code, path = deliver(shop.gift, amount_minor=7500)
    for variant in (code, code.lower(), services.format_gift_code(code), code[:8]):
        assert variant not in path

    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "A $75 gift card" in body and "Ana Recipient" in body and "Sam Giver" in body and MESSAGE in body
    assert "This gift card does not expire." in body and "Keep it safe" in body
    assert "<svg" not in body and services.format_gift_code(code) not in body

    printable = client.post(path, {"code": " " + code.lower()})
    assert printable.status_code == 200
    body = printable.content.decode()
    assert "<svg" in body and 'aria-label="QR code of the gift code"' in body
    assert services.format_gift_code(code) in body
    assert "A $75 gift card" in body and MESSAGE in body and "Terms" in body
    assert "Print this card" in body and "Save as PDF" in body


def test_series_card_and_expiry_terms(client, shop, settings):
    settings.GIFT_CARD_EXPIRY_YEARS = 5
    card, code, path = deliver(shop.series)
    body = client.post(path, {"code": code}).content.decode()
    assert "5 deep tissue sessions" in body and "<svg" in body
    assert f"Book the sessions by {date_format(card.grant.expires_at, 'F j, Y')}" in body

    money, money_code, money_path = deliver(shop.gift, amount_minor=5000)
    body = client.post(money_path, {"code": money_code}).content.decode()
    assert f"Valid until {date_format(money.expires_at, 'F j, Y')}, 5 years from the day it was sent" in body
    assert "US CARD Act" in body and "five years" in body


def test_tampered_expired_and_superseded_links_are_refused(client, shop, monkeypatch):
    card, code, path = deliver(shop.gift, amount_minor=7500)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    forged = signing.dumps({"c": card.pk, "h": "0" * 16}, salt=account.PRINT_TOKEN_SALT)
    other_salt = signing.dumps({"c": card.pk, "h": account._code_check(card)})
    for bad in (tampered, forged, other_salt):
        response = client.get(f"/shop/gift-cards/print/{bad}/")
        assert response.status_code == 404 and "expired or is not valid" in response.content.decode()
        assert client.post(f"/shop/gift-cards/print/{bad}/", {"code": code}).status_code == 404

    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 31 * 86400)
    old = account.gift_card_print_token(card)
    monkeypatch.setattr(signing.time, "time", real_time)
    assert client.get(f"/shop/gift-cards/print/{old}/").status_code == 404

    # A resent card has a new code: the old link (and the old code) stop working.
    services.gift_card_resend(card_id=card.pk, actor=None, send_now=True)
    assert client.get(path).status_code == 404


def test_link_accepts_only_its_own_cards_code(client, shop):
    _, _, path = deliver(shop.gift, amount_minor=7500)
    _, other_code, _ = deliver(shop.gift, amount_minor=5000)
    response = client.post(path, {"code": other_code})
    assert response.status_code == 404 and "does not match this gift card" in response.content.decode()
    assert "<svg" not in response.content.decode()


def test_print_by_code_without_a_link(client, shop):
    _, code, _ = deliver(shop.gift, amount_minor=7500)
    assert "Show my card" in client.get("/shop/gift-cards/print/").content.decode()
    body = client.post("/shop/gift-cards/print/", {"code": services.format_gift_code(code)}).content.decode()
    assert "<svg" in body and "A $75 gift card" in body
    missing = client.post("/shop/gift-cards/print/", {"code": "ABCDEFGHJKMNPQRS"})
    assert missing.status_code == 404 and "We could not find a gift card ready to use" in missing.content.decode()
