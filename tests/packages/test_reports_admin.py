"""Orders and ledger entries download from their admin listings, filtered; listings read as words."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from packages import services

from .conftest import known_code
from .reports_history import buy_gift_card, buy_series
from .test_reports import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def sold(shop, django_user_model):
    desk = django_user_model.objects.create_user("dana", first_name="Dana")
    series_order, grant = buy_series(shop)
    card_order, card = buy_gift_card(shop, 5000)
    services.credit_redeem(customer=grant.customer, actor=desk, grant_id=grant.pk)
    services.gift_card_redeem(card_id=card.pk, amount_minor=1200, actor=desk, code=known_code(card))
    return series_order, card_order


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200 and "csv" in response["Content-Type"]
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_orders_export_with_the_listing_filters(client, django_user_model, sold):
    login(client, django_user_model, "Managers")
    rows = csv_rows(client.get("/admin/shop/orders/?export=csv"))
    assert {row["What"] for row in rows} == {"Session series", "Gift card"}
    assert {row["Gift"] for row in rows} == {"Yes", "No"}
    assert {row["Charged (cents)"] for row in rows} == {"42500", "5000"}
    only_cards = csv_rows(client.get("/admin/shop/orders/?kind=gift-card&export=csv"))
    assert [row["What"] for row in only_cards] == ["Gift card"]
    workbook = client.get("/admin/shop/orders/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).active
    assert sheet.max_row == 3 and sheet["A1"].value == "Order"


def test_ledger_entries_are_listed_and_exported_by_kind(client, django_user_model, sold):
    login(client, django_user_model, "Managers")
    page = client.get("/admin/shop/session-ledger/").content.decode()
    assert "Redeem" in page and "Grant" in page and "dana" in page
    redeemed = csv_rows(client.get("/admin/shop/session-ledger/?kind=redeem&export=csv"))
    assert [(row["What"], row["Sessions (±)"], row["Staff"]) for row in redeemed] == [("Redeem", "-1", "dana")]
    cards = csv_rows(client.get("/admin/shop/gift-card-ledger/?export=csv"))
    assert sorted(row["Amount (cents, ±)"] for row in cards) == ["-1200", "5000"]
    assert "-$12" in client.get("/admin/shop/gift-card-ledger/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/shop/orders/",
        "/admin/shop/memberships/",
        "/admin/shop/session-ledger/",
        "/admin/shop/gift-card-ledger/",
        "/admin/snippets/packages/sessionseries/",
        "/admin/snippets/packages/membershipplan/",
        "/admin/snippets/packages/giftcardoffer/",
    ],
)
def test_listings_show_words_not_booleans_or_slugs(client, django_user_model, sold, url):
    login(client, django_user_model, "Managers")
    response = client.get(url)
    assert response.status_code == 200
    cells = " ".join(re.findall(r"<td[^>]*>(.*?)</td>", response.content.decode(), flags=re.S))
    assert not re.search(r">\s*(True|False|None|gift-card|series|redeem|grant)\s*<", cells), url


def test_front_desk_cannot_download_orders(client, django_user_model, sold):
    login(client, django_user_model, "Front desk")
    assert client.get("/admin/shop/orders/?export=csv").status_code in (302, 403)
