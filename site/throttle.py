"""Rate limits on creating checkouts: per client address and per buyer email.

Every checkout creates an Order and a Stripe Checkout Session, and emails nothing until
paid, so a script could create them without end (database rows, Stripe API quota, card
testing through our account). ``checkout_rate_limited`` counts one attempt against the
client address (``site.security.client_ip``) and the normalised email, in the shared
default cache, with the same fixed windows as the shop's other limits
(``SHOP_RATE_LIMITS["checkout_ip"]`` and ``["checkout_email"]``, env SHOP_RATE_CHECKOUT_*).

``CheckoutThrottleMiddleware`` applies it to the two ways in (the offer page's form POST
and ``POST /api/shop/checkout``) without either view having to call it; a view may call
``checkout_rate_limited`` itself instead, to show the limit inside its own form.
"""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.template.response import TemplateResponse
from django.utils.crypto import salted_hmac

from .security import client_ip

SALT = "site.throttle"
API_CHECKOUT_PATH = "/api/shop/checkout"
OFFER_VIEW_NAME = "shop:offer"


def hit(scope: str, identity: str) -> int:
    """Count one request against ``identity``; seconds until the window ends if over the limit, else 0.

    Identities are hashed with a key before they become cache keys (no email in a cache dump).
    """
    limit, window = settings.SHOP_RATE_LIMITS[scope]
    digest = salted_hmac(SALT, f"{scope}:{identity}").hexdigest()[:32]
    now = int(time.time())
    key = f"site:rl:{scope}:{digest}:{now // window}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return window - now % window if count > limit else 0


def checkout_rate_limited(request: HttpRequest, email: str) -> int:
    """One checkout attempt: counted per client address and (when given) per email, both always."""
    waits = [hit("checkout_ip", client_ip(request))]
    email = (email or "").strip().lower()
    if email:
        waits.append(hit("checkout_email", email))
    return max(waits)


def _email_from(request: HttpRequest) -> str:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return ""
        return str(data.get("email") or "") if isinstance(data, dict) else ""
    return request.POST.get("email", "")


class CheckoutThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        is_api = request.path_info.rstrip("/") == API_CHECKOUT_PATH
        match = getattr(request, "resolver_match", None)
        if not is_api and not (match and match.view_name == OFFER_VIEW_NAME):
            return None
        retry_after = checkout_rate_limited(request, _email_from(request))
        if not retry_after:
            return None
        if is_api:
            response = JsonResponse({"detail": "Too many checkouts. Please try again later.", "errors": {}}, status=429)
        else:
            minutes = max(1, -(-retry_after // 60))
            response = TemplateResponse(request, "429.html", {"retry_minutes": minutes}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
