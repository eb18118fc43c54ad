from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import two_factor, views


@hooks.register("register_admin_urls")
def register_staff_urls():
    return [
        path("staff/sign-in-attempts/", views.AccessAttemptReport.as_view(), name="staff_access_attempts"),
        path(
            "staff/sign-in-attempts/results/",
            views.AccessAttemptReport.as_view(results_only=True),
            name="staff_access_attempts_results",
        ),
        path("staff/sign-in-failures/", views.AccessFailureReport.as_view(), name="staff_access_failures"),
        path("two-factor/verify/", two_factor.verify, name="staff_two_factor_verify"),
        path("two-factor/setup/", two_factor.setup, name="staff_two_factor_setup"),
        path(
            "staff/sign-in-failures/results/",
            views.AccessFailureReport.as_view(results_only=True),
            name="staff_access_failures_results",
        ),
    ]


class StaffRecordsMenuItem(MenuItem):
    def is_shown(self, request):
        return views.can_view(request.user)


@hooks.register("register_reports_menu_item")
def register_access_attempts_menu_item():
    return StaffRecordsMenuItem("Staff sign-in attempts", reverse("staff_access_attempts"), icon_name="lock", order=900)


@hooks.register("register_reports_menu_item")
def register_access_failures_menu_item():
    return StaffRecordsMenuItem("Staff sign-in failures", reverse("staff_access_failures"), icon_name="lock", order=901)


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    return {
        "url": reverse("staff_two_factor_setup"),
        "label": "Two-factor sign-in",
        "help_text": "Ask for a code from an authenticator app at each sign-in.",
    }
