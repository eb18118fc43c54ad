"""Replaying a stored Stripe event: from its admin page and ``manage.py stripe_replay``, idempotently."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from packages import services
from packages.models import CreditGrant, Order, StripeEvent

from .conftest import checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_event(client, shop, monkeypatch):
    """A checkout.session.completed that failed on our side (the handler broke), kept for replay."""
    order = make_order(shop.series)
    completed = event("checkout.session.completed", checkout_session(order))

    def broken(*args, **kwargs):
        raise RuntimeError("database was read-only for a moment")

    with monkeypatch.context() as patch:
        patch.setitem(services.FULFILMENT, Order.Kind.SERIES, broken)
        assert post_webhook(client, completed).status_code == 500
    return order, StripeEvent.objects.get(event_id=completed["id"])


def staff(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(group.lower().replace(" ", "-"), password="pw-123456789")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    return client


def test_a_manager_replays_a_failed_event_from_its_admin_page(client, django_user_model, failed_event):
    order, stored = failed_event
    manager = staff(client, django_user_model, "Managers")
    inspect = manager.get(f"/admin/shop/stripe-events/inspect/{stored.pk}/").content.decode()
    assert f"/admin/front-desk/stripe-events/{stored.pk}/replay/" in inspect
    assert manager.get(f"/admin/front-desk/stripe-events/{stored.pk}/replay/").status_code == 200
    manager.post(f"/admin/front-desk/stripe-events/{stored.pk}/replay/")
    stored.refresh_from_db()
    assert stored.processed_at is not None and stored.error == "" and stored.attempts == 2
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED
    # Again: nothing is granted twice.
    manager.post(f"/admin/front-desk/stripe-events/{stored.pk}/replay/")
    assert CreditGrant.objects.get(order=order).balance == 5


def test_front_desk_staff_cannot_replay(client, django_user_model, failed_event):
    _, stored = failed_event
    desk = staff(client, django_user_model, "Front desk")
    assert desk.post(f"/admin/front-desk/stripe-events/{stored.pk}/replay/").status_code == 302
    stored.refresh_from_db()
    assert stored.processed_at is None


def test_the_replay_command_uses_the_same_path(failed_event, capsys):
    order, stored = failed_event
    call_command("stripe_replay", stored.event_id)
    assert "processed" in capsys.readouterr().out
    call_command("stripe_replay", stored.event_id)
    assert CreditGrant.objects.filter(order=order).count() == 1
    with pytest.raises(CommandError, match="No stored Stripe event"):
        call_command("stripe_replay", "evt_never_received")


def test_a_pruned_event_is_not_replayed(failed_event):
    _, stored = failed_event
    StripeEvent.objects.filter(pk=stored.pk).update(
        payload={"id": stored.event_id, "object": "event", "type": stored.type, "pruned_at": "2026-01-01T00:00:00"}
    )
    with pytest.raises(CommandError, match="removed after the retention period"):
        call_command("stripe_replay", stored.event_id)
    stored.refresh_from_db()
    assert stored.processed_at is None and stored.attempts == 1
