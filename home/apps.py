from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from . import content_cache


def _snippet_changed(sender, **kwargs) -> None:
    content_cache.invalidate()


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Studio pages"

    def ready(self):
        content_cache.connect_signals()
        # The team and the testimonials appear on pages and in the API (/api/v3/team/…), whose
        # cached copies and ETags follow the content generation: a change starts a new one.
        for name in ("Therapist", "Testimonial"):
            model = self.get_model(name)
            post_save.connect(_snippet_changed, sender=model, dispatch_uid=f"content_cache_save_home.{name}")
            post_delete.connect(_snippet_changed, sender=model, dispatch_uid=f"content_cache_delete_home.{name}")
