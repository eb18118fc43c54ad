from django.core.management.base import BaseCommand, CommandError

from packages import services


class Command(BaseCommand):
    help = (
        "Erase a customer's personal data on request: name and email (replaced by erased-<id>@invalid), "
        "their gift messages and sender name, gifts they received, and their names and addresses in the "
        "stored Stripe events and Checkout Sessions. Orders, balances and ledger entries stay, so reports "
        "still add up. Cannot be undone. Also delete the customer in the Stripe Dashboard."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The customer's email address.")
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="Do not ask to confirm.")

    def handle(self, *args, email: str, interactive: bool, **options):
        if interactive:
            answer = input(f"Erase the personal data of {email}? This cannot be undone. Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing erased.")
        try:
            report = services.customer_forget(email=email)
        except services.ShopValidationError as error:
            raise CommandError(" ".join(error.errors.values())) from error
        self.stdout.write(report.summary())
