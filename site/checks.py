"""System checks for unsafe production configurations (``manage.py check --deploy``).

Registered by the staff app (staff/apps.py), since site/ is not an installed app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_proxy_trust(app_configs, **kwargs):
    errors = []
    allowed = [part.strip() for part in getattr(settings, "FORWARDED_ALLOW_IPS", "").split(",") if part.strip()]
    if "*" in allowed:
        errors.append(
            Error(
                "FORWARDED_ALLOW_IPS is '*': gunicorn would believe X-Forwarded-Proto from any client, "
                "so a plain HTTP request could claim to be HTTPS.",
                hint="List the proxy's own addresses (e.g. 127.0.0.1 for nginx on this host), or unset it.",
                id="site.E001",
            )
        )
    if settings.TRUSTED_PROXY_COUNT == 0 and getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        errors.append(
            Error(
                "SECURE_PROXY_SSL_HEADER is set but TRUSTED_PROXY_COUNT is 0: any client could claim HTTPS.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the app.",
                id="site.E002",
            )
        )
    return errors


@register(Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            Error(
                "The default cache is per process (CACHE_URL is a locmem:// or dummy:// URL): with several "
                "gunicorn workers, rate limits count per worker and a publish reaches one worker only.",
                hint="Unset CACHE_URL (a file cache every worker on this host shares) or point it at Redis.",
                id="site.E003",
            )
        ]
    return []
