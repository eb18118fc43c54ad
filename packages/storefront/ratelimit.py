"""Rate limits for everything customers can ask of the shop, in views and the API alike.

Anything that answers "is this code / address known?" or creates orders is limited
per client address (``site.security.client_ip``: REMOTE_ADDR, or what our own
proxies put in X-Forwarded-For) and per identity (the email, the gift code), in the
shared default cache (Redis in production, the shared file cache on one machine),
with fixed windows from ``SHOP_RATE_LIMITS``. Identities go through a keyed hash
before they become cache keys: no email or code in a cache dump, and none is logged.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.crypto import salted_hmac
from django.views.decorators.debug import sensitive_variables

from site.security import client_ip

from .. import services

SALT = "packages.storefront.ratelimit"


def hit(scope: str, identity: str) -> int:
    """Count one request against ``identity`` in a fixed window; seconds to wait if over the limit, else 0."""
    limit, window = settings.SHOP_RATE_LIMITS[scope]
    digest = salted_hmac(SALT, f"{scope}:{identity}").hexdigest()[:32]
    now = int(time.time())
    key = f"shop:rl:{scope}:{digest}:{now // window}"
    cache.add(key, 0, timeout=window + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window + 60)
        count = 1
    return window - now % window if count > limit else 0


def account_link_rate_limited(request: HttpRequest, email: str) -> int:
    """Sign-in link requests: per client and per address (both always counted)."""
    return max(hit("account_ip", client_ip(request)), hit("account_email", services.normalise_email(email)))


@sensitive_variables("code")
def gift_code_rate_limited(request: HttpRequest, code: str) -> int:
    """Gift-code look-ups (balance page, API, print page): per client and per code, shared by all three."""
    return max(hit("gift_code_ip", client_ip(request)), hit("gift_code", services.normalise_gift_code(code)))


def checkout_rate_limited(request: HttpRequest, email: str) -> int:
    """Checkouts started (offer form and API): per client address and per buyer email, both always counted.

    Every checkout creates an order and a Stripe Checkout Session, so a script could
    otherwise create them without end (rows, Stripe quota, card testing through us).
    """
    waits = [hit("checkout_ip", client_ip(request))]
    if email := services.normalise_email(email):
        waits.append(hit("checkout_email", email))
    return max(waits)


def too_many(request: HttpRequest, template: str, context: dict, retry_after: int) -> TemplateResponse:
    """The page again with the limit explained, as 429 with Retry-After."""
    minutes = max(1, -(-retry_after // 60))
    context = {**context, "rate_limited": True, "retry_minutes": minutes}
    response = TemplateResponse(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response
