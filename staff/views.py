"""Read-only records of staff sign-in attempts (django-axes) in the Wagtail admin.

Superusers and the Managers group (staff/migrations/0001 gives it ``axes.view_accessattempt``)
see who tried to sign in, from where, how many times, and whether they are locked out.
Unlocking is ``manage.py axes_reset_username <name>`` (or ``axes_reset_ip``), see README.
"""

from __future__ import annotations

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.reports import ReportView

VIEW_PERMISSION = "axes.view_accessattempt"


def can_view(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(VIEW_PERMISSION))


class LockedOutColumn(BooleanColumn):
    def get_value(self, instance):
        return instance.failures_since_start >= settings.AXES_FAILURE_LIMIT and (
            settings.AXES_COOLOFF_TIME is None or instance.attempt_time + settings.AXES_COOLOFF_TIME > timezone.now()
        )


class _StaffReport(ReportView):
    header_icon = "lock"

    def dispatch(self, request, *args, **kwargs):
        if not can_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AccessAttemptReport(_StaffReport):
    page_title = "Staff sign-in attempts"
    index_url_name = "staff_access_attempts"
    index_results_url_name = "staff_access_attempts_results"
    list_export = ["attempt_time", "username", "ip_address", "failures_since_start", "path_info", "user_agent"]
    columns = [
        DateColumn("attempt_time", label="Last attempt"),
        Column("username", label="Username"),
        Column("ip_address", label="Address"),
        Column("failures_since_start", label="Failed attempts"),
        LockedOutColumn("locked_out", label="Locked out now"),
        Column("path_info", label="Page"),
        Column("user_agent", label="Browser"),
    ]

    def get_queryset(self):
        return AccessAttempt.objects.order_by("-attempt_time")


class AccessFailureReport(_StaffReport):
    page_title = "Staff sign-in failures (log)"
    index_url_name = "staff_access_failures"
    index_results_url_name = "staff_access_failures_results"
    list_export = ["attempt_time", "username", "ip_address", "locked_out", "path_info", "user_agent"]
    columns = [
        DateColumn("attempt_time", label="When"),
        Column("username", label="Username"),
        Column("ip_address", label="Address"),
        BooleanColumn("locked_out", label="Locked out"),
        Column("path_info", label="Page"),
        Column("user_agent", label="Browser"),
    ]

    def get_queryset(self):
        return AccessFailureLog.objects.order_by("-attempt_time")
