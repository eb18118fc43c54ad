"""A manager refunds a membership's latest paid month from the admin (its invoice's payment)."""

from __future__ import annotations

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from .. import payments, services
from ..models import CreditGrant, Membership
from .frontdesk import render


class MonthRefundForm(forms.Form):
    amount = forms.DecimalField(
        min_value=0.01,
        max_digits=8,
        decimal_places=2,
        required=False,
        label="Amount to refund ($)",
        help_text="Leave empty to refund the whole month.",
    )
    sessions = forms.IntegerField(
        min_value=0,
        required=False,
        label="Sessions to take back at most",
        help_text="Leave empty to take back what the refund pays for (its unused sessions).",
    )
    reason = forms.CharField(max_length=300)


@permission_required("packages.refund_order")
def refund_month(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("customer", "plan", "order"), pk=pk)
    month = (
        CreditGrant.objects.filter(membership=membership, source=CreditGrant.Source.MEMBERSHIP)
        .exclude(stripe_payment_intent_id="")
        .order_by("-created_at", "-pk")
        .first()
    )
    form = MonthRefundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["amount"]
        try:
            services.membership_month_refund(
                membership_id=membership.pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                amount_minor=int(amount * 100) if amount else None,
                sessions=form.cleaned_data["sessions"],
            )
        except services.BalanceError as error:
            messages.error(request, str(error))
        except payments.GatewayError as error:
            messages.error(request, f"Stripe said no: {error.user_message}")
        else:
            messages.success(request, "Refund sent to Stripe; the month's sessions follow when Stripe confirms it.")
            return redirect(reverse("memberships:inspect", args=[membership.pk]))
    context = {"page_title": f"Refund a month of {membership}", "membership": membership, "month": month, "form": form}
    return render(request, "membership_refund.html", context, status=400 if request.method == "POST" else 200)


class PauseForm(forms.Form):
    months = forms.TypedChoiceField(choices=[(n, f"{n} month{'s' if n > 1 else ''}") for n in (1, 2, 3)], coerce=int)
    reason = forms.CharField(max_length=300, help_text="Why, for the record (e.g. the member's injury).")


@permission_required("packages.manage_memberships")
def pause(request, pk: int):
    membership = get_object_or_404(Membership.objects.select_related("customer", "plan", "order"), pk=pk)
    form = PauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_pause(
                membership_id=membership.pk, months=form.cleaned_data["months"], actor=request.user
            )
        except services.BalanceError as error:
            messages.error(request, str(error))
        except payments.GatewayError as error:
            messages.error(request, f"Stripe said no: {error.user_message}")
        else:
            messages.success(
                request, f"Paused for {form.cleaned_data['months']} month(s): {form.cleaned_data['reason']}"
            )
            return redirect(reverse("memberships:inspect", args=[membership.pk]))
    context = {"page_title": f"Pause {membership}", "membership": membership, "form": form}
    return render(request, "membership_pause.html", context, status=400 if request.method == "POST" else 200)
