"""Public gift-card balance: the page and POST /api/shop/gift-cards/balance."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from packages import services
from packages.models import GiftCard

from .conftest import cache_keys, checkout_session, make_order, start_checkout

pytestmark = pytest.mark.django_db

API = "/api/shop/gift-cards/balance"
PAGE = "/shop/gift-cards/balance/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def delivered_card(offer, **order_kwargs) -> tuple[GiftCard, str]:
    gift = services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam")
    order = start_checkout(make_order(offer, gift=gift, **order_kwargs))
    services.order_fulfil(session=checkout_session(order))
    card = GiftCard.objects.get(order=order)
    code = services.gift_card_deliver(card_id=card.pk, force=True)
    card.refresh_from_db()
    return card, code


def typed(code: str) -> str:
    """The code as a person might type it: lower case, in groups, with stray spaces."""
    return "  " + " ".join(code[i : i + 4] for i in range(0, len(code), 4)).lower() + " "


def ask(client, code: str, **extra):
    return client.post(API, {"code": code}, content_type="application/json", **extra)


def without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def amount_card(shop):
    card, code = delivered_card(shop.gift, amount_minor=7500)
    services.gift_card_redeem(card_id=card.pk, amount_minor=2000, actor=None, code=code)
    return card, code


def test_page_shows_balance_for_a_code_typed_loosely(client, amount_card):
    _, code = amount_card
    response = client.post(PAGE, {"code": typed(code)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "$55" in body and "No expiry date." in body
    assert code not in body and services.format_gift_code(code) not in body  # never echoed back


def test_api_returns_balance_for_money_and_series_cards(client, shop, amount_card):
    _, code = amount_card
    response = client.post(API, {"code": services.format_gift_code(code).lower()}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "kind": "amount",
        "currency": "usd",
        "balance_minor": 5500,
        "balance_display": "$55",
        "expires_at": None,
        "sessions_left": None,
        "session_minutes": None,
        "treatment": None,
    }
    series_card, series_code = delivered_card(shop.series)
    data = client.post(API, {"code": typed(series_code)}, content_type="application/json").json()
    assert (data["kind"], data["sessions_left"], data["session_minutes"]) == ("series", 5, 60)
    assert data["balance_display"] == "5 × 60-minute deep tissue massage sessions"
    # A gifted series follows the gift-card policy: no expiry by default (US CARD Act).
    assert data["expires_at"] is None and series_card.grant.expires_at is None


def test_same_answer_for_unknown_voided_expired_and_undelivered(client, shop, settings):
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "gift_code_ip": (100, 3600)}
    voided, voided_code = delivered_card(shop.gift, amount_minor=5000)
    services.gift_card_void(card_id=voided.pk, actor=None, reason="Refunded at the desk")
    expired, expired_code = delivered_card(shop.gift, amount_minor=5000)
    GiftCard.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    scheduled, scheduled_code = delivered_card(shop.gift, amount_minor=5000)
    GiftCard.objects.filter(pk=scheduled.pk).update(status=GiftCard.Status.SCHEDULED)
    unknown_code = "ABCDEFGHJKMNPQRS"

    pages, answers = set(), set()
    for code in (unknown_code, voided_code, expired_code, scheduled_code, "short"):
        page = client.post(PAGE, {"code": code})
        api = client.post(API, {"code": code}, content_type="application/json")
        assert (page.status_code, api.status_code) == (404, 404)
        pages.add(without_csrf(page.content.decode()))
        answers.add(api.content)
    assert len(pages) == 1 and len(answers) == 1
    assert "We could not find a gift card ready to use" in pages.pop()


def test_rate_limited_per_code_and_per_client(client, shop, settings, amount_card):
    _, code = amount_card
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "gift_code": (2, 3600), "gift_code_ip": (4, 3600)}
    # Per code: the same code from different clients, written differently, counts together.
    assert client.post(PAGE, {"code": code}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert ask(client, typed(code), REMOTE_ADDR="10.0.0.2").status_code == 200
    limited = ask(client, code.lower(), REMOTE_ADDR="10.0.0.3")
    assert limited.status_code == 429 and "try again later" in limited.json()["detail"]
    assert 0 < int(limited["Retry-After"]) <= 3600
    page = client.post(PAGE, {"code": code}, REMOTE_ADDR="10.0.0.4")
    assert page.status_code == 429
    assert "try again in about" in page.content.decode() and "$55" not in page.content.decode()

    # Per client: many different codes from one address.
    for guess in ("AAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBB", "CCCCCCCCCCCCCCCC", "DDDDDDDDDDDDDDDD"):
        assert ask(client, guess, REMOTE_ADDR="10.9.9.9").status_code == 404
    assert ask(client, "EEEEEEEEEEEEEEEE", REMOTE_ADDR="10.9.9.9").status_code == 429


def test_client_address_behind_trusted_proxies(client, shop, settings, amount_card):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "gift_code_ip": (1, 3600)}
    forwarded = {"HTTP_X_FORWARDED_FOR": "spoofed, 203.0.113.7", "REMOTE_ADDR": "10.0.0.1"}
    assert ask(client, "AAAAAAAAAAAAAAAA", **forwarded).status_code == 404
    assert ask(client, "BBBBBBBBBBBBBBBB", **forwarded).status_code == 429
    other = {"HTTP_X_FORWARDED_FOR": "spoofed, 203.0.113.8", "REMOTE_ADDR": "10.0.0.1"}
    assert ask(client, "CCCCCCCCCCCCCCCC", **other).status_code == 404


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def captured_logs():
    """Every log line at any level (works with or without pytest's logging plugin)."""
    handler = _Collect()
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s %(args)s"))
    # The root, and "django", which keeps its records to itself (settings: each line logged once).
    loggers = [logging.getLogger(), logging.getLogger("django")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler.lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_code_never_in_logs_or_cache_keys(client, shop, settings, captured_logs, amount_card):
    _, code = amount_card
    settings.SHOP_RATE_LIMITS = {**settings.SHOP_RATE_LIMITS, "gift_code": (1, 3600)}
    variants = {code, code.lower(), services.format_gift_code(code), services.format_gift_code(code).lower()}
    client.post(PAGE, {"code": typed(code)})  # found
    client.post(API, {"code": code}, content_type="application/json")  # 429
    client.post(PAGE, {"code": "ZZZZ-YYYY-XXXX-WWWW"})  # not found
    client.post(API, {"code": "zzzz yyyy xxxx wwww"}, content_type="application/json")
    client.post(API, {"code": "Q" * 80}, content_type="application/json")  # too long: 422

    joined = "\n".join(captured_logs)
    assert "Too Many Requests" in joined and "Not Found" in joined  # the capture sees request logs
    keys = cache_keys()
    assert "shop:rl:gift_code:" in keys
    for secret in (*variants, "ZZZZYYYYXXXXWWWW", "ZZZZ-YYYY", "zzzz yyyy", "Q" * 20):
        assert secret not in joined
        assert secret not in keys
