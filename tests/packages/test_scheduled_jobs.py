"""Scheduled jobs, driven the way production drives them: through the scheduler and the task framework.

``fire(name)`` does what django-crontask's scheduler does when a trigger fires: it
calls the job the scheduler holds (``task.enqueue``). The tests run on the immediate
backend, so the task runs at once, through ``jobs.runs.run_once`` like on a worker;
the two-schedulers test switches to the database backend and runs ``db_worker``.
``clock`` moves time on (Django's ``timezone.now``), so a second run is a later minute.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.triggers.cron import CronTrigger
from crontask import scheduler
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from wagtail.models import PageLogEntry

from jobs.models import JobRun
from jobs.tasks import JOBS, SCHEDULE
from packages import payments, services
from packages.models import CreditEntry, CreditGrant, GiftCard, LedgerKind, MagicLink, Order

from .conftest import checkout_session, make_order, start_checkout

pytestmark = pytest.mark.django_db


def scheduled(name: str):
    [job] = [job for job in scheduler.get_jobs() if job.name == name]
    return job


def fire(name: str):
    """The scheduler's own call when ``name``'s trigger fires: enqueue it on the task framework."""
    return scheduled(name).func()


@pytest.fixture
def clock(monkeypatch):
    real_now = timezone.now

    class Clock:
        offset = timedelta()

        def advance(self, **delta):
            self.offset += timedelta(**delta)

    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


# --- The scheduler holds every job --------------------------------------------------------------


def test_the_scheduler_holds_every_job_on_its_cron_line():
    held = {job.name: job for job in scheduler.get_jobs() if job.name in JOBS}
    assert set(held) == set(SCHEDULE) == set(JOBS)
    for name, job in held.items():
        assert isinstance(job.trigger, CronTrigger)
        assert str(job.trigger.timezone) == "UTC"  # TIME_ZONE
        assert job.func == JOBS[name].enqueue  # firing enqueues the task for the workers
        assert JOBS[name].module_path == f"jobs.tasks.{name}"
    at = datetime(2026, 3, 2, 7, 30, 20, tzinfo=UTC)
    next_runs = {name: job.trigger.get_next_fire_time(None, at) for name, job in held.items()}
    assert next_runs == {
        "publish_scheduled_pages": datetime(2026, 3, 2, 7, 31, tzinfo=UTC),  # every minute
        "deliver_due_gift_cards": datetime(2026, 3, 2, 8, 5, tzinfo=UTC),  # hourly in the day
        "send_expiry_reminders": datetime(2026, 3, 2, 9, 0, tzinfo=UTC),  # daily
        "expire_balances": datetime(2026, 3, 2, 8, 10, tzinfo=UTC),  # hourly
        "stripe_reconcile": datetime(2026, 3, 3, 4, 40, tzinfo=UTC),  # nightly
        "purge_sign_in_links": datetime(2026, 3, 3, 3, 20, tzinfo=UTC),  # nightly
        "purge_task_results": datetime(2026, 3, 3, 3, 30, tzinfo=UTC),  # nightly
        "prune_stripe_events": datetime(2026, 3, 3, 3, 50, tzinfo=UTC),  # nightly
    }
    evening = datetime(2026, 3, 2, 20, 6, tzinfo=UTC)
    assert held["deliver_due_gift_cards"].trigger.get_next_fire_time(None, evening) == datetime(
        2026, 3, 3, 8, 5, tzinfo=UTC
    )  # no gift emails at night


def test_a_fired_job_runs_through_the_task_framework_and_records_its_run():
    result = fire("purge_sign_in_links")

    assert result.status == TaskResultStatus.SUCCESSFUL
    run = JobRun.objects.get()
    assert result.return_value == {"slot": run.slot.isoformat(), "deleted": 0}
    assert (run.job, run.outcome, run.counts) == ("purge_sign_in_links", JobRun.Outcome.DONE, {"deleted": 0})
    assert run.summary == "Deleted 0 used or expired sign-in links."
    assert run.started_at <= run.finished_at
    assert run.slot.second == run.slot.microsecond == 0


def test_a_failing_job_is_recorded_as_failed(monkeypatch):
    def broken():
        raise RuntimeError("database went away")

    monkeypatch.setattr("jobs.work.purge_sign_in_links", broken)
    result = fire("purge_sign_in_links")

    assert result.status == TaskResultStatus.FAILED
    run = JobRun.objects.get()
    assert run.outcome == JobRun.Outcome.FAILED
    assert run.summary == "RuntimeError: database went away"
    assert run.finished_at is not None


def test_run_now_from_the_command_line_and_the_listing(capsys):
    call_command("scheduled_jobs", "--run", "expire_balances", stdout=io.StringIO())
    assert JobRun.objects.get().job == "expire_balances"
    out = io.StringIO()
    call_command("scheduled_jobs", stdout=out)
    listing = out.getvalue()
    assert "publish_scheduled_pages    cron[month='*', day='*', day_of_week='*', hour='*', minute='*']" in listing
    assert "last " in listing and "done: Expired 0 sessions on 0 credits" in listing
    assert listing.count("never run") == len(JOBS) - 1


# --- Each job: its effect once, however often it runs -------------------------------------------


def test_scheduled_pages_go_live_and_expire_once(site_tree, clock):
    draft, about = site_tree.draft_article, site_tree.about
    draft.go_live_at = timezone.now() + timedelta(hours=1)
    draft.save_revision().publish()  # approved for later: Wagtail schedules it
    about.expire_at = timezone.now() + timedelta(hours=1)
    about.save_revision().publish()
    draft.refresh_from_db()
    assert not draft.live and about.live

    fire("publish_scheduled_pages")
    draft.refresh_from_db()
    assert not draft.live  # not yet

    clock.advance(hours=1, minutes=1)
    result = fire("publish_scheduled_pages")
    assert result.return_value["published"] == 1 and result.return_value["unpublished"] == 1
    draft.refresh_from_db()
    about.refresh_from_db()
    assert draft.live and not about.live and about.expired

    clock.advance(minutes=1)
    again = fire("publish_scheduled_pages")
    assert (again.return_value["published"], again.return_value["unpublished"]) == (0, 0)
    assert PageLogEntry.objects.filter(action="wagtail.publish.scheduled", page=draft).count() == 1
    assert PageLogEntry.objects.filter(action="wagtail.unpublish.scheduled", page=about).count() == 1
    assert list(JobRun.objects.filter(job="publish_scheduled_pages").values_list("counts", flat=True)) == [
        {"published": 0, "unpublished": 0},
        {"published": 1, "unpublished": 1},
        {"published": 0, "unpublished": 0},
    ]


def test_gift_cards_are_delivered_on_their_date_once(shop, clock):
    tomorrow = timezone.localdate() + timedelta(days=1)
    gift = services.GiftDetails(
        recipient_name="Ana", recipient_email="ana@example.com", sender_name="Sam", delivery_date=tomorrow
    )
    order = start_checkout(make_order(shop.gift, email="sam@example.com", amount_minor=5000, gift=gift))
    services.order_fulfil(session=checkout_session(order))
    card = GiftCard.objects.get()
    to_ana = lambda: [m for m in mail.outbox if m.to == ["ana@example.com"]]  # noqa: E731

    assert fire("deliver_due_gift_cards").return_value["delivered"] == 0  # not its date yet
    clock.advance(days=1)
    assert fire("deliver_due_gift_cards").return_value == {
        "slot": JobRun.objects.first().slot.isoformat(),
        "delivered": 1,
        "failed": 0,
    }
    clock.advance(minutes=1)
    assert fire("deliver_due_gift_cards").return_value["delivered"] == 0
    card.refresh_from_db()
    assert card.status == GiftCard.Status.ACTIVE
    assert len(to_ana()) == 1


def test_expiry_reminders_are_sent_once(shop, clock, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.order_fulfil(session=checkout_session(make_order(shop.series)))
    CreditGrant.objects.update(expires_at=timezone.now() + timedelta(days=10))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert fire("send_expiry_reminders").return_value["reminders"] == 1
    clock.advance(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert fire("send_expiry_reminders").return_value["reminders"] == 0
    assert [m.to for m in mail.outbox] == [["maya.buyer@example.com"]]


def test_expired_credits_get_one_expire_entry(shop, clock):
    services.order_fulfil(session=checkout_session(make_order(shop.series)))
    grant = CreditGrant.objects.get()
    clock.advance(days=400)  # past the series' 12 months

    first = fire("expire_balances")
    clock.advance(hours=1)
    second = fire("expire_balances")

    assert (first.return_value["credits"], first.return_value["sessions"]) == (1, 5)
    assert (second.return_value["credits"], second.return_value["sessions"]) == (0, 0)
    grant.refresh_from_db()
    [entry] = CreditEntry.objects.filter(kind=LedgerKind.EXPIRE)
    assert entry.grant == grant and entry.delta == -5
    assert grant.balance == 0 == sum(grant.entries.values_list("delta", flat=True))
    assert JobRun.objects.first().summary == "Expired 0 sessions on 0 credits and nothing on 0 gift cards."


def test_used_and_expired_sign_in_links_are_purged(clock):
    services.customer_get_or_create(email="ana@example.com")
    (used, used_token), (expired, _), (open_link, open_token) = (
        services.magic_link_issue(email="ana@example.com") for _ in range(3)
    )
    MagicLink.objects.filter(pk=used.pk).update(used_at=timezone.now())
    MagicLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert fire("purge_sign_in_links").return_value["deleted"] == 2
    clock.advance(minutes=1)
    assert fire("purge_sign_in_links").return_value["deleted"] == 0
    assert list(MagicLink.objects.all()) == [open_link]
    assert services.magic_link_consume(token=open_token) is not None  # the open one still signs in


def test_old_finished_task_results_and_job_runs_are_purged(settings, clock):
    settings.TASK_RESULTS_KEEP_DAYS = 14
    now, old = timezone.now(), timezone.now() - timedelta(days=15)

    def result(status, finished_at, run_after=now):
        return DBTaskResult.objects.create(
            task_path="packages.tasks.send_expiry_reminder",
            backend_name="default",
            args_kwargs={"args": [1], "kwargs": {}},
            run_after=run_after,
            status=status,
            finished_at=finished_at,
        )

    result(TaskResultStatus.SUCCESSFUL, old)
    result(TaskResultStatus.FAILED, old)
    recent = result(TaskResultStatus.SUCCESSFUL, now - timedelta(days=2))
    waiting = result(TaskResultStatus.READY, None, run_after=now + timedelta(days=30))  # a deferred gift card
    DBTaskResult.objects.filter(pk=waiting.pk).update(enqueued_at=old)
    JobRun.objects.create(job="expire_balances", slot=old, started_at=old, outcome=JobRun.Outcome.DONE)

    first = fire("purge_task_results")
    clock.advance(days=1)
    second = fire("purge_task_results")

    assert (first.return_value["task_results"], first.return_value["job_runs"]) == (2, 1)
    assert (second.return_value["task_results"], second.return_value["job_runs"]) == (0, 0)
    assert set(DBTaskResult.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
    assert JobRun.objects.filter(job="purge_task_results").count() == 2


# --- Two schedulers by mistake ------------------------------------------------------------------


def test_two_schedulers_firing_the_same_minute_run_the_job_once(site_tree, settings, clock, monkeypatch):
    """Both schedulers enqueue the job; the workers run both tasks; only one does the work."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker closes stale connections between tasks; here that would be the test's own.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    draft = site_tree.draft_article
    draft.go_live_at = timezone.now() + timedelta(minutes=30)
    draft.save_revision().publish()
    clock.advance(minutes=31)

    minute = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    from_first, from_second = fire("publish_scheduled_pages"), fire("publish_scheduled_pages")
    # The two hosts' clocks differ by a few seconds around the same scheduled minute.
    DBTaskResult.objects.filter(pk=from_first.id).update(enqueued_at=minute + timedelta(seconds=2))
    DBTaskResult.objects.filter(pk=from_second.id).update(enqueued_at=minute - timedelta(seconds=7))
    next_minute = fire("publish_scheduled_pages")  # the following minute is a run of its own
    DBTaskResult.objects.filter(pk=next_minute.id).update(enqueued_at=minute + timedelta(seconds=60))

    call_command("db_worker", batch=True, reload=False, interval=0, startup_delay=False, verbosity=0)

    results = {str(r.pk): r for r in DBTaskResult.objects.all()}
    returned = sorted(
        (str(results[r.id].return_value.get("published", "skipped")), results[r.id].status)
        for r in (from_first, from_second)
    )
    assert returned == [("1", "SUCCESSFUL"), ("skipped", "SUCCESSFUL")]
    assert results[next_minute.id].return_value["published"] == 0
    assert JobRun.objects.filter(job="publish_scheduled_pages", slot=minute).count() == 1
    assert JobRun.objects.filter(job="publish_scheduled_pages").count() == 2
    draft.refresh_from_db()
    assert draft.live
    assert PageLogEntry.objects.filter(action="wagtail.publish.scheduled", page=draft).count() == 1


# --- Managers see the runs ----------------------------------------------------------------------


def test_managers_see_job_runs_read_only_and_front_desk_does_not(client, django_user_model):
    fire("purge_sign_in_links")
    run = JobRun.objects.get()
    manager = django_user_model.objects.create_user("manager", password="pw-123456789")
    manager.groups.add(Group.objects.get(name="Managers"))
    desk = django_user_model.objects.create_user("desk", password="pw-123456789")
    desk.groups.add(Group.objects.get(name="Front desk"))

    client.force_login(manager)
    listing = client.get("/admin/scheduled-jobs/")
    assert listing.status_code == 200
    assert "purge_sign_in_links" in listing.text and "Deleted 0 used or expired sign-in links." in listing.text
    assert client.get("/admin/scheduled-jobs/?job=publish_scheduled_pages").status_code == 200
    assert client.get(f"/admin/scheduled-jobs/inspect/{run.pk}/").status_code == 200
    assert client.get("/admin/scheduled-jobs/new/").status_code in (302, 403, 404)
    assert client.get(f"/admin/scheduled-jobs/edit/{run.pk}/").status_code in (302, 403, 404)
    assert "/admin/scheduled-jobs/" in client.get("/admin/").text  # in the menu

    client.force_login(desk)
    assert client.get("/admin/scheduled-jobs/").status_code in (302, 403)


def test_the_nightly_reconcile_applies_what_a_webhook_missed(shop, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(payments.stand_in, "post_event", lambda evt: 200)  # our endpoint was down
    order = make_order(shop.series)
    with django_capture_on_commit_callbacks(execute=True):
        services.stand_in_checkout_pay(session_id=order.stripe_checkout_session_id)
    result = fire("stripe_reconcile")
    assert result.status == TaskResultStatus.SUCCESSFUL
    run = JobRun.objects.get(job="stripe_reconcile")
    assert run.counts == {"seen": 1, "already": 0, "applied": 1, "review": 0}
    assert Order.objects.get(pk=order.pk).status == Order.Status.FULFILLED
