from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Staff sign-in"

    def ready(self):
        # site/ is not an app: its deploy checks (proxies, shared cache) are registered from here.
        from site import checks  # noqa: F401
