"""The bookkeeping reports in the admin: Managers only, a date range, the same rows as CSV and XLSX."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from packages import services
from packages.reports import FRONTDESK_COLUMNS, LIABILITY_COLUMNS, MEMBERSHIP_COLUMNS, REVENUE_COLUMNS, SALES_COLUMNS

from .conftest import known_code
from .reports_history import Dated, at, buy_gift_card, buy_series
from .test_reports import login

pytestmark = pytest.mark.django_db

COLUMNS = {
    "liability": LIABILITY_COLUMNS,
    "revenue": REVENUE_COLUMNS,
    "memberships": MEMBERSHIP_COLUMNS,
    "sales": SALES_COLUMNS,
    "frontdesk": FRONTDESK_COLUMNS,
}


@pytest.fixture
def history(shop, django_user_model):
    desk = django_user_model.objects.create_user("dana", first_name="Dana", last_name="Desk")
    with Dated(at(1, 5)):
        _, grant = buy_series(shop)
        _, card = buy_gift_card(shop, 10000)
    services.credit_redeem(customer=grant.customer, actor=desk, grant_id=grant.pk)
    services.gift_card_redeem(card_id=card.pk, amount_minor=2500, actor=desk, code=known_code(card))


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and "csv" in response["Content-Type"]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("report", COLUMNS)
def test_each_report_shows_and_exports_its_columns_as_csv_and_xlsx(client, django_user_model, history, report):
    login(client, django_user_model, "Managers")
    since = f"?period_from={at(1, 1).date()}"
    page = client.get(f"/admin/reports/shop/{report}/{since}")
    assert page.status_code == 200
    assert "True" not in page.content.decode() and "False" not in page.content.decode()

    exported = client.get(f"/admin/reports/shop/{report}/{since}&export=csv")
    rows = csv_rows(exported)
    assert rows and list(rows[0]) == COLUMNS[report]
    assert f'filename="{report.replace("frontdesk", "front-desk")}-' in exported["Content-Disposition"]

    workbook = client.get(f"/admin/reports/shop/{report}/{since}&export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert [cell.value for cell in sheet[1]] == COLUMNS[report]
    assert sheet.max_row == len(rows) + 1


def test_liability_screen_formats_money_and_counts_sessions(client, django_user_model, history):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/reports/shop/liability/").content.decode()
    assert "Gift-card money" in page and "$100" in page and "$75" in page
    assert "Series sessions (value)" in page and "$425" in page and "$340" in page
    assert "Membership sessions" in page and "sessions" in page


def test_the_date_range_chooses_the_months(client, django_user_model, history):
    login(client, django_user_model, "Managers")
    last_month = at(1, 1).date()
    rows = csv_rows(
        client.get(f"/admin/reports/shop/liability/?export=csv&period_from={last_month}&period_to={last_month}")
    )
    assert {row["month"] for row in rows} == {f"{last_month:%Y-%m}"}
    assert {row["kind"]: row["closing"] for row in rows}["Series sessions (value)"] == "42500"


def test_front_desk_report_names_the_staff_member(client, django_user_model, history):
    login(client, django_user_model, "Managers")
    rows = csv_rows(client.get("/admin/reports/shop/frontdesk/?export=csv"))
    assert [(r["staff"], r["sessions_redeemed"], r["gift_money_redeemed"]) for r in rows] == [
        ("Dana Desk", "1", "2500")
    ]


@pytest.mark.parametrize("report", COLUMNS)
def test_bookkeeping_reports_are_for_managers_only(client, django_user_model, shop, report):
    login(client, django_user_model, "Front desk")
    assert client.get(f"/admin/reports/shop/{report}/").status_code == 302


def test_bookkeeping_reports_are_under_the_reports_menu(client, django_user_model, shop):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/").content.decode()
    for report in COLUMNS:
        assert f"/admin/reports/shop/{report}/" in page
