"""The benchmark's in-process steps, run by bench/run.py against the benchmark's database.

    python bench/django_steps.py prepare OUT.json --orders N   targets, and N paid-but-unfulfilled orders
    python bench/django_steps.py queries TARGETS.json OUT.json [MODES]  queries per request, per cache mode
    python bench/django_steps.py verify PREPARED.json OUT.json  every webhook order fulfilled exactly once

The environment (DATABASE_URL, DEBUG=0, …) is the one the servers run with.
Queries are counted with the test Client and CaptureQueriesContext, not in gunicorn.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import site_bootstrap  # noqa: E402 - makes site/ importable as "site"

site_bootstrap.install()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

HOST = "127.0.0.1"
CHECKOUT_EMAIL = "bench.buyer@example.com"

# name → (cache modes it is measured in); "page" mode only for what the page cache may serve.
MODES = {
    "default": {},  # the settings' own defaults (run in the default mode's environment)
    "uncached": {"CONTENT_CACHE_SECONDS": 0, "PAGE_CACHE_SECONDS": 0},
    "content": {"CONTENT_CACHE_SECONDS": 300, "PAGE_CACHE_SECONDS": 0},
    "page": {"CONTENT_CACHE_SECONDS": 300, "PAGE_CACHE_SECONDS": 300},
}


def _mounted(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.url_name != "wagtail_serve"


def public_targets() -> list[dict]:
    from blog.models import ArticlePage, BlogIndexPage
    from home.models import HomePage, Topic, TreatmentIndexPage, TreatmentPage

    home = HomePage.objects.live().first()
    treatments = TreatmentIndexPage.objects.live().first()
    treatment = TreatmentPage.objects.live().order_by("path").first()
    blog = BlogIndexPage.objects.live().first()
    article = ArticlePage.objects.live().order_by("-date", "-pk").first()
    topic = Topic.objects.filter(articles__live=True).order_by("name").first()
    targets = [
        ("home", home.url),
        ("treatment index", treatments.url),
        ("treatment", treatment.url),
        ("blog index", blog.url),
        ("article", article.url),
        ("topic listing", f"{blog.url}topic/{topic.slug}/"),
        ("search", "/search/?q=sciatica"),
        ("sitemap", "/sitemap.xml"),
        ("pages API v2", "/api/v2/pages/?type=blog.ArticlePage&fields=*"),
        ("pages API v3", "/api/v3/pages/?type=blog.ArticlePage"),
        ("shop offers API", "/api/shop/offers"),
    ]
    out = []
    for name, url in targets:
        path = url.split("?")[0]
        mounted = _mounted(path) if name.startswith("pages API") else True
        out.append({"name": name, "url": url, "method": "GET", "mounted": mounted})
    return out


def _paid_orders(count: int, offer) -> list[dict]:
    """Pending orders with a stand-in Checkout Session that the buyer has paid: the events Stripe would send."""
    from packages import payments, services
    from packages.models import StandInCheckoutSession

    events = []
    for n in range(count):
        order = services.order_create(
            offer=offer, email=f"bench-{n}@example.com", name=f"Bench Buyer {n}", disclaimer_accepted=True
        )
        services.order_start_checkout(
            order=order,
            success_url=settings.SITE_URL + "/shop/ok?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=settings.SITE_URL + "/shop/cancel",
        )
        stand_in = StandInCheckoutSession.objects.select_related("order__customer").get(order=order)
        completed = [
            e for e in payments.stand_in_objects.stand_in_pay(stand_in) if e["type"] == "checkout.session.completed"
        ]
        events.append({"order": order.public_token, "event": completed[0]})
    return events


def prepare(out: Path, orders: int) -> None:
    from packages.models import SessionSeries

    offer = SessionSeries.objects.filter(active=True).order_by("sort_order", "pk").first()
    data = {
        "targets": public_targets(),
        "checkout": {"kind": offer.kind, "slug": offer.slug, "email": CHECKOUT_EMAIL, "name": "Bench Buyer"},
        "webhook_secret": settings.STRIPE_WEBHOOK_SECRET,
        "webhook_orders": _paid_orders(orders, offer),
        # One more for the in-process query count, never sent to the servers.
        "query_order": _paid_orders(1, offer)[0],
    }
    out.write_text(json.dumps(data))


def _count(client: Client, method: str, url: str, **kwargs) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method.lower())(url, **kwargs)
    return response.status_code, len(ctx.captured_queries)


def queries(prepared_path: Path, out: Path, modes: list[str]) -> None:
    import stripe

    prepared = json.loads(prepared_path.read_text())
    # A target that fails is reported with its status, not allowed to stop the benchmark.
    client = Client(HTTP_HOST=HOST, raise_request_exception=False)
    result: dict[str, dict] = {}
    for mode in modes:
        overrides = MODES[mode]
        with override_settings(**overrides):
            cache.clear()
            for target in prepared["targets"]:
                if not target["mounted"]:
                    continue
                first = client.get(target["url"])  # warms renditions and caches
                status, count = _count(client, "GET", target["url"])
                result.setdefault(target["name"], {})[mode] = {
                    "queries": count,
                    "status": status,
                    "first_status": first.status_code,
                    "page_cache": "",
                }
    if "uncached" not in modes:
        out.write_text(json.dumps(result))
        return
    with override_settings(**MODES["uncached"]):
        body = json.dumps({**prepared["checkout"], "accept_disclaimer": True})
        status, count = _count(client, "POST", "/api/shop/checkout", data=body, content_type="application/json")
        result["checkout (POST)"] = {"uncached": {"queries": count, "status": status}}
        payload = json.dumps(prepared["query_order"]["event"])
        header = stripe.WebhookSignature.generate_signature_header(payload, prepared["webhook_secret"])
        status, count = _count(
            client, "POST", "/stripe/webhook/", data=payload, content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )  # fmt: skip
        result["webhook (POST)"] = {"uncached": {"queries": count, "status": status}}
    out.write_text(json.dumps(result))


def verify(prepared_path: Path, sent_path: Path, out: Path) -> None:
    """Every order whose event was delivered is fulfilled once: one credit grant, one grant entry, one event row."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from packages import tasks
    from packages.models import CreditEntry, CreditGrant, Order, StripeEvent

    prepared = json.loads(prepared_path.read_text())
    sent = set(json.loads(sent_path.read_text()))
    tokens = [item["order"] for item in prepared["webhook_orders"] if item["order"] in sent]
    event_ids = [item["event"]["id"] for item in prepared["webhook_orders"] if item["order"] in sent]
    orders = Order.objects.filter(public_token__in=tokens)
    fulfilled = orders.filter(status=Order.Status.FULFILLED, fulfilled_at__isnull=False).count()
    grants = CreditGrant.objects.filter(order__public_token__in=tokens)
    per_order = grants.values("order").annotate(n=Count("pk"))
    doubled = sum(1 for row in per_order if row["n"] > 1)
    entries = CreditEntry.objects.filter(grant__order__public_token__in=tokens, kind="grant").count()
    events = StripeEvent.objects.filter(event_id__in=event_ids)
    processed = events.filter(processed_at__isnull=False).count()
    failed = events.exclude(error="").count()
    # Each fulfilled order's email task, enqueued in the delivery's transaction: exactly one per order.
    order_ids = set(orders.values_list("pk", flat=True))
    email_tasks = [
        args["args"][0]
        for args in DBTaskResult.objects.filter(task_path=tasks.send_order_emails.module_path).values_list(
            "args_kwargs", flat=True
        )
        if args["args"] and args["args"][0] in order_ids
    ]
    result = {
        "sent": len(tokens),
        "fulfilled": fulfilled,
        "grants": grants.count(),
        "grant_entries": entries,
        "double_fulfilled": doubled,
        "events_stored": events.count(),
        "events_processed": processed,
        "events_failed": failed,
        "email_tasks": len(email_tasks),
        "orders_with_two_email_tasks": len(email_tasks) - len(set(email_tasks)),
    }
    result["ok"] = (
        fulfilled == len(tokens) == result["grants"] == entries == processed == result["events_stored"]
        and len(tokens) == len(email_tasks) == len(set(email_tasks))
        and not doubled
        and not failed
    )
    out.write_text(json.dumps(result))


if __name__ == "__main__":
    step = sys.argv[1]
    if step == "prepare":
        prepare(Path(sys.argv[2]), int(sys.argv[3]))
    elif step == "queries":
        modes = sys.argv[4] if len(sys.argv) > 4 else "uncached,content,page"
        queries(Path(sys.argv[2]), Path(sys.argv[3]), modes.split(","))
    elif step == "verify":
        verify(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        raise SystemExit(__doc__)
