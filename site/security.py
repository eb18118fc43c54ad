"""Request-level security helpers shared by settings, middleware and django-axes.

* :func:`client_ip` — the client's address, trusting ``X-Forwarded-For`` only as far as
  ``TRUSTED_PROXY_COUNT`` proxies of our own.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with N trusted proxies the Nth address from the right of X-Forwarded-For.

    Each proxy appends the address it received the request from, so only the right-most
    N entries were written by machines we run; anything further left came from the client
    and may be forged. With ``TRUSTED_PROXY_COUNT = 0`` (the default) the header is ignored.
    """
    hops = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
