"""Managers (packages/migrations/0003_roles) may see the scheduled job runs in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_view(apps, schema_editor):
    app_config = apps.get_app_config("jobs")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers, _ = Group.objects.get_or_create(name="Managers")
    managers.permissions.add(Permission.objects.get(content_type__app_label="jobs", codename="view_jobrun"))


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("packages", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant_view, migrations.RunPython.noop)]
