"""More of the same demo content, for benchmarks: ``load_demo_content --scale articles=200,treatments=20,offers=30``.

Numbers are totals: extra "scaled" articles, treatments and session-series /
membership offers are added until the site has that many, so a second run adds
nothing. They reuse the demo's images, topics and body areas, and their bodies
carry every kind of block (headings, rich text, lists, a callout, an FAQ, a
figure, a recommended treatment), like the demo articles. Pages are created
live (no revision history: nothing a visitor sees depends on it). Without
``--scale`` the demo content is exactly the default one.
"""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone
from wagtail.images import get_image_model

from blog.factories import ArticlePageFactory
from blog.models import ArticlePage, BlogIndexPage
from home.factories import (
    TreatmentPageFactory,
    bullet_list,
    doctor_callout,
    faq,
    figure,
    heading,
    paragraph,
    recommended_treatment,
)
from home.models import BodyArea, Topic, TreatmentIndexPage, TreatmentPage
from packages.factories import MembershipPlanFactory, SessionSeriesFactory, upsert
from packages.models import MembershipPlan, SessionSeries

KINDS = ("articles", "treatments", "offers")


def parse_scale(text: str) -> dict[str, int]:
    """``"articles=200,treatments=20,offers=30"`` → ``{"articles": 200, "treatments": 20, "offers": 30}``."""
    scale: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in KINDS or not value.strip().isdigit():
            raise ValueError(f"Expected kind=number with kind one of {', '.join(KINDS)}; got {part!r}.")
        scale[name] = int(value)
    return scale


def _body(n: int, images: list, treatments: list) -> list:
    body = [
        heading("What is going on"),
        paragraph(
            "<p>Tight muscles around the lower back and hips can press on nerves and make sitting, "
            "walking and sleeping harder. This note explains what helps, what does not, and when to see "
            f"a doctor first (scaled demo note {n}).</p>"
        ),
        bullet_list(["Keep moving gently", "Take breaks from sitting", "Warm up before exercise"]),
        doctor_callout(),
        paragraph("<p>Massage eases muscle tension and pain; it does not repair discs or nerves.</p>"),
        faq("How often should I book?", "<p>Weekly at first, then monthly to keep it from coming back.</p>"),
    ]
    if images:
        body.append(figure(images[n % len(images)], caption="Muscles of the lower back and hips."))
    if treatments:
        body.append(recommended_treatment(treatments[n % len(treatments)], text="A good place to start."))
    return body


def _scale_treatments(total: int, images: list, stdout) -> list[TreatmentPage]:
    index = TreatmentIndexPage.objects.order_by("path").first()
    existing = TreatmentPage.objects.count()
    if index is None or existing >= total:
        return list(TreatmentPage.objects.live().order_by("path"))
    topics, areas = list(Topic.objects.all()), list(BodyArea.objects.all())
    now = timezone.now()
    for n in range(existing, total):
        TreatmentPageFactory(
            parent=index,
            title=f"Scaled treatment {n + 1}",
            slug=f"scaled-treatment-{n + 1}",
            summary="Focused work on the muscles of the lower back, hips and legs, at a pressure you choose.",
            hero_image=images[n % len(images)] if images else None,
            intensity=[TreatmentPage.Intensity.MILD, TreatmentPage.Intensity.MEDIUM, TreatmentPage.Intensity.STRONG][
                n % 3
            ],
            prices=[(30, 5000 + n * 100), (60, 9000 + n * 100), (90, 12500 + n * 100)],
            topics=topics[n % max(1, len(topics)) :][:2] if topics else [],
            body_areas=areas[:3],
            first_published_at=now,
            last_published_at=now,
        )
    stdout.write(f"Scaled treatments: {total - existing} added ({total} in all).")
    return list(TreatmentPage.objects.live().order_by("path"))


def _scale_articles(total: int, images: list, treatments: list, stdout) -> None:
    blog = BlogIndexPage.objects.order_by("path").first()
    existing = ArticlePage.objects.count()
    if blog is None or existing >= total:
        return
    topics = list(Topic.objects.all())
    authors = itertools.cycle(["Dana Reyes", "Sam Okafor", "Runway Massage Studio"])
    start = datetime.date(2024, 1, 1)
    now = timezone.now()
    for n in range(existing, total):
        ArticlePageFactory(
            parent=blog,
            title=f"Scaled note {n + 1}: easing a stiff lower back",
            slug=f"scaled-note-{n + 1}",
            author=next(authors),
            date=start + datetime.timedelta(days=n),
            summary="What helps a stiff lower back between sessions, and when to see a doctor first.",
            hero_image=images[n % len(images)] if images else None,
            topics=[topics[n % len(topics)], topics[(n + 3) % len(topics)]] if topics else [],
            body=_body(n, images, treatments),
            first_published_at=now,
            last_published_at=now,
        )
    stdout.write(f"Scaled articles: {total - existing} added ({total} in all).")


def _scale_offers(total: int, treatments: list, stdout) -> None:
    existing = SessionSeries.objects.count() + MembershipPlan.objects.count()
    if not treatments or existing >= total:
        return
    for n in range(existing, total):
        treatment = treatments[n % len(treatments)]
        if n % 3 == 2:
            upsert(
                MembershipPlanFactory,
                slug=f"scaled-membership-{n + 1}",
                title=f"Scaled membership {n + 1}",
                summary="One session a month to keep back pain from coming back.",
                treatment=treatment,
                monthly_price_minor=7900 + n * 100,
                sort_order=100 + n,
            )
        else:
            upsert(
                SessionSeriesFactory,
                slug=f"scaled-series-{n + 1}",
                title=f"Scaled series {n + 1}",
                summary="Five sessions, valid for six months.",
                treatment=treatment,
                price_minor=40000 + n * 100,
                sort_order=100 + n,
            )
    stdout.write(f"Scaled offers: {total - existing} added ({total} in all).")


def scale(scale: dict[str, int], stdout) -> None:
    """Add scaled content until the totals in ``scale`` are reached (after the demo content is loaded)."""
    images = list(get_image_model().objects.order_by("pk")[:8])
    treatments = _scale_treatments(scale.get("treatments", 0), images, stdout)
    _scale_articles(scale.get("articles", 0), images, treatments, stdout)
    _scale_offers(scale.get("offers", 0), treatments, stdout)
