"""Expiry on the expiry date: what is left on an expired credit or gift card goes, with an ``expire`` entry.

Nobody can use an expired balance already (``usable()`` says so in real time); these
functions make the ledgers say it too, so balances and reports stop counting it. Run
them as often as you like (the scheduled job ``expire_balances`` runs them hourly):
each row is re-checked under its lock by :func:`.ledger.balance_move`, and a balance
already at zero writes nothing, so a second run, or two at once, expire each balance once.

* Session credits (series, membership months, staff-added) whose ``expires_at`` passed.
* Gift cards, money or a gifted series, only where the studio configured a legal
  expiry (``GIFT_CARD_EXPIRY_YEARS``, at least five years under the US CARD Act) and
  the card's date passed. With no expiry configured a gift is never expired here,
  whatever date a row carries.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from ..models import CreditGrant, GiftCard, LedgerKind
from .ledger import balance_move

logger = logging.getLogger(__name__)


@dataclass
class ExpiryRun:
    credits: int = 0  # credits that lost their remaining sessions
    sessions: int = 0  # sessions taken off them in all
    gift_cards: int = 0  # money gift cards that lost their remaining value
    amount_minor: dict[str, int] = field(default_factory=dict)  # value taken off them, per currency
    failed: list[str] = field(default_factory=list)  # "credit 12", "gift card 3": left for the next run


def _expired_part(expires_at: datetime | None, balance: int, now: datetime) -> int:
    """What an expiry takes from a row locked now: all of its balance once its date has passed."""
    return -balance if expires_at is not None and expires_at <= now else 0


def credits_expire(*, now: datetime | None = None) -> ExpiryRun:
    """Take the remaining sessions off every credit whose expiry passed, one ``expire`` entry each."""
    now = now or timezone.now()
    run = ExpiryRun()
    due = CreditGrant.objects.filter(expires_at__lte=now, balance__gt=0)
    if not settings.GIFT_CARD_EXPIRY_YEARS:
        due = due.exclude(source=CreditGrant.Source.GIFT)
    for grant_id in due.order_by("pk").values_list("pk", flat=True):
        try:
            grant = balance_move(
                CreditGrant,
                grant_id,
                # Again under the lock: staff may have extended it, or another run been first.
                delta=lambda g: _expired_part(g.expires_at, g.balance, now),
                kind=LedgerKind.EXPIRE,
                reason="Expired unused",
                reference=f"expiry:{now:%Y-%m-%d}",
            )
        except Exception:
            logger.exception("Credit %s could not be expired; the next run tries again", grant_id)
            run.failed.append(f"credit {grant_id}")
            continue
        entry = getattr(grant, "ledger_entry", None)
        if entry is not None:
            run.credits += 1
            run.sessions += -entry.delta
    return run


def gift_cards_expire(*, now: datetime | None = None) -> ExpiryRun:
    """Take the remaining value off money gift cards past a configured legal expiry, one entry each.

    A gifted series keeps its sessions on its credit, which :func:`credits_expire` handles.
    """
    now = now or timezone.now()
    run = ExpiryRun()
    if not settings.GIFT_CARD_EXPIRY_YEARS:
        return run
    due = GiftCard.objects.filter(
        expires_at__lte=now, status=GiftCard.Status.ACTIVE, kind=GiftCard.Kind.AMOUNT, balance_minor__gt=0
    )
    for card_id in due.order_by("pk").values_list("pk", flat=True):
        try:
            card = balance_move(
                GiftCard,
                card_id,
                delta=lambda c: (
                    _expired_part(c.expires_at, c.balance_minor, now) if c.status == GiftCard.Status.ACTIVE else 0
                ),
                kind=LedgerKind.EXPIRE,
                reason=f"Expired unused ({settings.GIFT_CARD_EXPIRY_YEARS}-year gift card expiry)",
                reference=f"expiry:{now:%Y-%m-%d}",
            )
        except Exception:
            logger.exception("Gift card %s could not be expired; the next run tries again", card_id)
            run.failed.append(f"gift card {card_id}")
            continue
        entry = getattr(card, "ledger_entry", None)
        if entry is not None:
            run.gift_cards += 1
            run.amount_minor[card.currency] = run.amount_minor.get(card.currency, 0) - entry.delta_minor
    return run


def balances_expire(*, now: datetime | None = None) -> ExpiryRun:
    """Both of the above, as one run (what the scheduled job calls)."""
    now = now or timezone.now()
    credits, cards = credits_expire(now=now), gift_cards_expire(now=now)
    return ExpiryRun(
        credits=credits.credits,
        sessions=credits.sessions,
        gift_cards=cards.gift_cards,
        amount_minor=cards.amount_minor,
        failed=credits.failed + cards.failed,
    )
