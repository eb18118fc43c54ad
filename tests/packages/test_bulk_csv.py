"""Bulk gift cards: the recipients' CSV, every row checked before any payment, and the team page."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from packages import services
from packages.models import BulkRecipient, Order

from .test_webhooks import site_tree  # noqa: F401 - the light page tree the shop needs

pytestmark = pytest.mark.django_db

HEADER = "name,email,message,delivery_date\n"


def day(offset: int) -> str:
    return f"{timezone.localdate() + timedelta(days=offset)}"


def read(text: str | bytes):
    """The file's rows and every problem found: the file's own, else each row's."""
    rows, problems = services.recipients_from_csv(text.encode() if isinstance(text, str) else text)
    return rows, problems or services.recipient_errors(rows)


def test_a_good_file_with_a_bom_and_windows_line_ends_reads_every_row():
    text = HEADER + f'Sam Rivera,SAM@example.com,"Thanks, team!",{day(3)}\r\nAlex Chen,alex@example.com,,\r\n\r\n'
    rows, problems = read(b"\xef\xbb\xbf" + text.encode())
    assert problems == {}
    assert [(row.label, row.name, row.message) for row in rows] == [
        ("Row 2", "Sam Rivera", "Thanks, team!"),
        ("Row 3", "Alex Chen", ""),
    ]
    assert rows[0].delivery_date == timezone.localdate() + timedelta(days=3) and rows[1].delivery_date is None


def test_columns_may_come_in_any_order_and_in_other_spellings():
    rows, problems = read("Email,Delivery Date,NAME\nsam@example.com,12/31/2099,Sam\n")
    assert rows[0].email == "sam@example.com" and rows[0].name == "Sam"
    assert problems == {
        "recipients.0.delivery_date": "Row 2, delivery_date: choose a date within a year (by "
        f"{day(services.BULK_DELIVERY_WITHIN_DAYS)})."
    }


@pytest.mark.parametrize(
    ("row", "key", "message"),
    [
        ("Sam,not-an-email,,", "recipients.0.email", "Row 2, email: enter a valid email address"),
        ("Sam,a@x.com b@y.com,,", "recipients.0.email", "Row 2, email: enter a valid email address"),
        (",sam@example.com,,", "recipients.0.name", "Row 2, name: enter the recipient's name."),
        (f"Sam,sam@example.com,,{day(-1)}", "recipients.0.delivery_date", "Row 2, delivery_date: the date has passed"),
        (
            f"Sam,sam@example.com,,{day(400)}",
            "recipients.0.delivery_date",
            "Row 2, delivery_date: choose a date within",
        ),
        ("Sam,sam@example.com,,next friday", "recipients.0.delivery_date", "Row 2, delivery_date: write the date as"),
        ("Sam,sam@example.com," + "x" * 1001 + ",", "recipients.0.message", "Row 2, message: keep the message under"),
        ("S" * 151 + ",sam@example.com,,", "recipients.0.name", "Row 2, name: keep the name under 150"),
        (f"Sam,sam@example.com,Hi, and thanks,{day(1)}", "recipients.0", "Row 2: it has more cells than the header"),
    ],
    ids=["email", "two-emails", "name", "past", "too-far", "unreadable-date", "long-message", "long-name", "cells"],
)
def test_each_bad_row_gets_its_row_and_column_named(row, key, message):
    _, problems = read(HEADER + row + "\n")
    assert list(problems) == [key]
    assert problems[key].startswith(message)


def test_every_bad_row_is_reported_at_once_with_its_spreadsheet_row():
    text = HEADER + "Sam,sam@example.com,,\nJo,jo@,,\n,kim@example.com,,\nLee,lee@example.com,," + f"{day(-2)}\n"
    _, problems = read(text)
    assert problems == {
        "recipients.1.email": "Row 3, email: enter a valid email address (one address, e.g. sam@example.com).",
        "recipients.2.name": "Row 4, name: enter the recipient's name.",
        "recipients.3.delivery_date": "Row 5, delivery_date: the date has passed: choose today or a later date.",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"  \n\n", "The file is empty"),
        (HEADER.encode(), "The file has a header row but no recipients below it."),
        (b"name,mail\nSam,sam@example.com\n", "Row 1 (the header) has no email column; unknown column(s) mail."),
        (b"name,email,phone\nSam,sam@example.com,555\n", "Row 1 (the header) has unknown column(s) phone."),
        (b"name,email,email\nSam,a@b.co,c@d.co\n", "Row 1 (the header) has the column(s) email twice."),
        ("name,email\nZoë,zoe@example.com\n".encode("latin-1"), "The file is not UTF-8 text"),
        (
            (HEADER + "Sam,sam@example.com,,\n" * 101).encode(),
            "The list has 101 recipients; one order takes at most 100",
        ),
    ],
    ids=["empty", "blank", "header-only", "missing-column", "unknown-column", "twice", "not-utf8", "too-many"],
)
def test_problems_with_the_file_itself(content, message):
    rows, problems = read(content)
    assert list(problems) == ["recipients"] and problems["recipients"].startswith(message)


def test_a_hundred_rows_are_fine():
    rows, problems = read(HEADER + "".join(f"P{n},p{n}@example.com,,\n" for n in range(100)))
    assert problems == {} and len(rows) == 100


# --- The team page -------------------------------------------------------------------------------------


def page_url(shop) -> str:
    return f"/shop/gift-cards/{shop.gift.slug}/bulk/"


def upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("team.csv", text.encode(), content_type="text/csv")


def form(**extra) -> dict:
    return {"name": "Dana Office", "email": "dana@example.com", "amount": "50", "delivery": "recipients", **extra}


def test_the_gift_card_page_links_to_the_team_page_which_offers_the_template(client, shop):
    assert page_url(shop) in client.get(f"/shop/gift-card/{shop.gift.slug}/").content.decode()
    page = client.get(page_url(shop))
    assert page.status_code == 200 and "/shop/gift-cards/bulk/recipients-template.csv" in page.content.decode()
    template = client.get("/shop/gift-cards/bulk/recipients-template.csv")
    assert template["Content-Type"].startswith("text/csv")
    rows, problems = read(template.content)
    assert problems == {} and len(rows) == 2  # the template itself passes the checks


def test_a_bad_file_re_renders_with_every_row_error_and_keeps_what_was_uploaded(client, shop):
    text = HEADER + "Sam,sam@example.com,,\nJo,jo@nowhere,,\n"
    response = client.post(page_url(shop), form(recipients_file=upload(text)))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Row 3, email: enter a valid email address" in page
    assert "jo@nowhere" in page and "sam@example.com" in page  # the rows are in the text box, to fix there
    assert not Order.objects.exists() and not BulkRecipient.objects.exists()  # nothing before payment

    fixed = HEADER + "Sam,sam@example.com,,\nJo,jo@example.com,,\n"
    response = client.post(page_url(shop), form(recipients_text=fixed))  # corrected on the page, no new file
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.amount_total_minor == 10000 and order.lines.get().quantity == 2
    assert list(order.bulk_recipients.values_list("email", flat=True)) == ["sam@example.com", "jo@example.com"]


def test_the_page_refuses_what_the_offer_refuses_and_asks_for_the_list(client, shop):
    page = client.post(page_url(shop), form(amount="5")).content.decode()
    assert "Choose one of the listed amounts or an amount between" in page
    assert "Upload the recipients&#x27; CSV file" in page
    codes = client.post(page_url(shop), form(delivery="codes", quantity="101")).content.decode()
    assert "Order between 1 and 100 cards." in codes


def test_codes_for_the_buyer_need_only_a_quantity(client, shop):
    response = client.post(page_url(shop), form(delivery="codes", quantity="12"))
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.kind, order.amount_total_minor, order.lines.get().quantity) == ("gift-card-bulk", 60000, 12)
    assert not order.bulk_recipients.exists()


def test_the_sample_file_in_examples_passes_the_checks():
    sample = Path(__file__).resolve().parents[2] / "examples" / "gift-card-recipients.csv"
    rows, problems = read(sample.read_bytes())
    assert problems == {} and len(rows) == 4 and rows[0].message.startswith("Thank you for a year")
