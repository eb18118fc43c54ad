from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Studio pages"

    def ready(self):
        from . import content_cache

        content_cache.connect_signals()
