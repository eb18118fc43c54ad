"""Manager screens beside the front desk: adjust, extend, void, resend, refund, cancel.

Each view checks its permission with Wagtail's decorator, validates its form and
calls one service; the outcome is reported as an admin message.
"""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.auth import permission_required

from .. import payments, services
from ..models import CreditGrant, GiftCard, Membership, Order
from .forms import AdjustForm, AmountAdjustForm, ExtendForm, ReasonForm, RefundForm, ResendForm
from .frontdesk import render


def _form_action(request, form_class, *, back: str, action, success: str):
    """Validate, run ``action(cleaned_data)``, and report the result as an admin message."""
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{field.replace('_', ' ').capitalize()}: {' '.join(errors)}")
        return redirect(back)
    try:
        result = action(form.cleaned_data)
    except services.BalanceError as error:
        messages.error(request, str(error))
    except payments.GatewayError as error:
        messages.error(request, f"Stripe said no: {error.user_message}")
    else:
        messages.success(request, success.format(result=result))
    return redirect(back)


@permission_required("packages.adjust_balance")
def adjust_credit(request, pk: int):
    grant = get_object_or_404(CreditGrant, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:customer", pk=grant.customer_id)
    return _form_action(
        request,
        AdjustForm,
        back=reverse("frontdesk:customer", args=[grant.customer_id]),
        action=lambda data: services.credit_adjust(
            grant_id=grant.pk, delta=data["delta"], actor=request.user, reason=data["reason"]
        ),
        success="Balance adjusted: {result.balance} session(s) left.",
    )


@permission_required("packages.adjust_balance")
def extend_credit(request, pk: int):
    grant = get_object_or_404(CreditGrant, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:customer", pk=grant.customer_id)
    return _form_action(
        request,
        ExtendForm,
        back=reverse("frontdesk:customer", args=[grant.customer_id]),
        action=lambda data: services.credit_extend(
            grant_id=grant.pk,
            expires_at=timezone.make_aware(datetime.combine(data["expires_on"], time(23, 59))),
            actor=request.user,
            reason=data["reason"],
        ),
        success="Expiry extended to {result.expires_at:%b %-d, %Y}.",
    )


@permission_required("packages.adjust_balance")
def adjust_gift_card(request, pk: int):
    get_object_or_404(GiftCard, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:gift_card", pk=pk)

    return _form_action(
        request,
        AmountAdjustForm,
        back=reverse("frontdesk:gift_card", args=[pk]),
        action=lambda data: services.gift_card_adjust(
            card_id=pk, delta_minor=int(data["delta"] * 100), actor=request.user, reason=data["reason"]
        ),
        success="Balance adjusted: {result.balance_display} on the card.",
    )


@permission_required("packages.adjust_balance")
def void_gift_card(request, pk: int):
    get_object_or_404(GiftCard, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:gift_card", pk=pk)
    return _form_action(
        request,
        ReasonForm,
        back=reverse("frontdesk:gift_card", args=[pk]),
        action=lambda data: services.gift_card_void(card_id=pk, actor=request.user, reason=data["reason"]),
        success="Gift card voided.",
    )


@permission_required("packages.resend_gift_card")
def resend_gift_card(request, pk: int):
    get_object_or_404(GiftCard, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:gift_card", pk=pk)
    return _form_action(
        request,
        ResendForm,
        back=reverse("frontdesk:gift_card", args=[pk]),
        action=lambda data: services.gift_card_resend(
            card_id=pk,
            actor=request.user,
            email=data["email"] or "",
            deliver_on=data["deliver_on"],
            send_now=data["send_now"],
        ),
        success="Saved. The gift card goes to {result.recipient_email} "
        "({result.status}; any earlier code no longer works).",
    )


@permission_required("packages.refund_order")
def refund_order(request, pk: int):
    order = get_object_or_404(Order.objects.select_related("customer", "paid_with_card"), pk=pk)
    stripe_left, card_left = services.refundable(order)
    context = {
        "page_title": f"Refund order {order.public_token[:8]}",
        "order": order,
        "refunds": order.refunds.all(),
        "stripe_left": stripe_left,
        "card_left": card_left,
    }
    if request.method != "POST":
        return render(request, "refund.html", {**context, "form": RefundForm()})
    form = RefundForm(request.POST)
    if request.POST.get("confirm") != "yes" and form.is_valid():
        # First where the money goes and what it takes back, then the manager confirms (or changes it).
        try:
            preview = services.refund_preview(
                order=order, amount_minor=form.minor("amount"), card_minor=form.minor("card_amount")
            )
        except services.BalanceError as error:
            messages.error(request, str(error))
            return render(request, "refund.html", {**context, "form": form})
        if form.cleaned_data["sessions"] is not None:
            preview["sessions"] = min(preview["sessions"], form.cleaned_data["sessions"])
        return render(request, "refund.html", {**context, "form": form, "preview": preview})
    return _form_action(
        request,
        RefundForm,
        back=reverse("frontdesk:refund", args=[pk]),
        action=lambda data: services.order_refund(
            order_id=pk,
            amount_minor=int(data["amount"] * 100),
            actor=request.user,
            reason=data["reason"],
            sessions=data["sessions"],
            card_minor=None if data["card_amount"] is None else int(data["card_amount"] * 100),
        ),
        success="{result.staff_summary}",
    )


@permission_required("packages.adjust_balance")
def reissue_bulk_codes(request, pk: int):
    """A bulk buyer lost their downloaded codes: cancel the unspent ones and let them download new ones."""
    order = get_object_or_404(Order.objects.select_related("customer"), pk=pk, kind=Order.Kind.GIFT_CARD_BULK)
    if request.method != "POST":
        context = {"page_title": f"New codes for order {order.public_token[:8]}", "order": order}
        return render(request, "reissue_codes.html", {**context, "form": ReasonForm()})
    return _form_action(
        request,
        ReasonForm,
        back=reverse("orders:inspect", args=[pk]),
        action=lambda data: services.bulk_codes_reissue(order_id=pk, actor=request.user, reason=data["reason"]),
        success="{result} code(s) cancelled: the buyer can download new ones once from their order page.",
    )


@permission_required("packages.manage_memberships")
def cancel_membership(request, pk: int):
    membership = get_object_or_404(Membership, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:customer", pk=membership.customer_id)
    return _form_action(
        request,
        forms.Form,
        back=reverse("frontdesk:customer", args=[membership.customer_id]),
        action=lambda data: services.membership_cancel_at_period_end(membership_id=pk, actor=request.user),
        success="The membership will end at the end of the paid period.",
    )
