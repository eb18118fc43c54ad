"""Demo offers for ``manage.py load_demo_content`` (idempotent: matched on slug)."""

from __future__ import annotations

from home.models import TreatmentPage

from .factories import (
    ExtraSessionFactory,
    GiftCardOfferFactory,
    MembershipPlanFactory,
    SessionSeriesFactory,
    upsert,
)
from .models import GiftCardOffer, MembershipPlan, SessionSeries


def _treatment(word: str) -> TreatmentPage | None:
    return TreatmentPage.objects.filter(title__icontains=word).order_by("pk").first()


def load(stdout=None) -> dict[str, int]:
    therapeutic, classic, partial = _treatment("therapeutic"), _treatment("classic"), _treatment("partial")
    created = {"series": 0, "memberships": 0, "gift_cards": 0}
    series = [
        (
            therapeutic,
            "therapeutic-5x60",
            "5 therapeutic sessions",
            60,
            5,
            42500,
            6,
            1,
            True,
            "A course of five deep-tissue sessions for a lower back and legs that keep tightening up.",
        ),
        (
            therapeutic,
            "therapeutic-10x60",
            "10 therapeutic sessions",
            60,
            10,
            80000,
            12,
            2,
            True,
            "Ten sessions to work through the piriformis, glutes and lower back week by week.",
        ),
        (
            classic,
            "classic-5x60",
            "5 classic sessions",
            60,
            5,
            35000,
            6,
            3,
            False,
            "Five relaxing full-body sessions to lower stress and loosen everyday tension.",
        ),
        (
            partial,
            "partial-5x30",
            "5 partial sessions (30 min)",
            30,
            5,
            22500,
            6,
            4,
            False,
            "Five short, targeted sessions on the painful areas only, such as the lower back and legs.",
        ),
    ]
    for treatment, slug, title, minutes, sessions, price, months, order, featured, summary in series:
        if treatment is None:
            continue
        _, was_created = upsert(
            SessionSeriesFactory,
            slug=slug,
            title=title,
            summary=summary,
            treatment=treatment,
            session_minutes=minutes,
            sessions=sessions,
            price_minor=price,
            validity_months=months,
            sort_order=order,
            featured=featured,
        )
        created["series"] += was_created
    if therapeutic is not None:
        _, was_created = upsert(
            MembershipPlanFactory,
            slug="monthly-prevention",
            title="Monthly prevention membership",
            summary="One 60-minute therapeutic session every month to keep back pain from coming back.",
            description=(
                "<p>Regular, unhurried care is the best prevention we know: together with breaks from "
                "sitting, good posture and exercise, a monthly session keeps the muscles around your "
                "spine from locking up again.</p>"
            ),
            treatment=therapeutic,
            session_minutes=60,
            monthly_price_minor=7900,
            sessions_per_month=1,
            extra_session_price_minor=7500,
            rollover_cap=1,
            minimum_term_months=3,
            cancellation_terms="Cancel any time after three months; the membership ends at the end of the paid month.",
            sort_order=1,
            featured=True,
        )
        created["memberships"] += was_created
    if therapeutic is not None:
        _, was_created = upsert(
            ExtraSessionFactory,
            slug="therapeutic-single-60",
            title="One therapeutic session (60 min)",
            summary="A single 60-minute session between courses; members of the monthly plan pay their member price.",
            treatment=therapeutic,
            session_minutes=60,
            price_minor=9500,
            validity_months=3,
            sort_order=1,
        )
        created["sessions"] = created.get("sessions", 0) + was_created
    _, was_created = upsert(
        GiftCardOfferFactory,
        slug="gift-card",
        title="Gift card",
        summary="Give an hour of calm: a gift card for any treatment, sent by email on the day you choose.",
        fixed_amounts=[5000, 10000, 15000],
        allow_custom_amount=True,
        min_amount_minor=2500,
        max_amount_minor=50000,
        sort_order=1,
        featured=True,
    )
    created["gift_cards"] += was_created
    if stdout is not None:
        stdout.write(
            f"Shop offers: {SessionSeries.objects.count()} series, "
            f"{MembershipPlan.objects.count()} membership plan(s), {GiftCardOffer.objects.count()} gift card offer(s)."
        )
    return created
