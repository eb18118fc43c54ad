"""Single-use sign-in links for "My account": only a hash of each token is kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Customer, MagicLink
from .common import normalise_email


def magic_link_hash(token: str) -> str:
    """Tokens carry 256 random bits, so a plain SHA-256 is enough: the table alone signs no one in."""
    return hashlib.sha256(token.encode()).hexdigest()


def magic_link_issue(*, email: str) -> tuple[MagicLink, str] | None:
    """A single-use sign-in link for the customer with this address: (link, token), or None if unknown.

    The token exists in clear only in the return value (for the email); the row keeps its hash.
    """
    email = normalise_email(email)
    customer = Customer.objects.filter(email=email).first()
    if customer is None:
        return None
    now = timezone.now()
    token = secrets.token_urlsafe(32)
    link = MagicLink.objects.create(
        customer=customer,
        email=email,
        token_hash=magic_link_hash(token),
        expires_at=now + timedelta(minutes=settings.SHOP_ACCOUNT_LINK_MINUTES),
    )
    MagicLink.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()  # housekeeping
    return link, token


def magic_link_is_open(*, token: str) -> bool:
    return MagicLink.objects.filter(
        token_hash=magic_link_hash(token or ""), used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


def magic_link_consume(*, token: str) -> Customer | None:
    """Use a sign-in link once: the customer it was sent to, or None if unknown, used or expired.

    The conditional update decides a race between two clicks: only one sees the row unused.
    Using a link also closes any other open links of that customer.
    """
    now = timezone.now()
    with transaction.atomic():
        link = MagicLink.objects.select_related("customer").filter(token_hash=magic_link_hash(token or "")).first()
        if link is None or link.used_at is not None or link.expires_at <= now:
            return None
        if not MagicLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now):
            return None
        MagicLink.objects.filter(customer_id=link.customer_id, used_at__isnull=True).update(used_at=now)
    return link.customer


def magic_links_purge(*, now=None) -> int:
    """Delete sign-in links that can no longer sign anyone in (used, or past their time): how many.

    Both kinds already fail in :func:`magic_link_consume`; keeping them only keeps hashes
    and addresses around. Safe to run any time, twice, or at once from two places.
    """
    now = now or timezone.now()
    deleted, _ = MagicLink.objects.filter(Q(used_at__isnull=False) | Q(expires_at__lte=now)).delete()
    return deleted
