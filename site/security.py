"""Request-level security helpers shared by settings, middleware and django-axes.

* :func:`client_ip` — the client's address, trusting ``X-Forwarded-For`` only as far as
  ``TRUSTED_PROXY_COUNT`` proxies of our own.
* :class:`PrivatePagesMiddleware` — ``Cache-Control: private, no-store`` on every page that
  shows one customer's data (orders, account, gift cards), whatever the view set.
* :class:`ContentSecurityPolicyMiddleware` — Django's CSP middleware, with the admin's own
  policy (``ADMIN_CSP``) under ``/admin/``; :class:`PermissionsPolicyMiddleware`.
* :func:`server_error` — the 500 page, whose inline styles the strict policy would block.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csp import ContentSecurityPolicyMiddleware as DjangoCSPMiddleware
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from django.views.defaults import server_error as django_server_error

ADMIN_PREFIX = "/admin/"

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


class ContentSecurityPolicyMiddleware(DjangoCSPMiddleware):
    """``SECURE_CSP`` on the public site and the shop; ``ADMIN_CSP`` in Wagtail's admin.

    Wagtail 8's admin still relies on inline scripts and styles, so its policy allows them
    but keeps everything else (objects, framing, forms, base URI, other origins) locked.
    """

    def process_response(self, request, response):
        if request.path_info.startswith(ADMIN_PREFIX) and not hasattr(response, "_csp_config"):
            response._csp_config = settings.ADMIN_CSP
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """The ``Permissions-Policy`` header from ``PERMISSIONS_POLICY`` (feature → allowlist)."""

    def __init__(self, get_response):
        self.get_response = get_response
        policy = getattr(settings, "PERMISSIONS_POLICY", {})
        self.header = ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())

    def __call__(self, request):
        response = self.get_response(request)
        if self.header and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.header
        return response


@csp_override(
    {
        "default-src": [CSP.NONE],
        "style-src": [CSP.UNSAFE_INLINE],  # templates/500.html is self-contained: no nonce without a request context
        "base-uri": [CSP.NONE],
        "form-action": [CSP.NONE],
        "frame-ancestors": [CSP.SELF],
    }
)
def server_error(request, template_name="500.html"):
    return django_server_error(request, template_name=template_name)
