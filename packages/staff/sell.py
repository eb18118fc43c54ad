"""The front desk sells an extra session without a card terminal: a Checkout link shown as a QR code.

The customer scans it with their phone and pays on Stripe's page (or the stand-in's);
the order is the customer's, at the member price when their membership gives one.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.safestring import mark_safe
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from home.base_models import StudioSettings

from .. import payments, services
from ..models import Customer, ExtraSession
from ..qr import qr_svg
from .frontdesk import render


class SellForm(forms.Form):
    offer = forms.ModelChoiceField(queryset=ExtraSession.objects.filter(active=True), label="Session")


@permission_required("packages.redeem_session")
def sell_session(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    form = SellForm(request.POST or None)
    context = {"page_title": f"Sell a session to {customer}", "customer": customer, "form": form}
    if request.method == "POST" and form.is_valid():
        offer = form.cleaned_data["offer"]
        try:
            order = services.order_create(
                offer=offer,
                email=customer.email,
                name=customer.name or customer.email,
                disclaimer_accepted=True,  # asked in person at the desk before every treatment
                disclaimer_version=StudioSettings.for_request(request).disclaimer_version,
            )
            base, token = settings.SITE_URL.rstrip("/"), order.public_token
            success = base + reverse("shop:order_status", kwargs={"token": token}) + "?session_id={CHECKOUT_SESSION_ID}"
            cancel = base + reverse("shop:order_cancelled", kwargs={"token": token})
            url = services.order_pay(order=order, success_url=success, cancel_url=cancel)
        except services.ShopValidationError as error:
            messages.error(request, " ".join(error.errors.values()))
        except payments.GatewayError as error:
            messages.error(request, f"Stripe said no: {error.user_message}")
        else:
            context.update(order=order, checkout_url=url, qr=mark_safe(qr_svg(url)))  # noqa: S308 - our own SVG
    return render(
        request, "sell_session.html", context, status=400 if request.method == "POST" and "qr" not in context else 200
    )
