"""Factories for the shop's offers and customers, shared by the tests, the demo seed and the benchmark's scaler.

Offers need a treatment page (pass ``treatment=``); everything else has small,
predictable defaults ("Series 3", slug "series-3"). The demo seed calls
:func:`upsert` so loading it twice changes nothing::

    SessionSeriesFactory(treatment=deep_tissue, sessions=10, price_minor=80000)
    upsert(GiftCardOfferFactory, slug="gift-card", title="Gift card")

A new offer type adds its factory here.
"""

from __future__ import annotations

import factory
from django.conf import settings
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from .models import Customer, ExtraSession, GiftCardOffer, MembershipPlan, SessionSeries


class OfferFactory(DjangoModelFactory):
    slug = factory.LazyAttribute(lambda offer: slugify(offer.title))
    summary = factory.LazyAttribute(lambda offer: f"{offer.title} at the studio.")
    currency = factory.LazyFunction(lambda: settings.SHOP_CURRENCY)

    class Meta:
        abstract = True


class SessionSeriesFactory(OfferFactory):
    title = factory.Sequence(lambda n: f"Series {n}")
    session_minutes = 60
    sessions = 5
    price_minor = 42500
    validity_months = 6

    class Meta:
        model = SessionSeries


class MembershipPlanFactory(OfferFactory):
    title = factory.Sequence(lambda n: f"Membership {n}")
    session_minutes = 60
    monthly_price_minor = 7900
    sessions_per_month = 1
    extra_session_price_minor = 7500
    rollover_cap = 1
    minimum_term_months = 3

    class Meta:
        model = MembershipPlan


class GiftCardOfferFactory(OfferFactory):
    title = "Gift card"
    fixed_amounts = factory.LazyFunction(lambda: [5000, 10000, 15000])
    allow_custom_amount = True
    min_amount_minor = 2500
    max_amount_minor = 50000

    class Meta:
        model = GiftCardOffer
        django_get_or_create = ("slug",)


class ExtraSessionFactory(OfferFactory):
    title = factory.Sequence(lambda n: f"Extra session {n}")
    session_minutes = 60
    price_minor = 9500
    validity_months = 3

    class Meta:
        model = ExtraSession


class CustomerFactory(DjangoModelFactory):
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    name = factory.Sequence(lambda n: f"Customer {n}")

    class Meta:
        model = Customer
        django_get_or_create = ("email",)


def upsert(offer_factory: type[OfferFactory], *, slug: str, **fields) -> tuple[object, bool]:
    """The offer with ``slug`` brought up to ``fields``, or made by the factory: (offer, created)."""
    model = offer_factory._meta.model
    existing = model.objects.filter(slug=slug).first()
    if existing is None:
        return offer_factory(slug=slug, **fields), True
    for name, value in fields.items():
        setattr(existing, name, value)
    existing.save()  # save(), not update(): the content cache hears of the change
    return existing, False
