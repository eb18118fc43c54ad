"""Forms of the staff screens: small, validated on the server, one per action."""

from __future__ import annotations

from django import forms

from ..models import CreditGrant, Customer


class RedeemSessionForm(forms.Form):
    grant = forms.ModelChoiceField(
        queryset=CreditGrant.objects.none(),
        required=False,
        empty_label="The series that expires first",
        help_text="Leave as is unless the client asks to use another series.",
    )
    note = forms.CharField(required=False, max_length=300, help_text="Optional, e.g. the visit or therapist.")

    def __init__(self, *args, customer: Customer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = customer.credit_grants.usable().first_to_use()


class RedeemAmountForm(forms.Form):
    amount = forms.DecimalField(min_value=0.01, max_digits=8, decimal_places=2, label="Amount to take ($)")
    note = forms.CharField(required=False, max_length=300)

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
    reason = forms.CharField(max_length=300)


class AmountAdjustForm(forms.Form):
    delta = forms.DecimalField(max_digits=8, decimal_places=2, label="Change ($)")
    reason = forms.CharField(max_length=300)
