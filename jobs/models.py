"""One row per run of a scheduled job: when, what it did, how it ended."""

from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    """A run of a scheduled job for one scheduled minute (``slot``): at most one per job and slot.

    The unique (job, slot) pair is what keeps a job from running twice when two
    schedulers enqueue it for the same minute: the second run finds the row taken.
    """

    # Written every minute by the scheduler's jobs and never edited: keep it out of
    # Wagtail's reference index (no queued index task per save).
    wagtail_reference_index_ignore = True

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        PARTIAL = "partial", "Done, some items failed"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=100)
    slot = models.DateTimeField(help_text="The scheduled minute this run belongs to.")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    summary = models.TextField(blank=True, help_text="What the run did, in words.")
    counts = models.JSONField(default=dict, blank=True, help_text="What the run did, in numbers.")

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = "scheduled job run"
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="one_run_per_job_and_slot")]
        indexes = [models.Index(fields=["job", "-started_at"], name="jobrun_job_latest")]

    def __str__(self) -> str:
        return f"{self.job} at {self.slot:%Y-%m-%d %H:%M} ({self.get_outcome_display().lower()})"
