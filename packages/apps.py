from django.apps import AppConfig
from django.conf import settings
from django.core import checks


def offline_checkout_in_production(app_configs, **kwargs):
    """``check --deploy``: the offline Checkout stand-in takes no money and must be a visible choice."""
    if settings.STRIPE_OFFLINE and not settings.DEBUG:
        return [
            checks.Warning(
                "The shop runs the offline test checkout (STRIPE_OFFLINE_CHECKOUT=1): anyone can 'pay' "
                "with its Pay button and no money is taken.",
                hint="Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET for real payments.",
                id="packages.W001",
            )
        ]
    return []


class PackagesConfig(AppConfig):
    name = "packages"
    verbose_name = "Shop"

    def ready(self):
        checks.register(offline_checkout_in_production, checks.Tags.security, deploy=True)
