"""Forms of the staff screens: small, validated on the server, one per action."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from ..models import CreditGrant, Customer


def credit_label(grant: CreditGrant) -> str:
    """ "60 min therapeutic massage membership month: 1 of 1 left, until Dec 7, 2026" """
    until = f", until {date_format(timezone.localtime(grant.expires_at), 'M j, Y')}" if grant.expires_at else ""
    return f"{grant.session_minutes} min {grant.display_name}: {grant.balance} of {grant.sessions_granted} left{until}"


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
        self.fields["grant"].queryset = customer.credit_grants.usable().first_to_use()


class RedeemAmountForm(forms.Form):
    """The amount first; the confirmation step adds the card's code (or a manager's reason to go without)."""

    amount = forms.DecimalField(min_value=0.01, max_digits=8, decimal_places=2, label="Amount to take ($)")
    note = forms.CharField(required=False, max_length=300)
    code = forms.CharField(required=False, max_length=40, label="Card code")
    override_reason = forms.CharField(required=False, max_length=200, label="Reason to go without the code")

    def amount_minor(self) -> int:
        return int(self.cleaned_data["amount"] * 100)


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
    sessions = forms.IntegerField(
        min_value=0,
        required=False,
        label="Sessions to take back at most",
        help_text="Leave empty to take back what the refund pays for (whole sessions, never more than unused).",
    )
    card_amount = forms.DecimalField(
        min_value=0,
        max_digits=8,
        decimal_places=2,
        required=False,
        label="Of which back on the gift card ($)",
        help_text="For an order paid partly by gift card. Leave empty to refund each part to what paid it.",
    )
    reason = forms.CharField(max_length=300)

    def minor(self, field: str) -> int | None:
        value = self.cleaned_data.get(field)
        return None if value is None else int(value * 100)


class AmountAdjustForm(forms.Form):
    delta = forms.DecimalField(max_digits=8, decimal_places=2, label="Change ($)")
    reason = forms.CharField(max_length=300)
