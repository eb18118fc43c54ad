"""The schedule: each job is a Django task with its cron line (times in ``TIME_ZONE``).

``manage.py crontask`` (django-crontask) imports this module, as it imports every
installed app's ``tasks`` module, and enqueues each task when its trigger fires; the
task workers run it. Each task body is :func:`jobs.runs.run_once` around the job in
:mod:`jobs.work`, so a run counts once per job and minute. To run one now, enqueue it
like the scheduler does: ``manage.py scheduled_jobs --run NAME``.
"""

from __future__ import annotations

from crontask import cron
from django.tasks import TaskContext, task

from . import work
from .runs import run_once

#: Job name → its cron line, for people and tests (the triggers themselves are on the scheduler).
SCHEDULE = {
    # Wagtail's "go live" and "expiry" dates take effect within a minute.
    "publish_scheduled_pages": "* * * * *",
    # Future-dated gifts are queued for 08:00 on their date; this catches what that missed
    # (a stopped worker, a refused email) hourly in the day, never at night.
    "deliver_due_gift_cards": "5 8-20 * * *",
    "send_expiry_reminders": "0 9 * * *",
    # Hourly, so a ledger says "expired" within the hour of its date.
    "expire_balances": "10 * * * *",
    # Whatever a webhook missed (our endpoint down, a delivery lost), applied from Stripe's own lists.
    "stripe_reconcile": "40 4 * * *",
    "purge_sign_in_links": "20 3 * * *",
    "purge_task_results": "30 3 * * *",
    # Processed Stripe events older than STRIPE_EVENT_RETENTION_DAYS lose their payload (personal data).
    "prune_stripe_events": "50 3 * * *",
}


@cron(SCHEDULE["publish_scheduled_pages"])
@task(takes_context=True)
def publish_scheduled_pages(context: TaskContext) -> dict:
    return run_once(context, work.publish_scheduled_pages)


@cron(SCHEDULE["deliver_due_gift_cards"])
@task(takes_context=True)
def deliver_due_gift_cards(context: TaskContext) -> dict:
    return run_once(context, work.deliver_due_gift_cards)


@cron(SCHEDULE["send_expiry_reminders"])
@task(takes_context=True)
def send_expiry_reminders(context: TaskContext) -> dict:
    return run_once(context, work.send_expiry_reminders)


@cron(SCHEDULE["expire_balances"])
@task(takes_context=True)
def expire_balances(context: TaskContext) -> dict:
    return run_once(context, work.expire_balances)


@cron(SCHEDULE["stripe_reconcile"])
@task(takes_context=True)
def stripe_reconcile(context: TaskContext) -> dict:
    return run_once(context, work.stripe_reconcile)


@cron(SCHEDULE["purge_sign_in_links"])
@task(takes_context=True)
def purge_sign_in_links(context: TaskContext) -> dict:
    return run_once(context, work.purge_sign_in_links)


@cron(SCHEDULE["purge_task_results"])
@task(takes_context=True)
def purge_task_results(context: TaskContext) -> dict:
    return run_once(context, work.purge_task_results)


@cron(SCHEDULE["prune_stripe_events"])
@task(takes_context=True)
def prune_stripe_events(context: TaskContext) -> dict:
    return run_once(context, work.prune_stripe_events)


#: The job tasks by name (what ``scheduled_jobs --run`` and the admin's filter offer).
JOBS = {
    t.name: t
    for t in (
        publish_scheduled_pages,
        deliver_due_gift_cards,
        send_expiry_reminders,
        expire_balances,
        stripe_reconcile,
        purge_sign_in_links,
        purge_task_results,
        prune_stripe_events,
    )
}
