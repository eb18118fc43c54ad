"""What each scheduled job does: one function each, idempotent, returning what it did.

Running any of them twice, or twice at once, has the effect of running it once:
what they act on is chosen by state (due and not yet done), and each item is
re-checked under its row lock or by a conditional update. The shop's work lives in
``packages.services``; these functions only call it and count.
"""

from __future__ import annotations

import io
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import DraftStateMixin, Page, Revision

from home.money import format_money
from packages import services

from .models import JobRun
from .runs import Work

#: Reminders go out this many days before a series expires (as ``send_expiry_reminders`` does).
REMINDER_WITHIN_DAYS = 30
#: The window the daily Stripe reconcile looks back over (Stripe retries a webhook for three days).
RECONCILE_DAYS = 3


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def publish_scheduled_pages() -> Work:
    """Wagtail's ``publish_scheduled``: go live what is due, take down what expired.

    Wagtail keeps this logic in the management command alone, so it is called as is;
    the counts are what was due when the run started. Publishing a revision clears
    its go-live date and unpublishing marks the page expired, so a second run finds
    nothing left to do.
    """
    now = timezone.now()
    models = [Page] + [m for m in apps.get_models() if issubclass(m, DraftStateMixin) and not issubclass(m, Page)]
    to_publish = Revision.objects.filter(approved_go_live_at__lt=now).count()
    to_unpublish = sum(model.objects.filter(live=True, expire_at__lt=now).count() for model in models)
    if to_publish or to_unpublish:
        call_command("publish_scheduled", stdout=io.StringIO())
    return Work(
        f"Published {_plural(to_publish, 'scheduled revision')}, unpublished {_plural(to_unpublish, 'expired item')}.",
        {"published": to_publish, "unpublished": to_unpublish},
    )


def deliver_due_gift_cards() -> Work:
    """Email every scheduled gift card whose date has come (each card once: its status says so)."""
    run = services.gift_cards_deliver_due()
    summary = f"Delivered {_plural(run.delivered, 'gift card')}."
    if run.failed:
        summary += f" {len(run.failed)} could not be delivered and stay scheduled (ids {run.failed})."
    return Work(summary, {"delivered": run.delivered, "failed": len(run.failed)}, failed=len(run.failed))


def send_expiry_reminders() -> Work:
    """Remind each customer once when a series with sessions left expires soon."""
    sent = services.credit_expiry_reminders_send(within_days=REMINDER_WITHIN_DAYS)
    return Work(f"Queued {_plural(sent, 'expiry reminder')}.", {"reminders": sent})


def stripe_reconcile() -> Work:
    """Apply what a Stripe webhook missed in the last three days (safe while webhooks arrive)."""
    run = services.stripe_reconcile(since=timezone.now() - timedelta(days=RECONCILE_DAYS))
    return Work(
        f"Stripe reconcile: {run}.",
        {"seen": run.seen, "already": run.already, "applied": run.applied, "review": run.review},
    )


def expire_balances() -> Work:
    """Take what is left off expired credits and (with a legal expiry configured) gift cards."""
    run = services.balances_expire()
    amounts = ", ".join(format_money(amount, currency) for currency, amount in sorted(run.amount_minor.items()))
    summary = (
        f"Expired {_plural(run.sessions, 'session')} on {_plural(run.credits, 'credit')}"
        f" and {amounts or 'nothing'} on {_plural(run.gift_cards, 'gift card')}."
    )
    if run.failed:
        summary += f" Left for the next run: {', '.join(run.failed)}."
    counts = {"credits": run.credits, "sessions": run.sessions, "gift_cards": run.gift_cards}
    return Work(summary, counts | {"failed": len(run.failed)}, failed=len(run.failed))


def purge_sign_in_links() -> Work:
    """Delete used and expired "My account" sign-in links."""
    deleted = services.magic_links_purge()
    return Work(f"Deleted {_plural(deleted, 'used or expired sign-in link')}.", {"deleted": deleted})


def prune_stripe_events() -> Work:
    """Empty the payload of processed Stripe events older than ``STRIPE_EVENT_RETENTION_DAYS``.

    The payloads carry names and email addresses; after the retention period the row keeps
    only the event's id, type and dates (duplicates are still recognised). Unprocessed
    events keep theirs until a manager replays them.
    """
    pruned = services.stripe_events_prune()
    return Work(
        f"Emptied {_plural(pruned, 'Stripe event payload')} older than {settings.STRIPE_EVENT_RETENTION_DAYS} days.",
        {"pruned": pruned},
    )


def purge_task_results() -> Work:
    """Delete finished task results and job-run records older than ``TASK_RESULTS_KEEP_DAYS``.

    Only finished results go: tasks waiting to run (a gift card deferred to its date)
    or running stay, whatever their age.
    """
    cutoff = timezone.now() - timedelta(days=settings.TASK_RESULTS_KEEP_DAYS)
    results, _ = DBTaskResult.objects.finished().filter(finished_at__lte=cutoff).delete()
    runs, _ = JobRun.objects.filter(started_at__lte=cutoff).delete()
    return Work(
        f"Deleted {_plural(results, 'finished task result')} and {_plural(runs, 'job run')} "
        f"older than {settings.TASK_RESULTS_KEEP_DAYS} days.",
        {"task_results": results, "job_runs": runs},
    )
