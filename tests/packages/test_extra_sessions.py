"""A single extra session: the member price for active members of a plan for its treatment, decided on the server.

Also the proof of the design: this offer type is one model, one fulfilment function, the
generic offer page, one migration and one factory.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from packages.factories import ExtraSessionFactory
from packages.models import CreditGrant, Membership, Order

from .conftest import EMAIL, checkout_session, event, make_order, post_webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def extra(shop):
    return ExtraSessionFactory(title="One deep tissue session", slug="deep-60", treatment=shop.series.treatment)


@pytest.fixture
def member(client, shop):
    order = make_order(shop.plan)  # the plan's terms promise extra sessions at $75
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    return Membership.objects.get(order=order)


def api_checkout(client, extra, email):
    body = {"kind": "session", "slug": extra.slug, "email": email, "name": "M", "accept_disclaimer": True}
    return client.post("/api/shop/checkout", body, content_type="application/json")


def test_a_member_pays_the_member_price_others_the_regular_one(client, extra, member):
    assert api_checkout(client, extra, EMAIL.upper()).status_code == 201
    assert api_checkout(client, extra, "someone.else@example.com").status_code == 201
    member_order, other_order = Order.objects.filter(kind="session").order_by("pk")
    assert (member_order.amount_total_minor, other_order.amount_total_minor) == (7500, 9500)


def test_a_cancelled_membership_gets_the_regular_price(client, extra, member):
    Membership.objects.filter(pk=member.pk).update(status=Membership.Status.CANCELED)
    api_checkout(client, extra, EMAIL)
    assert Order.objects.get(kind="session").amount_total_minor == 9500


def test_a_paid_extra_session_is_one_session_to_book(client, extra):
    order = make_order(extra, email="new@example.com")
    post_webhook(client, event("checkout.session.completed", checkout_session(order)))
    grant = CreditGrant.objects.get(order=order)
    assert (grant.balance, grant.source, grant.display_name) == (1, "extra", "extra deep tissue massage sessions")


def test_the_catalog_and_the_offer_page_sell_it(client, extra):
    assert "One deep tissue session" in client.get("/shop/").content.decode()
    page = client.get("/shop/session/deep-60/")
    assert page.status_code == 200 and "$95" in page.content.decode()
    offers = client.get("/api/shop/offers").json()
    assert {"kind": "session", "slug": "deep-60"}.items() <= next(o for o in offers if o["kind"] == "session").items()


def test_the_front_desk_sells_one_at_the_member_price_as_a_qr_code(client, extra, member, django_user_model):

    desk = django_user_model.objects.create_user("desk-sell", password="pw-123456789")
    desk.groups.add(Group.objects.get(name="Front desk"))
    client.force_login(desk)
    customer = member.customer
    assert "Sell a session (QR code)" in client.get(f"/admin/front-desk/customers/{customer.pk}/").content.decode()
    page = client.post(f"/admin/front-desk/customers/{customer.pk}/sell-session/", {"offer": extra.pk})
    body = page.content.decode()
    order = Order.objects.get(kind="session")
    assert page.status_code == 200 and "<svg" in body and order.checkout_url in body
    assert (order.customer, order.amount_total_minor) == (customer, 7500)
