"""Gift cards for their holders: the public balance check and the printable card.

Both answer the same way for every kind of miss (unknown, voided, expired, not yet
delivered) and are rate limited together (``ratelimit.gift_code_rate_limited``).
Codes are never logged; the print link is signed and expiring and never carries the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from home.money import format_money

from .. import services
from ..models import GiftCard
from ..qr import qr_svg
from .forms import CodeForm
from .ratelimit import gift_code_rate_limited, too_many

PRINT_TOKEN_SALT = "packages.account.gift-card-print"
UNKNOWN_CODE = (
    "We could not find a gift card ready to use with that code. Check it against your email "
    "(letters and numbers only; case, spaces and dashes do not matter) or call the studio."
)


@dataclass(frozen=True)
class CardBalance:
    kind: str
    currency: str
    balance_minor: int
    expires_at: datetime | None
    sessions_left: int | None = None
    session_minutes: int | None = None
    treatment: str | None = None

    @property
    def balance_display(self) -> str:
        if self.kind == GiftCard.Kind.SERIES:
            noun = "session" if self.sessions_left == 1 else "sessions"
            return f"{self.sessions_left} × {self.session_minutes}-minute {self.treatment.lower()} {noun}"
        return format_money(self.balance_minor, self.currency)

    def as_dict(self) -> dict:
        data = {
            "kind": self.kind,
            "currency": self.currency,
            "balance_minor": self.balance_minor,
            "balance_display": self.balance_display,
            "expires_at": self.expires_at,
        }
        if self.kind == GiftCard.Kind.SERIES:
            data.update(
                sessions_left=self.sessions_left, session_minutes=self.session_minutes, treatment=self.treatment
            )
        return data


@sensitive_variables("code")
def usable_gift_card(code: str) -> GiftCard | None:
    """The card for a code if its holder can use it; unknown, voided, expired and undelivered are all None."""
    card = services.gift_card_find(code=code)
    return card if card is not None and card.is_usable() else None


def card_balance(card: GiftCard) -> CardBalance:
    if card.kind == GiftCard.Kind.SERIES:
        grant = card.grant
        ends = [moment for moment in (card.expires_at, grant.expires_at) if moment]
        return CardBalance(
            kind=card.kind,
            currency=card.currency,
            balance_minor=0,
            expires_at=min(ends) if ends else None,
            sessions_left=grant.balance,
            session_minutes=grant.session_minutes,
            treatment=grant.treatment_name,
        )
    return CardBalance(
        kind=card.kind, currency=card.currency, balance_minor=card.balance_minor, expires_at=card.expires_at
    )


@sensitive_variables("code")
def gift_card_balance_lookup(code: str) -> CardBalance | None:
    card = usable_gift_card(code)
    return card_balance(card) if card else None


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def gift_card_balance(request: HttpRequest):
    form = CodeForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST":
        if not form.is_valid():
            return TemplateResponse(request, "shop/gift_card_balance.html", context, status=400)
        code = form.cleaned_data["code"]
        retry_after = gift_code_rate_limited(request, code)
        if retry_after:
            return too_many(request, "shop/gift_card_balance.html", {"form": CodeForm()}, retry_after)
        balance = gift_card_balance_lookup(code)
        # Never echo the code back into the page (it would sit in the form, history, caches).
        context = {"form": CodeForm(), "balance": balance, "not_found": balance is None, "unknown_code": UNKNOWN_CODE}
        return TemplateResponse(request, "shop/gift_card_balance.html", context, status=200 if balance else 404)
    return TemplateResponse(request, "shop/gift_card_balance.html", context)


def _code_check(card: GiftCard) -> str:
    # Binds a print link to the card's current code: a resent card (new code) or a voided one fails.
    return salted_hmac(PRINT_TOKEN_SALT, card.code_hash or "").hexdigest()[:16]


def gift_card_print_token(card: GiftCard) -> str:
    """A signed, expiring reference to a delivered card for its email. It never carries the code."""
    return signing.dumps({"c": card.pk, "h": _code_check(card)}, salt=PRINT_TOKEN_SALT)


def gift_card_print_url(card: GiftCard) -> str:
    path = reverse("shop:gift_card_print_link", kwargs={"token": gift_card_print_token(card)})
    return settings.SITE_URL.rstrip("/") + path


def card_from_print_token(token: str) -> GiftCard | None:
    max_age = timedelta(days=settings.GIFT_CARD_PRINT_LINK_DAYS)
    try:
        data = signing.loads(token, salt=PRINT_TOKEN_SALT, max_age=max_age)
    except signing.BadSignature:  # tampered, or expired (SignatureExpired is a BadSignature)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        return None
    card = GiftCard.objects.select_related("order", "grant").filter(pk=data["c"]).first()
    if card is None or not card.code_hash or not constant_time_compare(_code_check(card), str(data.get("h"))):
        return None
    return card if card.is_usable() else None


@sensitive_variables("code", "formatted")
def _printable_context(card: GiftCard, *, code: str = "") -> dict:
    line = card.order.lines.first()
    context = {
        "card": card,
        "line": line,
        "amount": format_money(card.initial_amount_minor, card.currency) if card.kind == GiftCard.Kind.AMOUNT else "",
        "grant": card.grant,
        "expiry_years": settings.GIFT_CARD_EXPIRY_YEARS,
        "balance_url": settings.SITE_URL.rstrip("/") + reverse("shop:gift_card_balance"),
    }
    if code:
        formatted = services.format_gift_code(code)
        # The SVG is qrcode's own markup for an alphanumeric code: nothing from the request goes in raw.
        context.update(code=formatted, qr=mark_safe(qr_svg(formatted)))  # noqa: S308
    return context


@sensitive_variables("code")
def _print_with_code(request: HttpRequest, *, card: GiftCard | None, template_context: dict):
    """POSTed code → the printable card, when the code is good (and belongs to ``card`` if given)."""
    form = CodeForm(request.POST)
    context = {**template_context, "form": form}
    if not form.is_valid():
        return TemplateResponse(request, "shop/gift_card_print.html", context, status=400)
    code = form.cleaned_data["code"]
    retry_after = gift_code_rate_limited(request, code)
    if retry_after:
        return too_many(request, "shop/gift_card_print.html", {**context, "form": CodeForm()}, retry_after)
    found = usable_gift_card(code)
    if found is None or (card is not None and found.pk != card.pk):
        context.update(form=CodeForm(), not_found=True, unknown_code=UNKNOWN_CODE)
        return TemplateResponse(request, "shop/gift_card_print.html", context, status=404)
    return TemplateResponse(request, "shop/gift_card_print.html", _printable_context(found, code=code))


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def gift_card_print(request: HttpRequest):
    """Print a gift card by typing its code (for anyone whose emailed link has expired)."""
    if request.method == "POST":
        return _print_with_code(request, card=None, template_context={})
    return TemplateResponse(request, "shop/gift_card_print.html", {"form": CodeForm()})


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def gift_card_print_link(request: HttpRequest, token: str):
    """From the recipient's email: the card is known from the signed link; the code is typed, not in the URL."""
    card = card_from_print_token(token)
    if card is None:
        context = {"form": CodeForm(), "link_refused": True}
        return TemplateResponse(request, "shop/gift_card_print.html", context, status=404)
    if request.method == "POST":
        return _print_with_code(request, card=card, template_context=_printable_context(card))
    return TemplateResponse(request, "shop/gift_card_print.html", {**_printable_context(card), "form": CodeForm()})
