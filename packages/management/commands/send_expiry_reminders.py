from django.core.management.base import BaseCommand

from packages.services import credit_expiry_reminders_send


class Command(BaseCommand):
    help = (
        "Email customers once when a series with sessions left expires soon, now. "
        'The scheduler runs it daily by itself (job send_expiry_reminders, README "Operations").'
    )

    def add_arguments(self, parser):
        parser.add_argument("--within-days", type=int, default=30)

    def handle(self, *args, within_days, **options):
        sent = credit_expiry_reminders_send(within_days=within_days)
        self.stdout.write(f"Queued {sent} expiry reminder(s).")
