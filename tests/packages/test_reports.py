"""Manager reports: sales by month, what the studio still owes, and webhook health."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from packages.models import StripeEvent
from packages.services import GiftDetails

from .conftest import checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db


def login(client, django_user_model, group):
    user = django_user_model.objects.create_user(group.lower().replace(" ", "-"), password="pw-123456789")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


def test_reports_show_sales_liabilities_and_failing_webhooks(client, django_user_model, shop):
    series = make_order(shop.series)
    post_webhook(client, event("checkout.session.completed", checkout_session(series)))
    card = make_order(
        shop.gift,
        amount_minor=7500,
        gift=GiftDetails(recipient_name="Ana", recipient_email="a@example.com", sender_name="S"),
    )
    post_webhook(client, event("checkout.session.completed", checkout_session(card)))
    StripeEvent.objects.create(
        event_id="evt_broken", type="invoice.paid", created=1, payload={}, attempts=2, error="KeyError: 'lines'"
    )
    login(client, django_user_model, "Managers")
    page = client.get("/admin/shop/reports/").content.decode()
    assert "$425" in page and "$75" in page  # gross sales by kind this month
    assert "5</span> series session(s), paid $425" in page  # unused sessions and what they were paid
    assert "$75</span><br>on 1 delivered gift card(s)" in page
    assert "<strong>1</strong> event(s) failed" in page and "KeyError" in page


def test_reports_are_for_managers_only(client, django_user_model, shop):
    login(client, django_user_model, "Front desk")
    assert client.get("/admin/shop/reports/").status_code == 302
