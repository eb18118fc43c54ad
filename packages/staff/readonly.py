"""Read-only admin for records of money: a permission policy and a ModelViewSet with no forms, and their columns."""

from __future__ import annotations

from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from ..reports.common import signed_money


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Records of money and balances change only through services, never through a form.

    Staff with the model's ``view`` permission may list and inspect; nobody, not even
    a superuser, gets add/change/delete screens for these models.
    """

    WRITE_ACTIONS = {"add", "change", "delete"}

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.WRITE_ACTIONS] or ["view"])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class ReadOnlyViewSet(ModelViewSet):
    inspect_view_enabled = True
    copy_view_enabled = False
    exclude_form_fields: list[str] = []  # no forms are ever shown: see ReadOnlyPolicy
    form_fields: list[str] = []


def yes_no(value) -> str:
    return "Yes" if value else "No"


#: Exports say Yes/No, never True/False.
YES_NO = {"csv": yes_no, "xlsx": yes_no}


class YesNoColumn(Column):
    """A yes/no field in words (Wagtail's BooleanColumn shows icons and reads "True" to screen readers)."""

    def get_value(self, instance):
        return yes_no(super().get_value(instance))


class MoneyColumn(Column):
    """Minor units shown as money, in the row's currency (``currency_path`` from the row)."""

    def __init__(self, name, *, currency_path: str = "currency", **kwargs):
        super().__init__(name, **kwargs)
        self.currency_path = currency_path

    def get_value(self, instance):
        value = super().get_value(instance)
        currency = instance
        for part in self.currency_path.split("."):
            currency = getattr(currency, part)
        return "" if value is None else signed_money(value, currency)
