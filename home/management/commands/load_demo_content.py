"""``manage.py load_demo_content``: the demo studio's pages, images and settings, safe to run again."""

import logging
import time

from django.core.management.base import BaseCommand, CommandError

from home.demo import loader as demo_loader
from home.demo import scale as demo_scale


class Command(BaseCommand):
    help = (
        "Create or update the demo content (studio settings, topics, images, treatments, articles, "
        "standard pages) and make the demo home page the default site's root. Idempotent: a second run "
        "changes nothing. Then runs packages/demo.py's load(stdout), if that module exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="",
            metavar="KIND=N,…",
            help=(
                "For benchmarks: add scaled copies until there are N of each kind in all, e.g. "
                "articles=200,treatments=20,offers=30 (see home/demo/scale.py). Default: the demo content only."
            ),
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            scale = demo_scale.parse_scale(options["scale"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        # Wagtail logs every page creation at INFO; the summary below says the same, once.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        if options["verbosity"] < 2:
            wagtail_logger.setLevel(logging.WARNING)
        try:
            tally = demo_loader.load(self.stdout)
            if scale:
                demo_scale.scale(scale, self.stdout)
        finally:
            wagtail_logger.setLevel(previous_level)

        if options["verbosity"] >= 1:
            for line in tally.lines():
                self.stdout.write(f"  {line}")
            self.stdout.write(self.style.SUCCESS(f"Demo content loaded in {time.monotonic() - started:.1f}s."))
