"""Scheduled job runs in the Wagtail admin: read-only, for managers (``jobs.view_jobrun``)."""

from __future__ import annotations

import django_filters
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.permissions import register_permission_policy

from packages.staff.viewsets import ReadOnlyPolicy, ReadOnlyViewSet

from .models import JobRun
from .tasks import SCHEDULE

register_permission_policy(JobRun, ReadOnlyPolicy(JobRun), exact_class=True)


class JobRunFilterSet(WagtailFilterSet):
    job = django_filters.ChoiceFilter(choices=[(name, name) for name in SCHEDULE], label="Job")

    class Meta:
        model = JobRun
        fields = ["job", "outcome"]


class JobRunViewSet(ReadOnlyViewSet):
    model = JobRun
    icon = "time"
    menu_label = "Scheduled jobs"
    menu_order = 270
    add_to_admin_menu = True
    filterset_class = JobRunFilterSet
    list_display = ["job", "started_at", "finished_at", "outcome", "summary"]
    inspect_view_fields = ["job", "slot", "started_at", "finished_at", "outcome", "summary", "counts"]


@hooks.register("register_admin_viewset")
def register_job_runs():
    return JobRunViewSet("job_runs", url_prefix="scheduled-jobs")
