"""Front desk and manager screens in the Wagtail admin ("Front desk" menu).

Thin views: each checks its permission (every URL, not only the menu), validates
a small form, asks for confirmation where money or sessions move, and calls one
service. Gift-card codes are never shown: staff see the last four characters.
"""

from __future__ import annotations

from datetime import datetime, time
from functools import wraps

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin import messages

from home.money import format_money

from . import payments, services
from .account import credit_name
from .models import CreditEntry, CreditGrant, Customer, GiftCard, GiftCardEntry, Membership, Order

FRONT_DESK_PERMS = ("packages.redeem_session", "packages.redeem_gift_card", "packages.view_customer")


def require(*perms: str):
    """All of ``perms`` or PermissionDenied (Wagtail turns it into a redirect with a message)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def user_can_use_front_desk(user) -> bool:
    return any(user.has_perm(perm) for perm in FRONT_DESK_PERMS)


def _render(request, template: str, context: dict, *, status: int = 200):
    context.setdefault("page_title", "Front desk")
    context.setdefault("header_icon", "user")
    return TemplateResponse(request, f"packages/admin/{template}", context, status=status)


# --- Finding ------------------------------------------------------------------------------------------


def search(request):
    if not user_can_use_front_desk(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:200]
    customers, card = [], None
    if query:
        normalised = services.normalise_gift_code(query)
        if len(normalised) == services.GIFT_CODE_LENGTH:
            card = services.gift_card_find(code=normalised)
        customers = list(
            Customer.objects.filter(Q(email__icontains=query) | Q(name__icontains=query)).order_by("email")[:25]
        )
    return _render(
        request,
        "search.html",
        {
            "query": query,
            "customers": customers,
            "card": card,
            "looked_like_code": len(services.normalise_gift_code(query)) == services.GIFT_CODE_LENGTH and card is None,
        },
    )


@require("packages.view_customer")
def customer_detail(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    grants = customer.credit_grants.prefetch_related(
        Prefetch("entries", queryset=CreditEntry.objects.select_related("actor").order_by("-created_at", "-pk"))
    ).order_by("expires_at", "pk")
    now = timezone.now()
    return _render(
        request,
        "customer.html",
        {
            "page_title": customer.name or customer.email,
            "customer": customer,
            "grants": grants,
            "usable": [g for g in grants if g.balance > 0 and not (g.expires_at and g.expires_at <= now)],
            "gift_cards": GiftCard.objects.filter(recipient_email=customer.email),
            "memberships": customer.memberships.select_related("plan"),
            "orders": customer.orders.prefetch_related("lines", "refunds"),
            "redeem_form": RedeemSessionForm(customer=customer),
        },
    )


@require("packages.view_giftcard")
def gift_card_detail(request, pk: int):
    card = get_object_or_404(GiftCard.objects.select_related("order__customer", "grant__customer"), pk=pk)
    entries = GiftCardEntry.objects.filter(card=card).select_related("actor").order_by("-created_at", "-pk")
    return _render(
        request,
        "gift_card.html",
        {
            "page_title": f"Gift card …{card.code_last4}" if card.code_last4 else "Gift card (not delivered yet)",
            "card": card,
            "entries": entries,
            "redeem_form": RedeemAmountForm(),
        },
    )


# --- Redeeming (front desk) -------------------------------------------------------------------------------


def credit_label(grant: CreditGrant) -> str:
    """ "60 min therapeutic massage membership month: 1 of 1 left, until Dec 7, 2026" """
    until = f", until {date_format(timezone.localtime(grant.expires_at), 'M j, Y')}" if grant.expires_at else ""
    return f"{grant.session_minutes} min {credit_name(grant)}: {grant.balance} of {grant.sessions_granted} left{until}"


class CreditChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, grant: CreditGrant) -> str:
        return credit_label(grant)


class RedeemSessionForm(forms.Form):
    grant = CreditChoiceField(
        queryset=CreditGrant.objects.none(),
        required=False,
        empty_label="Whatever expires first (named on the next step)",
        help_text="Leave as is unless the client asks to use another series or membership month.",
    )
    note = forms.CharField(required=False, max_length=300, help_text="Optional, e.g. the visit or therapist.")

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = customer.credit_grants.filter(balance__gt=0).order_by("expires_at", "pk")


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "yes"


@require("packages.redeem_session")
def redeem_session(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:customer", pk=pk)
    form = RedeemSessionForm(request.POST, customer=customer)
    if not form.is_valid():
        messages.error(request, "Choose one of this customer's series.")
        return redirect("frontdesk:customer", pk=pk)
    grant = form.cleaned_data["grant"]
    if not _confirmed(request):
        # Name the credit "whatever expires first" will use, and post its id: what staff confirm is what is used.
        grant = grant or services.credit_to_use(customer=customer)
        context = {"customer": customer, "grant": grant, "form": form}
        if grant is not None:
            context.update(credit_label=credit_label(grant), credit_name=credit_name(grant))
        return _render(request, "confirm_session.html", context)
    try:
        grant = services.credit_redeem(
            customer=customer, actor=request.user, grant_id=grant.pk if grant else None, note=form.cleaned_data["note"]
        )
    except services.BalanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"One {grant.session_minutes}-minute {grant.treatment_name.lower()} session redeemed. "
            f"{grant.balance} left on this {credit_name(grant)}. A receipt is on its way to {customer.email}.",
        )
    return redirect("frontdesk:customer", pk=pk)


class RedeemAmountForm(forms.Form):
    amount = forms.DecimalField(min_value=0.01, max_digits=8, decimal_places=2, label="Amount to take ($)")
    note = forms.CharField(required=False, max_length=300)

    def amount_minor(self) -> int:
        return int(self.cleaned_data["amount"] * 100)


@require("packages.redeem_gift_card")
def redeem_gift_card(request, pk: int):
    card = get_object_or_404(GiftCard, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:gift_card", pk=pk)
    form = RedeemAmountForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the amount to take, e.g. 45.00.")
        return redirect("frontdesk:gift_card", pk=pk)
    if not _confirmed(request):
        amount = format_money(form.amount_minor(), card.currency)
        return _render(request, "confirm_amount.html", {"card": card, "form": form, "amount_display": amount})
    try:
        card = services.gift_card_redeem(
            card_id=card.pk, amount_minor=form.amount_minor(), actor=request.user, note=form.cleaned_data["note"]
        )
    except services.BalanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Redeemed. {card.balance_display} left on the card ending {card.code_last4}.")
    return redirect("frontdesk:gift_card", pk=pk)


# --- Managers -------------------------------------------------------------------------------------------------


class AdjustForm(forms.Form):
    delta = forms.IntegerField(label="Change", help_text="Positive adds, negative removes.")
    reason = forms.CharField(max_length=300)


class ExtendForm(forms.Form):
    expires_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=300)


class ResendForm(forms.Form):
    email = forms.EmailField(required=False, help_text="Only to correct the recipient's address.")
    deliver_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    send_now = forms.BooleanField(required=False, initial=True)


class RefundForm(forms.Form):
    amount = forms.DecimalField(min_value=0.01, max_digits=8, decimal_places=2, label="Amount to refund ($)")
    reason = forms.CharField(max_length=300)


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


@require("packages.adjust_balance")
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


@require("packages.adjust_balance")
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


@require("packages.adjust_balance")
def adjust_gift_card(request, pk: int):
    get_object_or_404(GiftCard, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:gift_card", pk=pk)

    class AmountAdjustForm(forms.Form):
        delta = forms.DecimalField(max_digits=8, decimal_places=2, label="Change ($)")
        reason = forms.CharField(max_length=300)

    return _form_action(
        request,
        AmountAdjustForm,
        back=reverse("frontdesk:gift_card", args=[pk]),
        action=lambda data: services.gift_card_adjust(
            card_id=pk, delta_minor=int(data["delta"] * 100), actor=request.user, reason=data["reason"]
        ),
        success="Balance adjusted: {result.balance_display} on the card.",
    )


@require("packages.adjust_balance")
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


@require("packages.resend_gift_card")
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


@require("packages.refund_order")
def refund_order(request, pk: int):
    order = get_object_or_404(Order.objects.select_related("customer"), pk=pk)
    if request.method != "POST":
        context = {"page_title": f"Refund order {order.public_token[:8]}", "order": order, "form": RefundForm()}
        return _render(request, "refund.html", {**context, "refunds": order.refunds.all()})
    return _form_action(
        request,
        RefundForm,
        back=reverse("frontdesk:refund", args=[pk]),
        action=lambda data: services.order_refund(
            order_id=pk, amount_minor=int(data["amount"] * 100), actor=request.user, reason=data["reason"]
        ),
        success="Refund sent to Stripe; balances follow when Stripe confirms it.",
    )


@require("packages.manage_memberships")
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


app_name = "frontdesk"
urlpatterns = [
    path("", search, name="search"),
    path("customers/<int:pk>/", customer_detail, name="customer"),
    path("customers/<int:pk>/redeem/", redeem_session, name="redeem_session"),
    path("credits/<int:pk>/adjust/", adjust_credit, name="adjust_credit"),
    path("credits/<int:pk>/extend/", extend_credit, name="extend_credit"),
    path("gift-cards/<int:pk>/", gift_card_detail, name="gift_card"),
    path("gift-cards/<int:pk>/redeem/", redeem_gift_card, name="redeem_gift_card"),
    path("gift-cards/<int:pk>/adjust/", adjust_gift_card, name="adjust_gift_card"),
    path("gift-cards/<int:pk>/void/", void_gift_card, name="void_gift_card"),
    path("gift-cards/<int:pk>/resend/", resend_gift_card, name="resend_gift_card"),
    path("orders/<int:pk>/refund/", refund_order, name="refund"),
    path("memberships/<int:pk>/cancel/", cancel_membership, name="cancel_membership"),
]
