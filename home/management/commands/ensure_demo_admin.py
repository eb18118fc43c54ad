"""``manage.py ensure_demo_admin``: a superuser with a known password, for the local demo only."""

import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEFAULT_USERNAME = "admin"
DEFAULT_PASSWORD = "runway-demo-admin"
PASSWORD_ENV = "DEMO_ADMIN_PASSWORD"


class Command(BaseCommand):
    help = (
        f"Create or update the superuser '{DEFAULT_USERNAME}' with the password from ${PASSWORD_ENV} "
        f"(default '{DEFAULT_PASSWORD}') and print how to log in. Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default=DEFAULT_USERNAME)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off. This sets a password that is printed and publicly known.",
        )

    def handle(self, *args, username, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: refusing to create an admin with a known password. "
                "Use createsuperuser, or pass --force if this really is a throwaway demo."
            )
        password = os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD

        User = get_user_model()
        user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
        created = user is None
        if created:
            user = User(**{User.USERNAME_FIELD: username})
        changed = created or not (
            user.is_active and user.is_staff and user.is_superuser and user.check_password(password)
        )
        if changed:
            user.is_active = user.is_staff = user.is_superuser = True
            if not user.email:
                user.email = f"{username}@runway-massage.example"
            user.set_password(password)
            user.save()

        state = "created" if created else ("updated" if changed else "unchanged")
        admin_url = settings.SITE_URL.rstrip("/") + "/admin/"
        self.stdout.write(self.style.SUCCESS(f"Demo admin {state}."))
        self.stdout.write(f"  Username: {username}")
        self.stdout.write(f"  Password: {password}")
        self.stdout.write(f"  Log in:   {admin_url}")
