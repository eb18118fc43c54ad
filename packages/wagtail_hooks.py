from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from .viewsets import READ_ONLY_MODELS, ReadOnlyPolicy, ShopViewSetGroup

for _model in READ_ONLY_MODELS:
    register_permission_policy(_model, ReadOnlyPolicy(_model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_shop_viewsets():
    return ShopViewSetGroup()


@hooks.register("register_admin_urls")
def register_front_desk_urls():
    from django.urls import include, path

    from . import frontdesk
    from .reports import reports

    return [
        path("front-desk/", include((frontdesk.urlpatterns, "frontdesk"), namespace="frontdesk")),
        path("shop/reports/", reports, name="shop_reports"),
    ]


class FrontDeskMenuItem(MenuItem):
    def is_shown(self, request):
        from .frontdesk import user_can_use_front_desk

        return user_can_use_front_desk(request.user)


@hooks.register("register_admin_menu_item")
def register_front_desk_menu_item():
    return FrontDeskMenuItem("Front desk", reverse("frontdesk:search"), icon_name="user", order=200)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("packages.view_order")


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem("Shop reports", reverse("shop_reports"), icon_name="table", order=260)
