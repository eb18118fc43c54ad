from crontask import scheduler
from django.core.management.base import BaseCommand
from django.utils import timezone

from jobs.models import JobRun
from jobs.tasks import JOBS


class Command(BaseCommand):
    help = (
        "List the scheduled jobs as the scheduler (manage.py crontask) holds them: trigger, next run, "
        "last run. With --run NAME, enqueue that job now for the task workers, as the scheduler does."
    )

    def add_arguments(self, parser):
        parser.add_argument("--run", metavar="NAME", choices=sorted(JOBS), help="enqueue this job now")

    def handle(self, *args, run=None, **options):
        if run:
            result = JOBS[run].enqueue()
            self.stdout.write(f"Enqueued {run} (task result {result.id}); a worker runs it.")
            return
        now = timezone.now()
        for job in scheduler.get_jobs():
            if job.name not in JOBS:
                continue
            last = JobRun.objects.filter(job=job.name).first()
            upcoming = job.trigger.get_next_fire_time(None, now)
            self.stdout.write(
                f"{job.name:<26} {job.trigger}\n"
                f"{'':<26} next {upcoming:%Y-%m-%d %H:%M %Z}; "
                + (f"last {last.started_at:%Y-%m-%d %H:%M} {last.outcome}: {last.summary}" if last else "never run")
            )
