"""Staff roles for the shop, as groups.

* Front desk: find customers and gift cards, redeem sessions and gift-card amounts,
  see history. Gift-card codes appear only as their last four characters (no view
  shows more), and no other change to balances is possible.
* Managers: everything in the shop (offers, orders, refunds, adjustments, gift
  cards, memberships, webhook health) plus the studio settings.
* Editors (content only) come from Wagtail and home/migrations/0002; they get nothing here.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SHOP_RECORDS = ["customer", "order", "orderrefund", "creditgrant", "creditentry", "giftcard", "giftcardentry",
                "membership", "stripeevent"]
OFFERS = ["sessionseries", "membershipplan", "giftcardoffer"]

FRONT_DESK = [
    ("wagtailadmin", "access_admin"),
    ("packages", "view_customer"),
    ("packages", "view_creditgrant"),
    ("packages", "view_giftcard"),
    ("packages", "view_membership"),
    ("packages", "redeem_session"),
    ("packages", "redeem_gift_card"),
]
MANAGERS = (
    [("wagtailadmin", "access_admin"), ("home", "change_studiosettings"), ("home", "view_studiosettings")]
    + [("packages", f"view_{model}") for model in SHOP_RECORDS]
    + [("packages", f"{action}_{model}") for model in OFFERS for action in ("add", "change", "delete", "view")]
    + [
        ("packages", codename)
        for codename in (
            "redeem_session",
            "redeem_gift_card",
            "adjust_balance",
            "resend_gift_card",
            "refund_order",
            "manage_memberships",
        )
    ]
)


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in (("Front desk", FRONT_DESK), ("Managers", MANAGERS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("packages", "0002_refunds_and_permissions"),
        ("home", "0002_editors_group"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
