"""Managers may erase a customer's personal data on request (issue 12): a permission of its own."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAME = "erase_customer"


def grant(apps, schema_editor):
    app_config = apps.get_app_config("packages")
    app_config.models_module = True  # create_permissions skips app configs without models in migrations
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name="Managers")
    managers.permissions.add(*Permission.objects.filter(content_type__app_label="packages", codename=CODENAME))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for managers in Group.objects.filter(name="Managers"):
        managers.permissions.remove(*Permission.objects.filter(content_type__app_label="packages", codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [("packages", "0021_membership_plan_changes"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "ordering": ["email"],
                "permissions": [
                    ("redeem_session", "Can redeem a session"),
                    ("redeem_gift_card", "Can redeem a gift-card amount"),
                    ("adjust_balance", "Can adjust balances, void gift cards and extend expiries"),
                    ("resend_gift_card", "Can resend or reschedule gift-card emails"),
                    ("refund_order", "Can refund orders"),
                    ("manage_memberships", "Can cancel memberships on a customer's behalf"),
                    ("erase_customer", "Can erase a customer's personal data on request"),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
