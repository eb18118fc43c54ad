"""``manage.py load_demo_content``: the demo studio's pages, images and settings, safe to run again."""

import logging
import time

from django.core.management.base import BaseCommand

from home import demo_loader


class Command(BaseCommand):
    help = (
        "Create or update the demo content (studio settings, topics, images, treatments, articles, "
        "standard pages) and make the demo home page the default site's root. Idempotent: a second run "
        "changes nothing. Then runs packages/demo.py's load(stdout), if that module exists."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        # Wagtail logs every page creation at INFO; the summary below says the same, once.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        if options["verbosity"] < 2:
            wagtail_logger.setLevel(logging.WARNING)
        try:
            tally = demo_loader.load(self.stdout)
        finally:
            wagtail_logger.setLevel(previous_level)

        if options["verbosity"] >= 1:
            for line in tally.lines():
                self.stdout.write(f"  {line}")
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded in {time.monotonic() - started:.1f}s."))
