"""Erasing a customer's personal data on request (managers with ``packages.erase_customer``).

A confirmation page says what goes and what stays; the POST calls one service
(:func:`packages.services.customer_forget`), as ``manage.py shop_forget_customer`` does.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404, redirect
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from .. import services
from ..models import Customer
from .frontdesk import render


@permission_required("packages.erase_customer")
def forget_customer(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            report = services.customer_forget(customer_id=customer.pk, actor=request.user)
        except services.ShopValidationError as error:
            messages.error(request, " ".join(error.errors.values()))
        else:
            messages.success(request, report.summary())
        return redirect("frontdesk:customer", pk=pk)
    context = {"page_title": "Erase personal data", "customer": customer, "erased": services.is_erased(customer)}
    return render(request, "forget_customer.html", context)
