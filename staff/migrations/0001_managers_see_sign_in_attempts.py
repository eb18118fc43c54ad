"""Managers (packages/migrations/0003) may read the staff sign-in records django-axes keeps."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["view_accessattempt", "view_accessfailurelog"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("axes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Managers")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="axes", codename__in=PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Managers"):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="axes", codename__in=PERMISSIONS))


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("packages", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
