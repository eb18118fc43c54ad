import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from packages import services

UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def window(value: str) -> timedelta:
    match = re.fullmatch(r"(\d+)([dhm])", value.strip())
    if not match:
        raise CommandError(f"--since takes a number and d, h or m (e.g. 3d, 12h, 90m), not {value!r}.")
    return timedelta(**{UNITS[match[2]]: int(match[1])})


class Command(BaseCommand):
    help = (
        "Ask Stripe for the Checkout Sessions, invoices, refunds and disputes of a window and apply what a "
        "webhook missed. Safe at any time, also while webhooks arrive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", default="3d", help="How far back: 3d (default), 12h, 90m.")

    def handle(self, *args, since: str, **options):
        run = services.stripe_reconcile(since=timezone.now() - window(since))
        self.stdout.write(
            f"Seen: {run.seen}. Already applied: {run.already}. Applied now: {run.applied}. Needs review: {run.review}."
        )
