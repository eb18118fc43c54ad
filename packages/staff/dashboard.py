"""The shop's panel on the admin dashboard, for Managers and the front desk: today, and what needs a person."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from wagtail.admin.ui.components import Component

from ..reports import today_numbers
from ..reports.common import signed_money
from .frontdesk import user_can_use_front_desk


def user_sees_shop_panel(user) -> bool:
    return user.has_perm("packages.view_order") or user_can_use_front_desk(user)


class ShopTodayPanel(Component):
    name = "shop_today"
    order = 90  # above Wagtail's own panels
    template_name = "shop/admin/dashboard_panel.html"

    def __init__(self, user):
        self.is_manager = user.has_perm("packages.view_order")

    def get_context_data(self, parent_context=None):
        today = today_numbers()
        links = {}
        if self.is_manager:
            links = {
                "webhooks": reverse("shop_reports:webhooks"),
                "reviews": reverse("shop_reports:reviews"),
                "sales": reverse("shop_reports:sales"),
                "orders": reverse("orders:index") + "?status=needs_review",
                "gift_cards": reverse("gift_cards:index") + "?status=scheduled",
            }
        return {
            "today": today,
            "sales": signed_money(today.sales_minor, settings.SHOP_CURRENCY),
            "gift_money": signed_money(today.gift_money_redeemed_minor, settings.SHOP_CURRENCY),
            "links": links,
        }
