"""Gift-card codes: how they are made, hashed, typed back in, never stored, and delivered on their date."""

from __future__ import annotations

import hashlib
import hmac
import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from packages import services
from packages.models import GiftCard, GiftCardOffer

from .conftest import checkout_session, make_order, start_checkout
from .test_webhooks import site_tree  # noqa: F401 - the light page tree the shop needs

PROJECT_DIR = Path(__file__).resolve().parents[2]
RECIPIENT = "ana@example.com"


def fulfilled_gift_card(shop, *, deliver_on=None, amount_minor=5000) -> GiftCard:
    """A paid gift-card order, its card created but not yet delivered (no commit has run)."""
    gift = services.GiftDetails(
        recipient_name="Ana", recipient_email=RECIPIENT, sender_name="Sam", message="Enjoy!", delivery_date=deliver_on
    )
    order = start_checkout(make_order(shop.gift, email="sam@example.com", amount_minor=amount_minor, gift=gift))
    services.order_fulfil(session=checkout_session(order))
    card = GiftCard.objects.get(order=order)
    assert card.status == GiftCard.Status.SCHEDULED and card.code_hash is None
    return card


def to_recipient() -> list:
    return [message for message in mail.outbox if message.to == [RECIPIENT]]


# --- Making codes -------------------------------------------------------------------------------


def test_the_alphabet_has_no_look_alikes():
    alphabet = services.GIFT_CODE_ALPHABET
    assert len(set(alphabet)) == len(alphabet)
    assert not set("0O1IL") & set(alphabet)
    assert set(alphabet) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    assert len(alphabet) == 31  # 26 letters + 10 digits - 5 look-alikes: 16 characters carry ~79 bits


def test_new_codes_are_sixteen_characters_from_the_alphabet_and_do_not_repeat():
    codes = [services.new_gift_code() for _ in range(300)]
    assert all(len(code) == services.GIFT_CODE_LENGTH == 16 for code in codes)
    assert set("".join(codes)) == set(services.GIFT_CODE_ALPHABET)  # every character used, no other
    assert len(set(codes)) == len(codes)


def test_normalise_accepts_lower_case_spaces_and_dashes():
    assert services.normalise_gift_code("abcd-efgh jkmn\tpqrs") == "ABCDEFGHJKMNPQRS"
    assert services.normalise_gift_code("  ABCD - EFGH - JKMN - PQRS  ") == "ABCDEFGHJKMNPQRS"
    assert services.normalise_gift_code("") == services.normalise_gift_code(None) == ""


def test_format_groups_of_four():
    assert services.format_gift_code("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"
    assert services.format_gift_code("abcd efgh-jkmnpqrs") == "ABCD-EFGH-JKMN-PQRS"
    code = services.new_gift_code()
    assert services.normalise_gift_code(services.format_gift_code(code)) == code


def test_the_hash_is_an_hmac_under_the_gift_card_key(settings):
    settings.GIFT_CARD_CODE_KEY = "first-key"
    code = "ABCDEFGHJKMNPQRS"
    expected = hmac.new(b"first-key", code.encode(), hashlib.sha256).hexdigest()
    assert services.gift_code_hash(code) == expected
    assert services.gift_code_hash("abcd-efgh-jkmn-pqrs") == expected  # typed in any form
    assert expected != hashlib.sha256(code.encode()).hexdigest()  # keyed, not a bare digest
    settings.GIFT_CARD_CODE_KEY = "second-key"
    assert services.gift_code_hash(code) != expected
    assert services.gift_code_hash(code) == hmac.new(b"second-key", code.encode(), hashlib.sha256).hexdigest()


# --- Delivered cards: finding them, and what is kept ---------------------------------------------------


@pytest.mark.django_db
def test_a_delivered_card_is_found_by_its_code_in_any_form(shop):
    card = fulfilled_gift_card(shop)
    code = services.gift_card_deliver(card_id=card.pk)
    assert code and len(code) == 16

    grouped = services.format_gift_code(code)
    for typed in (code, code.lower(), grouped, grouped.lower(), grouped.replace("-", " "), f"  {grouped}  "):
        assert services.gift_card_find(code=typed) == card, typed

    wrong = code[:-1] + next(ch for ch in services.GIFT_CODE_ALPHABET if ch != code[-1])
    assert services.gift_card_find(code=wrong) is None
    assert services.gift_card_find(code=code[:-1]) is None  # short
    assert services.gift_card_find(code=code + "A") is None  # long
    assert services.gift_card_find(code="") is None


@pytest.mark.django_db
def test_the_code_is_never_stored_only_its_hash_and_last_four(shop, django_capture_on_commit_callbacks):
    card = fulfilled_gift_card(shop)
    with django_capture_on_commit_callbacks(execute=True):
        code = services.gift_card_deliver(card_id=card.pk)
    card.refresh_from_db()
    grouped = services.format_gift_code(code)

    assert card.status == GiftCard.Status.ACTIVE and card.delivered_at is not None
    assert card.code_hash == services.gift_code_hash(code)
    assert card.code_last4 == code[-4:]
    assert str(card).startswith(f"Gift card …{code[-4:]}")
    for field in GiftCard._meta.concrete_fields:
        value = str(field.value_from_object(card))
        assert code not in value and grouped not in value, field.name
    # Nowhere in the shop's tables either.
    dump = StringIO()
    call_command("dumpdata", "packages", stdout=dump)
    assert code not in dump.getvalue() and grouped not in dump.getvalue()
    # Only the recipient's email carries it; the purchaser is told the last four.
    [to_ana] = to_recipient()
    assert grouped in to_ana.body
    to_sam = [m for m in mail.outbox if m.to == ["sam@example.com"]]
    assert to_sam and all(code not in m.body and grouped not in m.body for m in to_sam)


# --- Scheduled delivery -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deliver_due_sends_todays_cards_once_and_future_cards_on_their_date(shop, monkeypatch):
    later = timezone.localdate() + timedelta(days=10)
    future = fulfilled_gift_card(shop, deliver_on=later)
    today = fulfilled_gift_card(shop, amount_minor=10000)

    assert services.gift_cards_deliver_due().delivered == 1
    assert services.gift_cards_deliver_due().delivered == 0  # nothing twice

    today.refresh_from_db()
    future.refresh_from_db()
    assert today.status == GiftCard.Status.ACTIVE and today.code_hash
    assert future.status == GiftCard.Status.SCHEDULED and future.code_hash is None and future.code_last4 == ""
    assert len(to_recipient()) == 1 and "$100" in to_recipient()[0].body
    assert services.gift_card_deliver(card_id=future.pk) is None  # not before its date, even when asked

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: later)
    assert services.gift_cards_deliver_due().delivered == 1
    assert services.gift_cards_deliver_due().delivered == 0
    future.refresh_from_db()
    assert future.status == GiftCard.Status.ACTIVE and future.code_hash != today.code_hash
    assert len(to_recipient()) == 2


# --- Expiry ---------------------------------------------------------------------------------------------


def _import_settings(years: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "GIFT_CARD_EXPIRY_YEARS"}
    env.update(GIFT_CARD_EXPIRY_YEARS=years, DEBUG="1")
    code = "import importlib, site_bootstrap; print(importlib.import_module('site.settings').GIFT_CARD_EXPIRY_YEARS)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize("years", ["3", "4", "1"])
def test_settings_refuse_an_expiry_shorter_than_five_years(years):
    result = _import_settings(years)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "GIFT_CARD_EXPIRY_YEARS must be 0 (no expiry) or at least 5" in result.stderr


@pytest.mark.parametrize("years", ["0", "5"])
def test_settings_accept_no_expiry_or_five_years(years):
    result = _import_settings(years)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == years


@pytest.mark.django_db
def test_with_five_years_a_delivered_card_expires_five_years_later_and_says_so(shop, settings):
    settings.GIFT_CARD_EXPIRY_YEARS = 5
    card = fulfilled_gift_card(shop)
    services.gift_card_deliver(card_id=card.pk)
    card.refresh_from_db()

    assert card.expires_at == services.add_months(card.delivered_at, 60)
    assert card.expires_at.year == card.delivered_at.year + 5
    assert (card.expires_at.month, card.expires_at.hour) == (card.delivered_at.month, card.delivered_at.hour)
    [message] = to_recipient()
    assert "Valid for 5 years from today." in message.body
    assert "valid for 5 years from issue" in GiftCardOffer.objects.get(pk=shop.gift.pk).terms_text()


@pytest.mark.django_db
def test_by_default_a_card_never_expires_and_says_so(shop, settings):
    settings.GIFT_CARD_EXPIRY_YEARS = 0
    card = fulfilled_gift_card(shop)
    services.gift_card_deliver(card_id=card.pk)
    card.refresh_from_db()
    assert card.expires_at is None
    [message] = to_recipient()
    assert "It does not expire." in message.body and "Valid for" not in message.body
