"""The shop in the Wagtail admin: its viewsets, the front desk, and the reports under "Reports"."""

from django.conf import settings
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from .staff import urls as staff_urls
from .staff.dashboard import ShopTodayPanel, user_sees_shop_panel
from .staff.frontdesk import user_can_use_front_desk
from .staff.reports import REPORTS
from .staff.viewsets import READ_ONLY_MODELS, ReadOnlyPolicy, ShopViewSetGroup

for _model in READ_ONLY_MODELS:
    register_permission_policy(_model, ReadOnlyPolicy(_model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_shop_viewsets():
    return ShopViewSetGroup()


def _report_urls():
    for slug, _title, view in REPORTS:
        yield path(f"{slug}/", view.as_view(), name=slug)
        yield path(f"{slug}/results/", view.as_view(results_only=True), name=f"{slug}_results")


@hooks.register("register_admin_urls")
def register_shop_admin_urls():
    return [
        path("front-desk/", include((staff_urls.urlpatterns, "frontdesk"), namespace="frontdesk")),
        path("reports/shop/", include((list(_report_urls()), "shop_reports"), namespace="shop_reports")),
    ]


@hooks.register("construct_homepage_panels")
def add_shop_today_panel(request, panels):
    if user_sees_shop_panel(request.user):
        panels.append(ShopTodayPanel(request.user))


class FrontDeskMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_use_front_desk(request.user)


@hooks.register("register_admin_menu_item")
def register_front_desk_menu_item():
    return FrontDeskMenuItem("Front desk", reverse("frontdesk:search"), icon_name="user", order=200)


class StandInMenuItem(MenuItem):
    def is_shown(self, request):
        return settings.STRIPE_OFFLINE and request.user.has_perm("packages.refund_order")


@hooks.register("register_admin_menu_item")
def register_stand_in_menu_item():
    return StandInMenuItem("Stripe stand-in", reverse("frontdesk:stand_in"), icon_name="resubmit", order=270)


class ManagerReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("packages.view_order")


def _report_menu_item(slug: str, title: str, order: int):
    return ManagerReportMenuItem(
        title, reverse(f"shop_reports:{slug}"), name=f"shop-{slug}", icon_name="table", order=order
    )


for _order, (_slug, _title, _view) in enumerate(REPORTS):
    hooks.register(
        "register_reports_menu_item",
        lambda slug=_slug, title=_title, order=_order: _report_menu_item(slug, title, 900 + order),
    )
