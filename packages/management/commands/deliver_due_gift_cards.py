from django.core.management.base import BaseCommand

from packages.services import gift_cards_deliver_due


class Command(BaseCommand):
    help = (
        "Email every scheduled gift card whose delivery date has come, now. Safe to run any time; "
        'the scheduler runs it hourly by itself (job deliver_due_gift_cards, README "Operations").'
    )

    def handle(self, *args, **options):
        run = gift_cards_deliver_due()
        self.stdout.write(f"Delivered {run.delivered} gift card(s).")
        if run.failed:
            self.stderr.write(f"{len(run.failed)} could not be delivered and stay scheduled: ids {run.failed}.")
