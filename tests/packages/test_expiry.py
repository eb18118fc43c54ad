"""Expiry on the date: one ``expire`` entry per balance, balances still equal their ledgers.

Gift cards (money, or a gifted series) expire only under a configured legal expiry
(GIFT_CARD_EXPIRY_YEARS); with none, a gift never expires here whatever a row says.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from packages import services
from packages.models import CreditEntry, CreditGrant, Customer, GiftCard, GiftCardEntry, LedgerKind
from packages.services import expiry

from .conftest import checkout_session, make_order, start_checkout

pytestmark = pytest.mark.django_db

TERMS = {"treatment": "Deep tissue massage", "session_minutes": 60}


def assert_balances_equal_ledgers():
    for grant in CreditGrant.objects.all():
        assert grant.balance == sum(grant.entries.values_list("delta", flat=True)), grant
    for card in GiftCard.objects.all():
        assert card.balance_minor == sum(card.entries.values_list("delta_minor", flat=True)), card


def expire_entries(entries=CreditEntry):
    return list(entries.objects.filter(kind=LedgerKind.EXPIRE).order_by("pk"))


def grant(source: str, sessions: int, expires_in: timedelta | None, email: str = "ana@example.com") -> CreditGrant:
    customer, _ = Customer.objects.get_or_create(email=email)
    expires_at = None if expires_in is None else timezone.now() + expires_in
    return services.credit_grant_create(
        customer=customer, source=source, terms=TERMS, sessions=sessions, expires_at=expires_at, reason="Test"
    )


def delivered_money_card(shop, *, amount_minor=5000) -> GiftCard:
    gift = services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam")
    order = start_checkout(make_order(shop.gift, email="sam@example.com", amount_minor=amount_minor, gift=gift))
    services.order_fulfil(session=checkout_session(order))
    card = GiftCard.objects.get(order=order)
    services.gift_card_deliver(card_id=card.pk)
    card.refresh_from_db()
    return card


def test_expired_credits_lose_what_is_left_with_one_expire_entry_each(django_user_model):
    staff = django_user_model.objects.create_user("desk")
    series = grant(CreditGrant.Source.SERIES, 5, -timedelta(hours=2))
    services.credit_adjust(grant_id=series.pk, delta=-1, actor=staff, reason="used one before it expired")
    month = grant(CreditGrant.Source.MEMBERSHIP, 2, -timedelta(minutes=1), email="ben@example.com")
    manual = grant(CreditGrant.Source.MANUAL, 1, -timedelta(days=30), email="cy@example.com")
    used_up = grant(CreditGrant.Source.SERIES, 1, -timedelta(days=3), email="dee@example.com")
    services.credit_adjust(grant_id=used_up.pk, delta=-1, actor=staff, reason="used")
    current = grant(CreditGrant.Source.SERIES, 5, timedelta(days=10), email="eve@example.com")
    forever = grant(CreditGrant.Source.MANUAL, 3, None, email="fay@example.com")

    run = services.credits_expire()

    assert (run.credits, run.sessions, run.failed) == (3, 4 + 2 + 1, [])
    entries = expire_entries()
    assert [(e.grant_id, e.delta) for e in entries] == [(series.pk, -4), (month.pk, -2), (manual.pk, -1)]
    assert all(e.reason == "Expired unused" and e.actor is None for e in entries)
    balances = dict(CreditGrant.objects.values_list("pk", "balance"))
    assert balances == {series.pk: 0, month.pk: 0, manual.pk: 0, used_up.pk: 0, current.pk: 5, forever.pk: 3}
    assert_balances_equal_ledgers()

    again = services.credits_expire()  # a second run, or a second scheduler: nothing more
    assert (again.credits, again.sessions) == (0, 0)
    assert len(expire_entries()) == 3
    assert_balances_equal_ledgers()


def test_a_credit_extended_while_the_run_was_choosing_is_left_alone(monkeypatch, django_user_model):
    """The run picks credits by date, then decides again under each row's lock."""
    late = grant(CreditGrant.Source.SERIES, 3, -timedelta(hours=1))
    real_move = expiry.balance_move

    def extended_first(model, pk, **kwargs):
        # Staff extend the expiry between the run's query and its lock on the row.
        CreditGrant.objects.filter(pk=pk).update(expires_at=timezone.now() + timedelta(days=30))
        return real_move(model, pk, **kwargs)

    monkeypatch.setattr(expiry, "balance_move", extended_first)
    run = services.credits_expire()
    assert (run.credits, run.sessions) == (0, 0)
    late.refresh_from_db()
    assert late.balance == 3 and expire_entries() == []


def test_gifts_never_expire_here_without_a_legal_expiry(shop, settings):
    settings.GIFT_CARD_EXPIRY_YEARS = 0
    card = delivered_money_card(shop)
    assert card.expires_at is None  # no expiry: none is set at delivery
    gifted = grant(CreditGrant.Source.GIFT, 4, -timedelta(days=1))
    # Even a row carrying a past date (set under an earlier policy) keeps its value.
    GiftCard.objects.filter(pk=card.pk).update(expires_at=timezone.now() - timedelta(days=1))

    run = services.balances_expire()

    assert (run.credits, run.gift_cards) == (0, 0)
    card.refresh_from_db()
    gifted.refresh_from_db()
    assert card.balance_minor == 5000 and gifted.balance == 4
    assert expire_entries() == expire_entries(GiftCardEntry) == []


def test_gift_cards_expire_on_their_legal_expiry_with_one_entry_each(shop, settings, django_user_model):
    settings.GIFT_CARD_EXPIRY_YEARS = 5
    staff = django_user_model.objects.create_superuser("desk")
    card = delivered_money_card(shop)
    assert card.expires_at > timezone.now() + timedelta(days=4 * 365)  # five years from delivery
    services.gift_card_redeem(card_id=card.pk, amount_minor=1500, actor=staff, override_reason="test")
    other = delivered_money_card(shop, amount_minor=10000)  # not yet expired
    voided = delivered_money_card(shop, amount_minor=10000)
    services.gift_card_void(card_id=voided.pk, actor=staff, reason="fraud")
    gifted = grant(CreditGrant.Source.GIFT, 4, -timedelta(days=1))  # a gifted series past the same expiry
    past = timezone.now() - timedelta(minutes=5)
    GiftCard.objects.filter(pk__in=[card.pk, voided.pk]).update(expires_at=past)

    run = services.balances_expire()

    assert (run.gift_cards, run.amount_minor, run.credits, run.sessions) == (1, {"usd": 3500}, 1, 4)
    [entry] = expire_entries(GiftCardEntry)
    assert (entry.card_id, entry.delta_minor) == (card.pk, -3500)
    assert "5-year gift card expiry" in entry.reason
    assert dict(GiftCard.objects.values_list("pk", "balance_minor")) == {card.pk: 0, other.pk: 10000, voided.pk: 0}
    gifted.refresh_from_db()
    assert gifted.balance == 0
    assert_balances_equal_ledgers()

    again = services.balances_expire()
    assert (again.gift_cards, again.credits) == (0, 0)
    assert len(expire_entries(GiftCardEntry)) == 1 and len(expire_entries()) == 1
