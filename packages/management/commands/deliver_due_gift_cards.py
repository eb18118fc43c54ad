from django.core.management.base import BaseCommand

from packages.services import gift_cards_deliver_due


class Command(BaseCommand):
    help = "Email every scheduled gift card whose delivery date has come. Safe to run often (e.g. hourly from cron)."

    def handle(self, *args, **options):
        run = gift_cards_deliver_due()
        self.stdout.write(f"Delivered {run.delivered} gift card(s).")
        if run.failed:
            self.stderr.write(f"{len(run.failed)} could not be delivered and stay scheduled: ids {run.failed}.")
