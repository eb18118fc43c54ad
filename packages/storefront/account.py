"""What customers do after buying: "My account" by emailed link.

No passwords and no Django users: following a single-use link puts the customer's id
in the session for ``SHOP_ACCOUNT_SESSION_MINUTES``. Writes go through the services
(links are issued and consumed there); this module holds the views and their reads.
Asking for a link is rate limited and answers the same whether or not the address is known.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.tasks import task
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from .. import emails, payments, services
from ..models import Customer, GiftCard, GiftCardEntry, Membership, Order
from .forms import EmailForm
from .ratelimit import account_link_rate_limited, too_many

SESSION_KEY = "shop_account"
# What services.magic_link_issue makes (secrets.token_urlsafe(32)); anything else was cut or mangled.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{43}")


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


def wallet(customer: Customer) -> dict:
    """Everything the account page shows, for this customer only."""
    grants = list(customer.credit_grants.order_by("expires_at", "pk"))
    usable = [grant for grant in grants if grant.is_usable]
    memberships = list(customer.memberships.select_related("plan", "order"))
    gift_cards = list(
        GiftCard.objects.filter(order__customer=customer).select_related("order").prefetch_related("order__lines")
    )
    # Gifts sent to this address (delivered: before that the recipient does not know of them).
    received_cards = list(
        GiftCard.objects.filter(recipient_email=customer.email)
        .exclude(status=GiftCard.Status.SCHEDULED)
        .exclude(delivery=GiftCard.Delivery.DOWNLOAD)  # codes a bulk buyer hands out are theirs to give, not gifts
        .prefetch_related(Prefetch("entries", queryset=GiftCardEntry.objects.order_by("-created_at", "-pk")))
    )
    shown = [Order.Status.FULFILLED, Order.Status.REFUNDED, Order.Status.PARTIALLY_REFUNDED, Order.Status.PROCESSING]
    orders = list(customer.orders.filter(status__in=shown).prefetch_related("lines"))
    return {
        "customer": customer,
        "grants": usable,
        "past_grants": [grant for grant in grants if grant not in usable][-10:],
        # "Book your first session" until a session has been used, then "Book your next session".
        "any_used": any(grant.balance < grant.sessions_granted for grant in grants),
        "memberships": memberships,
        "gift_cards": gift_cards,
        "received_cards": received_cards,
        "orders": orders,
        "stand_in": payments.get_gateway().offline,
    }


# --- Views ---------------------------------------------------------------------------------------------------


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
            return too_many(request, "shop/account/sign_in.html", {"form": form}, retry_after)
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
    elif services.magic_link_is_open(token=token):
        return TemplateResponse(request, "shop/account/link.html", {})
    # A malformed link (cut by an email program) is told apart from one used or out of time.
    refused = "expired" if TOKEN_SHAPE.fullmatch(token) else "malformed"
    context = {"form": EmailForm(), "link_refused": refused, "minutes": settings.SHOP_ACCOUNT_LINK_MINUTES}
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
    action = request.POST.get("action", "cancel")
    if request.method == "POST" and action == "portal" and not gateway.offline:
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
    if request.method == "POST" and action == "pause":
        try:
            months = int(request.POST.get("months", "0"))
            membership = services.membership_pause(membership_id=membership.pk, months=months, actor=None)
        except ValueError:
            messages.error(request, "Choose how many months to pause for.")
        except (services.BalanceError, payments.GatewayError) as error:
            messages.error(request, getattr(error, "user_message", None) or str(error))
        else:
            resumes = date_format(timezone.localtime(membership.paused_until), "F j, Y")
            messages.success(request, f"Paused: no payments and no new sessions until {resumes}, when it resumes.")
        return HttpResponseRedirect(reverse("shop:account"), status=303)
    if request.method == "POST" and action == "change_plan":
        try:
            plan_id = int(request.POST.get("plan", ""))
            membership = services.membership_change_plan(membership_id=membership.pk, plan_id=plan_id, actor=None)
        except ValueError:
            messages.error(request, "Choose the plan to change to.")
        except (services.BalanceError, payments.GatewayError) as error:
            messages.error(request, getattr(error, "user_message", None) or str(error))
        else:
            on = membership.current_period_end
            when = f" from {date_format(timezone.localtime(on), 'F j, Y')}" if on else " from your next billing date"
            messages.success(request, f"Done: you are on {membership.plan.title}{when}, at its price and sessions.")
        return HttpResponseRedirect(reverse("shop:account"), status=303)
    if request.method == "POST":
        # Our own cancel, in both modes: Stripe's portal knows nothing of the minimum term.
        try:
            membership = services.membership_cancel(membership_id=membership.pk, actor=None)
        except (services.BalanceError, payments.GatewayError) as error:
            messages.error(request, getattr(error, "user_message", None) or str(error))
        else:
            ends = membership.ends_at
            on = f" on {date_format(timezone.localtime(ends), 'F j, Y')}" if ends else ""
            messages.success(request, f"Done: your membership ends{on}. No further payments are taken after that.")
        return HttpResponseRedirect(reverse("shop:account"), status=303)
    context = {
        "membership": membership,
        "stand_in": gateway.offline,
        "cancel_date": services.membership_cancel_date(membership),
        "in_minimum_term": services.membership_cancel_date(membership) != membership.current_period_end,
        "pause_months": range(1, membership.order.lines.get().terms.get("max_pause_months", 3) + 1),
        "other_plans": services.membership_plans_to_switch_to(membership),
        "paused": bool(membership.paused_until and membership.paused_until > timezone.now()),
    }
    return TemplateResponse(request, "shop/account/membership_stand_in.html", context)
