"""Manager reports under Wagtail's Reports menu: sales, what the studio still owes, failing webhooks."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from openpyxl import load_workbook

from packages.models import StripeEvent
from packages.services import GiftDetails

from .conftest import checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db


def login(client, django_user_model, group):
    user = django_user_model.objects.create_user(group.lower().replace(" ", "-"), password="pw-123456789")
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


@pytest.fixture
def sales(client, shop):
    series = make_order(shop.series)
    post_webhook(client, event("checkout.session.completed", checkout_session(series)))
    card = make_order(
        shop.gift,
        amount_minor=7500,
        gift=GiftDetails(recipient_name="Ana", recipient_email="a@example.com", sender_name="S"),
    )
    post_webhook(client, event("checkout.session.completed", checkout_session(card)))
    StripeEvent.objects.create(
        event_id="evt_broken",
        type="invoice.paid",
        created=1,
        payload={},
        attempts=2,
        error="Traceback (most recent call last):\n  ...\nKeyError: 'lines'\n",
    )


def test_sales_report_lists_each_offer_and_channel_and_exports_csv_and_xlsx(client, django_user_model, sales):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/reports/shop/sales/").content.decode()
    assert "5 deep tissue sessions" in page and "Session series" in page and "$425" in page
    assert "Gift card" in page and "$75" in page and "Online" in page
    assert ">gift-card<" not in page.replace(" ", "").replace("\n", "")  # kinds by name, not slug

    exported = client.get("/admin/reports/shop/sales/?export=csv")
    assert exported.status_code == 200 and "csv" in exported["Content-Type"]
    rows = list(csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert {(row["kind"], row["channel"], row["total"]) for row in rows} == {
        ("Session series", "Online", "42500"),
        ("Gift card", "Online", "7500"),
    }

    workbook = client.get("/admin/reports/shop/sales/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert [cell.value for cell in sheet[1]][:3] == ["offer", "kind", "channel"]
    assert sheet.max_row == 3  # heading and two rows


def test_sales_report_filters_by_date(client, django_user_model, sales):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/reports/shop/sales/?period_from=2000-01-01&period_to=2000-12-31")
    assert "$425" not in page.content.decode()
    this_year = client.get("/admin/reports/shop/sales/?period_from=2020-01-01").content.decode()
    assert "$425" in this_year


def test_owed_report_shows_unused_sessions_at_the_price_paid_and_gift_money(client, django_user_model, sales):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/reports/shop/owed/").content.decode()
    assert "Series sessions" in page and "$425" in page
    assert "Gift cards delivered" in page or "Gift cards awaiting delivery" in page
    assert "$75" in page
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get("/admin/reports/shop/owed/?export=csv").streaming_content).decode())
        )
    )
    series = next(row for row in rows if row["What"] == "Series sessions")
    assert (series["How many"], series["Value (cents)"]) == ("5", "42500")


def test_webhook_report_lists_failing_events_with_their_error(client, django_user_model, sales):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/reports/shop/webhooks/").content.decode()
    assert "invoice.paid" in page and "KeyError: &#x27;lines&#x27;" in page


@pytest.mark.parametrize("report", ["sales", "owed", "webhooks"])
def test_reports_are_for_managers_only(client, django_user_model, shop, report):
    login(client, django_user_model, "Front desk")
    assert client.get(f"/admin/reports/shop/{report}/").status_code == 302


def test_reports_appear_under_the_reports_menu_for_managers(client, django_user_model, shop):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/").content.decode()
    for report in ("sales", "owed", "webhooks"):
        assert f"/admin/reports/shop/{report}/" in page
