"""Two desks redeem the last session, or the last amount, at the same moment: exactly one succeeds.

Runs on both databases: on PostgreSQL the rows are locked (SELECT … FOR UPDATE in
primary-key order); on SQLite every write transaction starts IMMEDIATE, so the
second desk waits for the first to commit and then sees the new balance.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from packages import services
from packages.models import CreditGrant, GiftCard
from packages.services import BalanceError, GiftDetails

from .conftest import checkout_session, make_order

pytestmark = pytest.mark.django_db(transaction=True)


def race(call, times: int = 2):
    """Run ``call`` in ``times`` threads released together; return (successes, refusals)."""
    barrier = threading.Barrier(times)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait(timeout=10)
            call()
            outcomes.append("ok")
        except BalanceError:
            outcomes.append("refused")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return outcomes.count("ok"), outcomes.count("refused")


def test_last_session_is_redeemed_once(shop, django_user_model):
    staff = django_user_model.objects.create_user("desk-1")
    order = make_order(shop.series)
    services.order_fulfil(session=checkout_session(order))
    grant = CreditGrant.objects.get()
    services.credit_adjust(grant_id=grant.pk, delta=-4, actor=staff, reason="leave one")

    ok, refused = race(lambda: services.credit_redeem(customer=grant.customer, actor=staff))
    assert (ok, refused) == (1, 1)
    grant.refresh_from_db()
    assert grant.balance == 0
    assert grant.entries.filter(kind="redeem").count() == 1


def test_last_amount_is_redeemed_once(shop, django_user_model):
    staff = django_user_model.objects.create_superuser("desk-2")  # takes money without the code
    order = make_order(
        shop.gift,
        amount_minor=5000,
        gift=GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam"),
    )
    services.order_fulfil(session=checkout_session(order))
    card = GiftCard.objects.get()
    assert card.status == GiftCard.Status.ACTIVE

    ok, refused = race(
        lambda: services.gift_card_redeem(card_id=card.pk, amount_minor=3000, actor=staff, override_reason="race")
    )
    assert (ok, refused) == (1, 1)
    card.refresh_from_db()
    assert card.balance_minor == 2000
    assert card.balance_minor == sum(card.entries.values_list("delta_minor", flat=True))
