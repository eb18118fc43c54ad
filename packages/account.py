"""What customers do after buying: "My account" by emailed link, gift-card balance, printable gift card.

No passwords and no Django users: following a single-use link puts the customer's id
in the session for ``SHOP_ACCOUNT_SESSION_MINUTES``. Writes go through services.py
(links are issued and consumed there); this module holds the views and their reads.

Anything that answers "is this code / address known?" is rate limited through the
cache (Redis in production, shared by every app server), and answers the same way
for every kind of miss. Gift codes and addresses are only ever used as cache keys
after a keyed hash, and are never logged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.tasks import task
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from home.money import format_money

from . import emails, payments, services
from .models import CreditGrant, Customer, GiftCard, MagicLink, Membership, Order

SESSION_KEY = "shop_account"
PRINT_TOKEN_SALT = "packages.account.gift-card-print"
RATE_LIMIT_SALT = "packages.account.rate-limit"
UNKNOWN_CODE = (
    "We could not find a gift card ready to use with that code. Check it against your email "
    "(letters and numbers only; case, spaces and dashes do not matter) or call the studio."
)


# --- Rate limits -----------------------------------------------------------------------------------------------


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one our own proxies put in X-Forwarded-For."""
    hops = settings.SHOP_TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _hit(scope: str, identity: str) -> int:
    """Count one request against ``identity`` in a fixed window; seconds to wait if over the limit, else 0.

    The identity (an address, a gift code, an IP) goes through a keyed hash first, so no
    cache key, cache dump or Redis MONITOR ever shows it.
    """
    limit, window = settings.SHOP_RATE_LIMITS[scope]
    digest = salted_hmac(RATE_LIMIT_SALT, f"{scope}:{identity}").hexdigest()[:32]
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
    return max(_hit("account_ip", client_ip(request)), _hit("account_email", services.normalise_email(email)))


@sensitive_variables("code")
def gift_code_rate_limited(request: HttpRequest, code: str) -> int:
    """Gift-code look-ups (balance page, API, print page): per client and per code, shared by all three."""
    return max(_hit("gift_code_ip", client_ip(request)), _hit("gift_code", services.normalise_gift_code(code)))


def _too_many(request: HttpRequest, template: str, context: dict, retry_after: int) -> TemplateResponse:
    minutes = max(1, -(-retry_after // 60))
    context = {**context, "rate_limited": True, "retry_minutes": minutes}
    response = TemplateResponse(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


# --- Account session ------------------------------------------------------------------------------------------


def signed_in_customer(request: HttpRequest) -> Customer | None:
    data = request.session.get(SESSION_KEY)
    if not data:
        return None
    if data.get("until", 0) <= time.time():
        del request.session[SESSION_KEY]
        return None
    return Customer.objects.filter(pk=data.get("customer")).first()


def _sign_in(request: HttpRequest, customer: Customer) -> None:
    request.session.cycle_key()  # a new session id: nobody who knew the old one follows us in
    request.session[SESSION_KEY] = {
        "customer": customer.pk,
        "until": int(time.time()) + settings.SHOP_ACCOUNT_SESSION_MINUTES * 60,
    }


@task()
def send_account_link(email: str) -> None:
    """Issue a link and email it, if the address is a customer's; otherwise do nothing.

    Runs on the worker for every request alike, so the web response takes the same time
    whether or not the address is known; the token is made here and never queued.
    """
    issued = services.magic_link_issue(email=email)
    if issued is None:
        return
    link, token = issued
    url = settings.SITE_URL.rstrip("/") + reverse("shop:account_link", kwargs={"token": token})
    emails.send(
        "magic_link",
        to=link.email,
        context={"url": url, "customer": link.customer, "minutes": settings.SHOP_ACCOUNT_LINK_MINUTES},
    )


# --- The wallet (reads) -------------------------------------------------------------------------------------------


def credit_name(grant: CreditGrant) -> str:
    """What a block of sessions is called to its holder and at the desk: "therapeutic massage series",
    "therapeutic massage membership month", "gifted … series" or "extra … sessions" (added by staff)."""
    treatment = grant.treatment_name.lower()
    return {
        CreditGrant.Source.SERIES: f"{treatment} series",
        CreditGrant.Source.MEMBERSHIP: f"{treatment} membership month",
        CreditGrant.Source.GIFT: f"gifted {treatment} series",
    }.get(grant.source, f"extra {treatment} sessions")


def credit_where(grant: CreditGrant) -> str:
    """ "on this series" / "this membership month" / "of these sessions", for "Sessions left …"."""
    return {
        CreditGrant.Source.SERIES: "on this series",
        CreditGrant.Source.MEMBERSHIP: "this membership month",
        CreditGrant.Source.GIFT: "on this gifted series",
    }.get(grant.source, "of these sessions")


def wallet(customer: Customer) -> dict:
    """Everything the account page shows, for this customer only."""
    grants = list(customer.credit_grants.order_by("expires_at", "pk"))
    usable = [grant for grant in grants if grant.balance > 0 and not grant.is_expired]
    memberships = list(customer.memberships.select_related("plan", "order"))
    gift_cards = list(
        GiftCard.objects.filter(order__customer=customer).select_related("order").prefetch_related("order__lines")
    )
    shown = [Order.Status.FULFILLED, Order.Status.REFUNDED, Order.Status.PARTIALLY_REFUNDED, Order.Status.PROCESSING]
    orders = list(customer.orders.filter(status__in=shown).prefetch_related("lines"))
    return {
        "customer": customer,
        "grants": usable,
        "past_grants": [grant for grant in grants if grant not in usable][-10:],
        "memberships": memberships,
        "gift_cards": gift_cards,
        "orders": orders,
        "stand_in": payments.get_gateway().offline,
    }


# --- Views: My account ------------------------------------------------------------------------------------------


class EmailForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254, help_text="The address you bought with.")


@never_cache
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest):
    """The wallet when signed in; otherwise the form that emails a sign-in link."""
    form = EmailForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return TemplateResponse(request, "shop/account/sign_in.html", {"form": form}, status=400)
        email = form.cleaned_data["email"]
        retry_after = account_link_rate_limited(request, email)
        if retry_after:
            return _too_many(request, "shop/account/sign_in.html", {"form": form}, retry_after)
        send_account_link.enqueue(services.normalise_email(email))
        return redirect("shop:account_check_email")
    customer = signed_in_customer(request)
    if customer is None:
        return TemplateResponse(request, "shop/account/sign_in.html", {"form": form})
    context = {**wallet(customer), "session_minutes": settings.SHOP_ACCOUNT_SESSION_MINUTES}
    return TemplateResponse(request, "shop/account/wallet.html", context)


@never_cache
def account_check_email(request: HttpRequest):
    return TemplateResponse(request, "shop/account/check_email.html", {"minutes": settings.SHOP_ACCOUNT_LINK_MINUTES})


def _link_is_open(token: str) -> bool:
    return MagicLink.objects.filter(
        token_hash=services.magic_link_hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
    ).exists()


@never_cache
@sensitive_variables("token")
@require_http_methods(["GET", "POST"])
def account_link(request: HttpRequest, token: str):
    """The emailed link. GET only asks to continue: mail scanners that fetch links must not use it up."""
    if request.method == "POST":
        customer = services.magic_link_consume(token=token)
        if customer is not None:
            _sign_in(request, customer)
            return HttpResponseRedirect(reverse("shop:account"), status=303)
    elif _link_is_open(token):
        return TemplateResponse(request, "shop/account/link.html", {})
    context = {"form": EmailForm(), "link_refused": True, "minutes": settings.SHOP_ACCOUNT_LINK_MINUTES}
    return TemplateResponse(request, "shop/account/sign_in.html", context, status=400)


@never_cache
@require_POST
def account_sign_out(request: HttpRequest):
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    messages.info(request, "You are signed out.")
    return HttpResponseRedirect(reverse("shop:account"), status=303)


@never_cache
@require_http_methods(["GET", "POST"])
def account_membership(request: HttpRequest, pk: int):
    """Manage a membership: Stripe's billing portal, or offline a clearly labelled test stand-in."""
    customer = signed_in_customer(request)
    if customer is None:
        return redirect("shop:account")
    membership = get_object_or_404(Membership.objects.select_related("plan", "order"), pk=pk, customer=customer)
    gateway = payments.get_gateway()
    if not gateway.offline:
        if request.method != "POST":
            return redirect("shop:account")
        if not customer.stripe_customer_id:
            messages.error(request, "We cannot open the billing page for this membership online. Please call us.")
            return redirect("shop:account")
        return_url = settings.SITE_URL.rstrip("/") + reverse("shop:account")
        try:
            url = gateway.create_portal_session(customer_id=customer.stripe_customer_id, return_url=return_url)
        except payments.GatewayError as error:
            messages.error(request, error.user_message)
            return redirect("shop:account")
        return HttpResponseRedirect(url, status=303)
    if request.method == "POST":
        try:
            membership = services.membership_cancel_at_period_end(membership_id=membership.pk, actor=None)
        except services.BalanceError as error:
            messages.error(request, str(error))
        else:
            end = membership.current_period_end
            ends = f" on {date_format(timezone.localtime(end), 'F j, Y')}" if end else ""
            messages.success(request, f"Done: your membership ends{ends}, at the end of the paid month.")
        return HttpResponseRedirect(reverse("shop:account"), status=303)
    return TemplateResponse(request, "shop/account/membership_stand_in.html", {"membership": membership})


# --- Gift cards: balance and printable card -----------------------------------------------------------------------


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


def card_is_usable(card: GiftCard) -> bool:
    """Delivered, not voided, not expired (for a gifted series: its sessions not expired either)."""
    if card.status != GiftCard.Status.ACTIVE or (card.expires_at and card.expires_at <= timezone.now()):
        return False
    return card.kind != GiftCard.Kind.SERIES or (card.grant is not None and not card.grant.is_expired)


@sensitive_variables("code")
def usable_gift_card(code: str) -> GiftCard | None:
    """The card for a code if its holder can use it; unknown, voided, expired and undelivered are all None."""
    card = services.gift_card_find(code=code)
    return card if card is not None and card_is_usable(card) else None


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


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Gift card code",
        max_length=64,
        help_text="As in the email, e.g. ABCD-EFGH-JKMN-PQRS. Case, spaces and dashes do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


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
            return _too_many(request, "shop/gift_card_balance.html", {"form": CodeForm()}, retry_after)
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
    return card if card_is_usable(card) else None


def qr_svg(text: str) -> str:
    """An inline SVG QR code, drawn locally (no image library, no outside service)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


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
        return _too_many(request, "shop/gift_card_print.html", {**context, "form": CodeForm()}, retry_after)
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
