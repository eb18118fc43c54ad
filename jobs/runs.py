"""Running a scheduled job once per scheduled minute, and recording what it did.

The scheduler calls ``task.enqueue()`` with no arguments, so a run learns its
scheduled minute (its *slot*) from when it was enqueued: ``enqueued_at`` rounded to
the nearest minute (a trigger fires on the minute; rounding also absorbs clock skew of
up to 30 seconds between two scheduler hosts). Before doing any work a run inserts
its :class:`~jobs.models.JobRun` row; the unique (job, slot) constraint lets exactly
one insert win, so when two schedulers enqueue the same job for the same minute the
second run skips, whichever worker picks it up and whenever.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.tasks import TaskContext
from django.utils import timezone

from .models import JobRun

logger = logging.getLogger("jobs")


@dataclass
class Work:
    """What one run of a job did: a sentence for people, numbers for the record."""

    summary: str
    counts: dict[str, int] = field(default_factory=dict)
    failed: int = 0  # items that failed and are left for the next run (the run is "partial")


def slot_of(moment: datetime) -> datetime:
    """The scheduled minute an enqueue at ``moment`` belongs to (nearest whole minute)."""
    return (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)


def run_once(context: TaskContext, work: Callable[[], Work]) -> dict:
    """Run ``work`` for this task's slot unless a run of the same job already claimed it.

    Returns the task's result (what the worker stores): the slot and the counts, or
    ``skipped`` for a duplicate. A failing job is recorded as failed and re-raised, so
    the task result shows the error too.
    """
    job = context.task_result.task.name
    slot = slot_of(context.task_result.enqueued_at or timezone.now())
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=job, slot=slot, started_at=timezone.now())
    except IntegrityError:
        logger.info("%s for %s: already run for this minute (enqueued twice), skipped", job, f"{slot:%H:%M}")
        return {"slot": slot.isoformat(), "skipped": True}
    try:
        done = work()
    except Exception as exc:
        JobRun.objects.filter(pk=run.pk).update(
            outcome=JobRun.Outcome.FAILED, finished_at=timezone.now(), summary=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.exception("%s failed", job)
        raise
    outcome = JobRun.Outcome.PARTIAL if done.failed else JobRun.Outcome.DONE
    JobRun.objects.filter(pk=run.pk).update(
        outcome=outcome, finished_at=timezone.now(), summary=done.summary, counts=done.counts
    )
    # Every run is in JobRun; the log gets a line when a run did something (or some of it failed),
    # so the every-minute jobs do not drown the log, and DEBUG shows the empty runs too.
    level = logging.WARNING if done.failed else logging.INFO if any(done.counts.values()) else logging.DEBUG
    logger.log(level, "%s: %s %s", job, done.summary, done.counts)
    return {"slot": slot.isoformat(), **done.counts}
