"""``{% offer_saving offer as saving %}``: what a series or membership saves per session.

Reads only the offer's own attributes (``sessions`` or ``sessions_per_month``,
``session_minutes``, ``price_minor``, ``currency`` and its treatment's durations),
so the content apps import nothing from the shop. A list of offers is prepared
first with ``{% prepare_savings offers %}``: the durations of all their
treatments in one query (none when they were prefetched), however many offers.
"""

from __future__ import annotations

from django import template

from home import queries
from home.money import format_money

register = template.Library()


def _durations(treatment) -> list:
    known = getattr(treatment, "_offer_durations", None)
    return known if known is not None else list(treatment.durations.all())


def _single_price(offer) -> int | None:
    treatment = getattr(offer, "treatment", None)
    minutes = getattr(offer, "session_minutes", None)
    if treatment is None or not minutes:
        return None
    return next((d.price_minor for d in _durations(treatment) if d.minutes == minutes), None)


@register.simple_tag
def prepare_savings(offers) -> str:
    """Give every offer's treatment its durations, in one (prepared) query for all of them."""
    treatments = [t for t in (getattr(offer, "treatment", None) for offer in offers) if t is not None]
    missing = {t.pk: t for t in treatments if "durations" not in getattr(t, "_prefetched_objects_cache", {})}
    queries.prefetch_children(list(missing.values()), "durations")
    for treatment in treatments:
        if treatment.pk in missing and treatment is not missing[treatment.pk]:  # the same page twice
            treatment._offer_durations = list(missing[treatment.pk].durations.all())
    return ""


@register.simple_tag
def offer_saving(offer) -> dict[str, str]:
    """{"per_session": "$11", "total": "$55", "single": "$120"} when the offer beats single sessions, else {}."""
    sessions = getattr(offer, "sessions", None) or getattr(offer, "sessions_per_month", None)
    price = getattr(offer, "price_minor", None)
    single = _single_price(offer) if sessions and price else None
    if not single:
        return {}
    saving = single * sessions - price
    if saving <= 0:
        return {}
    currency = getattr(offer, "currency", "usd")
    return {
        "per_session": format_money(saving // sessions, currency),
        "total": format_money(saving, currency),
        "single": format_money(single, currency),
    }
