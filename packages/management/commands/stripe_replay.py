from django.core.management.base import BaseCommand, CommandError

from packages.models import StripeEvent
from packages.payments.webhooks import replay_event


class Command(BaseCommand):
    help = (
        "Handle a stored Stripe event again (failed or not) through the same idempotent path as the webhook: "
        "what was already applied is not applied twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("event_id", help="The Stripe event id, e.g. evt_1PgafyB7WZ01zgkW…")

    def handle(self, *args, event_id: str, **options):
        if not StripeEvent.objects.filter(event_id=event_id).exists():
            raise CommandError(f"No stored Stripe event {event_id}: only events we received can be replayed.")
        status, outcome = replay_event(event_id)
        if outcome == "pruned":
            raise CommandError(f"{event_id}'s payload was removed after the retention period: nothing to replay.")
        stored = StripeEvent.objects.get(event_id=event_id)
        self.stdout.write(f"{stored.type} {event_id}: {outcome} (attempt {stored.attempts}).")
        if status >= 500:
            raise CommandError(f"It failed again:\n{stored.error}")
