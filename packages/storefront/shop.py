"""Shop pages: catalog, offer + checkout form, order status (success), cancel, and the offline stand-in.

Thin views: the offer decides what its form asks, the services decide everything else.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from home.base_models import StudioSettings
from home.money import format_money

from .. import payments, selectors, services
from ..models import BulkGiftCardOffer, Order, StandInCheckoutSession
from .forms import CheckoutForm
from .ratelimit import checkout_rate_limited, gift_code_rate_limited, too_many


def catalog(request):
    return TemplateResponse(request, "shop/catalog.html", {"catalog": selectors.catalog()})


def checkout_return_urls(order: Order, *, frontend: bool = False) -> tuple[str, str]:
    """Where Stripe sends the buyer back: our order pages, or a separate front end's (``frontend``).

    A front end's URLs come from SHOP_FRONTEND_SUCCESS_URL / _CANCEL_URL with ``{ORDER}`` replaced;
    Stripe replaces ``{CHECKOUT_SESSION_ID}`` itself.
    """
    base, token = settings.SITE_URL.rstrip("/"), order.public_token
    success = base + reverse("shop:order_status", kwargs={"token": token}) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel = base + reverse("shop:order_cancelled", kwargs={"token": token})
    if frontend:
        success = settings.SHOP_FRONTEND_SUCCESS_URL or success
        cancel = settings.SHOP_FRONTEND_CANCEL_URL or cancel
    return success.replace("{ORDER}", token), cancel.replace("{ORDER}", token)


def checkout_redirect(request, order: Order) -> HttpResponseRedirect | None:
    """Start Stripe Checkout for the order; on a gateway error show it and keep the order."""
    success, cancel = checkout_return_urls(order)
    try:
        url = services.order_pay(order=order, success_url=success, cancel_url=cancel)
    except (payments.GatewayError, services.BalanceError) as error:
        messages.error(request, getattr(error, "user_message", None) or str(error))
        return None
    return HttpResponseRedirect(url)


def _forget_gift_code(form: CheckoutForm) -> None:
    """A gift code is never echoed back into the page (the buyer types it again)."""
    if form.is_bound and "gift_card" in form.fields:
        form.data = form.data.copy()
        form.data["gift_card"] = ""


@sensitive_post_parameters("gift_card")
@require_http_methods(["GET", "POST"])
def offer_detail(request, kind: str, slug: str):
    offer = services.offer_get(kind=kind, slug=slug)
    if offer is None:
        raise Http404("No such offer.")
    if isinstance(offer, BulkGiftCardOffer):  # bought on its own page (a list of recipients)
        return redirect(offer.get_absolute_url())
    studio = StudioSettings.for_request(request)
    form = CheckoutForm(request.POST or None, offer=offer, initial={"delivery_date": None})
    if request.method == "POST" and form.is_valid():
        retry_after = checkout_rate_limited(request, form.cleaned_data["email"])
        if form.cleaned_data.get("gift_card"):
            retry_after = max(retry_after, gift_code_rate_limited(request, form.cleaned_data["gift_card"]))
        if retry_after:
            _forget_gift_code(form)
            context = {"offer": offer, "form": form, "studio": studio}
            return too_many(request, "shop/offer_detail.html", context, retry_after)
        try:
            order = services.order_create(
                offer=offer, disclaimer_version=studio.disclaimer_version, **form.service_kwargs()
            )
        except services.ShopValidationError as error:
            form.add_service_errors(error.errors)
        else:
            response = checkout_redirect(request, order)
            if response is not None:
                return response
    _forget_gift_code(form)
    return TemplateResponse(
        request,
        "shop/offer_detail.html",
        {"offer": offer, "form": form, "studio": studio},
        status=400 if request.method == "POST" else 200,
    )


def order_status(request, token: str):
    """The success page: shows the real state and fulfils (idempotently) once Stripe says paid."""
    order = get_object_or_404(Order.objects.select_related("customer"), public_token=token)
    session_id = request.GET.get("session_id", "")
    if order.fulfilled_at is None and session_id and session_id == order.stripe_checkout_session_id:
        try:
            session = payments.get_gateway().retrieve_checkout_session(session_id)
            services.order_sync_from_session(session=session)
        except payments.GatewayError:
            pass  # the webhook will fulfil; the page keeps showing "processing"
        except services.FulfilmentError:
            pass  # kept for staff on the webhook event; the buyer sees "processing"
        order.refresh_from_db()
    return TemplateResponse(request, "shop/order_status.html", selectors.order_summary(order))


@require_http_methods(["GET", "POST"])
def order_cancelled(request, token: str):
    order = get_object_or_404(Order, public_token=token)
    if request.method == "POST" and order.status == Order.Status.PENDING and order.checkout_url:
        return HttpResponseRedirect(order.checkout_url)
    return TemplateResponse(request, "shop/order_cancelled.html", {"order": order})


@require_http_methods(["GET", "POST"])
def stand_in_checkout(request, session_id: str):
    """The offline stand-in for Stripe's hosted Checkout page (only without a Stripe key)."""
    if not settings.STRIPE_OFFLINE:
        raise Http404("The offline checkout stand-in is disabled while real Stripe keys are set.")
    stand_in = get_object_or_404(
        StandInCheckoutSession.objects.select_related("order__customer"), session_id=session_id
    )
    declined, promotion_error = False, ""
    if request.method == "POST" and stand_in.status == "open":
        action = request.POST.get("action")
        if action == "pay":
            code = request.POST.get("promotion_code", "")[:40]
            try:
                services.stand_in_checkout_pay(session_id=session_id, promotion_code=code)
            except services.ShopValidationError as error:
                promotion_error = error.errors["promotion_code"]
            else:
                return redirect(stand_in.params["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id))
        if action == "cancel":
            return redirect(stand_in.params["cancel_url"])
        declined = action == "decline"
    session = payments.stand_in_objects.stand_in_session_object(stand_in)
    return TemplateResponse(
        request,
        "shop/stand_in_checkout.html",
        {
            "stand_in": stand_in,
            "session": session,
            "order": stand_in.order,
            "declined": declined,
            "promotion_error": promotion_error,
            "promotion_codes": list(payments.stand_in_objects.PROMOTION_CODES),
            # What Stripe's page would ask for: the order's price, less a gift card's part or a discount.
            "due": format_money(session["amount_total"], session["currency"]),
        },
        status=402 if declined else 400 if promotion_error else 200,
    )
