"""Scheduled jobs run at the same moment on two workers: still one effect (PostgreSQL, real threads).

Two workers can hold two runs of a job at once: the same minute enqueued by two
schedulers, or a slow run still going when the next minute's starts. The first is
decided by the unique (job, slot) row, the second by each balance's row lock.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.utils import timezone

from jobs.models import JobRun
from jobs.runs import Work, run_once
from packages import services
from packages.models import CreditEntry, CreditGrant, Customer, LedgerKind
from packages.services import expiry

from .test_concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock concurrency needs PostgreSQL (SQLite ignores SELECT FOR UPDATE); set DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_runs_of_the_same_minute_at_once_do_the_work_once():
    enqueued = timezone.now().replace(second=0, microsecond=0) + timedelta(seconds=3)
    calls = []
    lock = threading.Lock()

    def slow_work():
        with lock:
            calls.append(1)
        time.sleep(0.3)
        return Work("Did it.", {"done": 1})

    def worker_run():
        result = SimpleNamespace(task=SimpleNamespace(name="test_job"), enqueued_at=enqueued)
        context = SimpleNamespace(task_result=result)  # what the worker hands a task
        return run_once(context, slow_work)

    first, second = run_together(worker_run, worker_run)

    assert sorted([first.get("skipped", False), second.get("skipped", False)]) == [False, True]
    assert len(calls) == 1
    run = JobRun.objects.get()
    assert (run.job, run.outcome, run.counts) == ("test_job", JobRun.Outcome.DONE, {"done": 1})


def test_two_expiry_runs_at_once_write_one_entry_per_credit(monkeypatch):
    customer = Customer.objects.create(email="ana@example.com")
    grants = [
        services.credit_grant_create(
            customer=customer,
            source=CreditGrant.Source.SERIES,
            terms={"treatment": "Deep tissue", "session_minutes": 60},
            sessions=sessions,
            expires_at=timezone.now() - timedelta(hours=1),
            reason="Test",
        )
        for sessions in (5, 2)
    ]
    real_move = expiry.balance_move

    def slow_move(model, pk, *, delta, **kwargs):
        def slow_delta(row):
            time.sleep(0.2)  # hold the row lock, so the other run waits for it
            return delta(row)

        return real_move(model, pk, delta=slow_delta, **kwargs)

    monkeypatch.setattr(expiry, "balance_move", slow_move)
    first, second = run_together(services.credits_expire, services.credits_expire)

    assert first.sessions + second.sessions == 7
    assert first.credits + second.credits == 2
    entries = CreditEntry.objects.filter(kind=LedgerKind.EXPIRE)
    assert sorted(entries.values_list("grant_id", "delta")) == sorted([(grants[0].pk, -5), (grants[1].pk, -2)])
    for grant in CreditGrant.objects.all():
        assert grant.balance == 0 == sum(grant.entries.values_list("delta", flat=True))
