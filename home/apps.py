from django.apps import AppConfig

from . import content_cache


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Studio pages"

    def ready(self):
        content_cache.connect_signals()
