"""Issue 11's copy and format slips on the shop pages and in its emails, checked as a customer sees them.

US formats (dates, times, addresses), no price said twice, nothing promised that
already happened, errors on the first submit, meta descriptions, and the terms and
privacy pages linked from the footer and from every checkout form.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.dateformat import format as date_format

from home.factories import StandardPageFactory, heading, paragraph
from packages import services

from .conftest import EMAIL, checkout_session, make_order, start_checkout

pytestmark = pytest.mark.django_db

ANA = services.GiftDetails(recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam")


@pytest.fixture
def paid(django_capture_on_commit_callbacks):
    """Pay for an order; its emails and gift delivery (queued on commit) run as a real commit would."""

    def pay(order):
        with django_capture_on_commit_callbacks(execute=True):
            order = services.order_fulfil(session=checkout_session(start_checkout(order)))
        order.refresh_from_db()
        return order

    return pay


def text(html: str) -> str:
    """What a reader sees: no scripts, no tags, single spaces."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def receipt_to(address: str):
    [message] = [m for m in mail.outbox if m.to == [address] and "receipt" in m.subject.lower()]
    return message


@pytest.fixture
def legal_pages(site_tree):
    terms = StandardPageFactory(parent=site_tree.home, title="Terms of sale", slug="terms", body=[heading("Refunds")])
    privacy = StandardPageFactory(parent=site_tree.home, title="Privacy", slug="privacy", body=[paragraph("<p>x</p>")])
    return terms, privacy


def test_a_gift_card_line_says_its_price_once(client, shop, paid):
    order = paid(make_order(shop.gift, amount_minor=10000, gift=ANA))
    page = text(client.get(order.get_absolute_url()).content.decode())
    assert "Gift card — $100" in page and "$100 — $100" not in page
    receipt = receipt_to(EMAIL)
    assert "1 × Gift card — $100" in receipt.body and "$100 — $100" not in receipt.body
    assert "$100 — $100" not in text(receipt.alternatives[0].content)


def test_a_gift_buyer_is_not_told_to_book_and_the_receipt_says_the_gift_went(client, shop, paid):
    order = paid(make_order(shop.gift, amount_minor=5000, gift=ANA))  # delivered at once: today's date
    page = text(client.get(order.get_absolute_url()).content.decode())
    assert "book your first session" not in page
    assert "Ana books by calling or emailing the studio" in page
    receipt = receipt_to(EMAIL)
    today = date_format(timezone.localtime(order.gift_card.delivered_at), "F j, Y")
    assert f"Your gift was emailed to Ana (ana@example.com) on {today}." in receipt.body
    assert "will be emailed" not in receipt.body and "We will let you know" not in receipt.body


def test_a_scheduled_gift_receipt_promises_the_later_email(shop, paid):
    later = timezone.localdate() + timedelta(days=9)
    paid(make_order(shop.series, gift=services.GiftDetails(**{**ANA.__dict__, "delivery_date": later})))
    receipt = receipt_to(EMAIL)
    assert f"will be emailed to ana@example.com on {date_format(later, 'F j, Y')}." in receipt.body
    assert "We will let you know when it has been sent." in receipt.body


def test_a_membership_receipt_talks_about_the_month_not_a_series(shop, paid):
    paid(make_order(shop.plan))
    receipt = receipt_to(EMAIL)
    assert "Your first month's sessions are ready to book." in receipt.body
    assert "series" not in receipt.body


def test_the_membership_form_does_not_mention_a_gift_box_it_lacks(client, shop):
    membership = client.get(shop.plan.get_absolute_url()).content.decode()
    assert "This is a gift" not in text(membership) and 'name="is_gift"' not in membership
    series = client.get(shop.series.get_absolute_url()).content.decode()
    assert 'name="is_gift"' in series and "This is a gift for someone else" in series


def test_the_gift_card_minimum_shown_is_the_minimum_accepted(client, shop):
    assert "from $25" in text(client.get("/shop/").content.decode())
    page = client.get(shop.gift.get_absolute_url()).content.decode()
    assert "from $25" in text(page) and "from $50" not in text(page)
    amount = re.search(r"<input[^>]*name=\"amount\"[^>]*>", page).group(0)
    assert 'min="25"' in amount and 'max="500"' in amount
    too_low = client.post(
        shop.gift.get_absolute_url(),
        {
            "name": "Sam",
            "email": "sam@example.com",
            "amount": "20",
            "recipient_name": "Ana",
            "recipient_email": "a@x.co",
        },
    )
    assert too_low.status_code == 400 and "between $25 and $500" in too_low.content.decode()
    ok = client.post(
        shop.gift.get_absolute_url(),
        {
            "name": "Sam",
            "email": "sam@example.com",
            "amount": "25",
            "recipient_name": "Ana",
            "recipient_email": "a@x.co",
        },
    )
    assert ok.status_code == 302


def test_the_disclaimer_error_shows_on_the_first_submit_with_the_others(client, shop):
    response = client.post(shop.series.get_absolute_url(), {"name": "", "email": EMAIL})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Your name: This field is required." in text(body)
    assert "consulted a doctor or know of no reason massage is unsafe" in body
    gift = client.post(shop.series.get_absolute_url(), {"name": "", "email": EMAIL, "is_gift": "on"})
    assert "Enter the recipient&#x27;s name." in gift.content.decode()
    assert "unsafe for you." not in gift.content.decode()  # a gift's recipient confirms at their first visit


SHOP_PAGES = ["/shop/", "/shop/account/", "/shop/gift-cards/balance/", "/shop/gift-cards/print/"]


def test_every_shop_page_has_a_meta_description(client, shop):
    order = make_order(shop.series)
    for path in [*SHOP_PAGES, shop.series.get_absolute_url(), shop.gift.get_absolute_url(), order.get_absolute_url()]:
        body = client.get(path).content.decode()
        match = re.search(r'<meta name="description" content="([^"]{10,})">', body)
        assert match, f"{path} has no meta description"


def test_terms_and_privacy_are_linked_from_the_footer_and_every_checkout_form(client, shop, legal_pages):
    terms, privacy = legal_pages
    for path in ["/", *SHOP_PAGES]:
        body = client.get(path).content.decode()
        footer = body[body.index('<footer class="site-footer">') :]
        assert f'href="{terms.url}"' in footer and f'href="{privacy.url}"' in footer, path
    for offer in (shop.series, shop.plan, shop.gift):
        form = client.get(offer.get_absolute_url()).content.decode()
        start = form.index('<form method="post" class="checkout-form"')
        form = form[start : form.index("</form>", start)]
        assert "By continuing you agree to our" in form and f'href="{terms.url}"' in form, offer.slug
        assert f'href="{privacy.url}"' in form
    assert "the minimum term and cancelling" in client.get(shop.plan.get_absolute_url()).content.decode()


def test_the_studio_is_shown_with_us_formats(client, site_tree, shop, paid):
    studio = site_tree.settings
    studio.street_address, studio.locality = "418 Alder Street", "Portland"
    studio.region, studio.postal_code = "OR", "97205"
    studio.save()
    footer = text(client.get("/shop/").content.decode())
    assert "418 Alder Street Portland, OR 97205" in footer and "97205 Portland" not in footer
    assert "Mon–Fri 9 a.m.–7 p.m." in footer and "19:00" not in footer

    order = paid(make_order(shop.series))
    grant = order.credit_grants.get()
    client.post("/shop/account/", {"email": EMAIL})
    link = re.search(r"http\S+/shop/account/sign-in/[^/\s]+/", mail.outbox[-1].body).group(0)
    client.post(link.removeprefix("http://127.0.0.1:8000"))
    wallet = text(client.get("/shop/account/").content.decode())
    expires = timezone.localtime(grant.expires_at)
    assert f"{expires:%B} {expires.day}, {expires.year}" in wallet  # "November 12, 2026", not "12 November 2026"
    assert f"{expires.day} {expires:%B} {expires.year}" not in wallet

    for message in mail.outbox:
        first, second = message.body.split("\n\n")[:2]
        assert re.fullmatch(r"Hi [^,\n]+,", first), (message.subject, first)
        assert second[:1].isupper(), (message.subject, second[:40])
