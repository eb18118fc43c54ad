"""Request-level security helpers shared by settings, middleware and django-axes.

* :func:`client_ip` — the client's address, trusting ``X-Forwarded-For`` only as far as
  ``TRUSTED_PROXY_COUNT`` proxies of our own.
* :class:`PrivatePagesMiddleware` — ``Cache-Control: private, no-store`` on every page that
  shows one customer's data (orders, account, gift cards), whatever the view set.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.cache import patch_cache_control

# Paths (prefixes) whose answers show a customer's name, email, order or gift card, or are
# reached with a bearer token: never stored by a browser's disk cache, a proxy or a CDN.
PRIVATE_PREFIXES = (
    "/shop/orders/",
    "/shop/account/",
    "/shop/gift-cards/",
    "/shop/stand-in/",
    "/api/shop/orders/",
    "/api/shop/checkout",
    "/api/shop/account/",
    "/api/shop/gift-cards/",
)


def is_private_path(path: str) -> bool:
    return path.startswith(PRIVATE_PREFIXES)


class PrivatePagesMiddleware:
    """Mark customer-specific responses ``private, no-store`` (keyed on the path, so no view has to remember)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_private_path(request.path_info):
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("ETag", None)
            response.headers.pop("Last-Modified", None)
        return response


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
