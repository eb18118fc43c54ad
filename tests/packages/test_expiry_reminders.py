"""Customers are reminded once before unused series sessions expire."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from packages import services
from packages.models import CreditGrant

from .conftest import checkout_session, make_order

pytestmark = pytest.mark.django_db


def test_reminder_is_sent_once_for_series_expiring_soon(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(session=checkout_session(make_order(shop.series)))
    grant = CreditGrant.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_expiry_reminders", stdout=io.StringIO())
    assert mail.outbox == []  # six months away: nothing yet

    CreditGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() + timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.credit_expiry_reminders_send() == 1
        assert services.credit_expiry_reminders_send() == 0  # never twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["maya.buyer@example.com"]
    assert message.subject.startswith("5 sessions left — valid until")
    assert "5 60-minute deep tissue massage sessions" in message.body


def test_used_up_or_expired_series_get_no_reminder(shop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(session=checkout_session(make_order(shop.series)))
        services.order_fulfil(session=checkout_session(make_order(shop.series, email="b@example.com")))
    used_up, expired = CreditGrant.objects.order_by("pk")
    CreditGrant.objects.filter(pk=used_up.pk).update(balance=0, expires_at=timezone.now() + timedelta(days=5))
    CreditGrant.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert services.credit_expiry_reminders_send() == 0
