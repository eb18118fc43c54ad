"""Front desk screens in the Wagtail admin ("Front desk" menu): find, look up, redeem.

Thin views: each checks its permission with Wagtail's decorators (every URL, not
only the menu), validates a small form, asks for confirmation where money or
sessions move, and calls one service. Gift-card codes are never shown: staff see
the last four characters.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from wagtail.admin import messages
from wagtail.admin.auth import any_permission_required, permission_required

from home.money import format_money

from .. import services
from ..models import CreditEntry, Customer, GiftCard, GiftCardEntry
from .forms import RedeemAmountForm, RedeemSessionForm, credit_label

FRONT_DESK_PERMS = ("packages.redeem_session", "packages.redeem_gift_card", "packages.view_customer")


def user_can_use_front_desk(user) -> bool:
    return any(user.has_perm(perm) for perm in FRONT_DESK_PERMS)


def render(request, template: str, context: dict, *, status: int = 200):
    context.setdefault("page_title", "Front desk")
    context.setdefault("header_icon", "user")
    return TemplateResponse(request, f"shop/admin/{template}", context, status=status)


# --- Finding ------------------------------------------------------------------------------------------


def looks_like_gift_code(query: str) -> bool:
    """A query that is probably a gift-card code (16 letters and digits once dashes and spaces go)."""
    return "@" not in query and len(services.normalise_gift_code(query)) == services.GIFT_CODE_LENGTH


@any_permission_required(*FRONT_DESK_PERMS)
def search(request):
    """Find customers by email or name, or a gift card by its code.

    The form posts, so a code never lands in a URL (access logs, browser history,
    Referer). A GET still searches names and emails (links such as ``?q=maya``), but
    a query that looks like a code is not looked up there: the page asks for the form.
    A code is never echoed back into the page.
    """
    source = request.POST if request.method == "POST" else request.GET
    query = source.get("q", "").strip()[:200]
    code_like = bool(query) and looks_like_gift_code(query)
    customers, card, use_the_form = [], None, False
    if code_like and request.method != "POST":
        use_the_form = True
    elif query:
        if code_like:
            card = services.gift_card_find(code=query)
        customers = list(
            Customer.objects.filter(Q(email__icontains=query) | Q(name__icontains=query)).order_by("email")[:25]
        )
    return render(
        request,
        "search.html",
        {
            "query": "" if code_like else query,
            "searched": bool(query) and not use_the_form,
            "customers": customers,
            "card": card,
            "looked_like_code": code_like and card is None and not use_the_form,
            "use_the_form": use_the_form,
        },
    )


@permission_required("packages.view_customer")
def customer_detail(request, pk: int):
    customer = get_object_or_404(Customer, pk=pk)
    grants = customer.credit_grants.prefetch_related(
        Prefetch("entries", queryset=CreditEntry.objects.select_related("actor").order_by("-created_at", "-pk"))
    ).order_by("expires_at", "pk")
    return render(
        request,
        "customer.html",
        {
            "page_title": customer.name or customer.email,
            "customer": customer,
            "grants": grants,
            "usable": [grant for grant in grants if grant.is_usable],
            "gift_cards": GiftCard.objects.filter(recipient_email=customer.email),
            "memberships": customer.memberships.select_related("plan"),
            "orders": customer.orders.prefetch_related("lines", "refunds"),
            "redeem_form": RedeemSessionForm(customer=customer),
        },
    )


@permission_required("packages.view_giftcard")
def gift_card_detail(request, pk: int):
    card = get_object_or_404(GiftCard.objects.select_related("order__customer", "grant__customer"), pk=pk)
    entries = GiftCardEntry.objects.filter(card=card).select_related("actor").order_by("-created_at", "-pk")
    return render(
        request,
        "gift_card.html",
        {
            "page_title": f"Gift card …{card.code_last4}" if card.code_last4 else "Gift card (not delivered yet)",
            "card": card,
            "entries": entries,
            "redeem_form": RedeemAmountForm(),
        },
    )


# --- Redeeming --------------------------------------------------------------------------------------------


def _confirmed(request) -> bool:
    return request.POST.get("confirm") == "yes"


@permission_required("packages.redeem_session")
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
            context.update(credit_label=credit_label(grant), credit_name=grant.display_name)
        return render(request, "confirm_session.html", context)
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
            f"{grant.balance} left on this {grant.display_name}. A receipt is on its way to {customer.email}.",
        )
    return redirect("frontdesk:customer", pk=pk)


@permission_required("packages.redeem_gift_card")
def redeem_gift_card(request, pk: int):
    """Amount, then a confirmation that takes the card's code (or a manager's override with a reason).

    The code is typed or scanned on the confirmation step and posted once; it is never
    put back into a page. The service checks it against the card's keyed hash.
    """
    card = get_object_or_404(GiftCard, pk=pk)
    if request.method != "POST":
        return redirect("frontdesk:gift_card", pk=pk)
    form = RedeemAmountForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the amount to take, e.g. 45.00.")
        return redirect("frontdesk:gift_card", pk=pk)
    confirm = {
        "card": card,
        "form": form,
        "amount_display": format_money(form.amount_minor(), card.currency),
        "can_override": request.user.has_perm(services.REDEEM_OVERRIDE_PERMISSION),
    }
    if not _confirmed(request):
        return render(request, "confirm_amount.html", confirm)
    try:
        card = services.gift_card_redeem(
            card_id=card.pk,
            amount_minor=form.amount_minor(),
            actor=request.user,
            note=form.cleaned_data["note"],
            code=form.cleaned_data["code"],
            override_reason=form.cleaned_data["override_reason"],
        )
    except services.BalanceError as error:
        messages.error(request, str(error))
        return render(request, "confirm_amount.html", confirm)  # try the code again, or cancel
    messages.success(request, f"Redeemed. {card.balance_display} left on the card ending {card.code_last4}.")
    return redirect("frontdesk:gift_card", pk=pk)
