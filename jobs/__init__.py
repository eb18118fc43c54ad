"""Scheduled jobs: the work that runs by itself, on a clock, with a record of each run.

``jobs/tasks.py`` declares each job as a Django task with its cron schedule
(django-crontask's ``@cron``). One scheduler process, ``manage.py crontask``, only
*enqueues* each job when its time comes; the task workers (``manage.py db_worker``)
run it. ``jobs/runs.py`` makes every run count once per job and scheduled minute
(a unique :class:`~jobs.models.JobRun` row), so a second scheduler started by
mistake, or a job enqueued twice, changes nothing; the jobs themselves are
idempotent too (``jobs/work.py``). Managers read the runs in the Wagtail admin
(``jobs/wagtail_hooks.py``). See README, "Operations".
"""
