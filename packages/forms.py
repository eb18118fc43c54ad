"""The checkout form on the server-rendered shop pages (the API takes the same fields)."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import GiftCardOffer, MembershipPlan, SessionSeries
from .services import GiftDetails


class CheckoutForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Your email", help_text="Your receipt goes here.")
    amount = forms.IntegerField(label="Amount (whole dollars)", required=False, min_value=1)
    is_gift = forms.BooleanField(label="This is a gift for someone else", required=False)
    recipient_name = forms.CharField(label="Recipient's name", max_length=150, required=False)
    recipient_email = forms.EmailField(label="Recipient's email", required=False)
    sender_name = forms.CharField(label="From (your name as they will see it)", max_length=150, required=False)
    message = forms.CharField(label="Personal message", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    delivery_date = forms.DateField(
        label="Send on", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Today or later."
    )
    accept_disclaimer = forms.BooleanField(
        label="I have consulted a doctor, or I know of no medical reason that massage is unsafe for me.",
        required=False,
    )

    def __init__(self, *args, offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        if isinstance(offer, GiftCardOffer):
            del self.fields["is_gift"], self.fields["accept_disclaimer"]
            self.fields["recipient_name"].required = True
            self.fields["recipient_email"].required = True
            self.fields["amount"].required = True
            self.fields["delivery_date"].initial = timezone.localdate()
            if offer.allow_custom_amount:
                self.fields["amount"].help_text = (
                    f"Any whole amount from {offer.money(offer.min_amount_minor)} "
                    f"to {offer.money(offer.max_amount_minor)}."
                )
        else:
            del self.fields["amount"]
        if isinstance(offer, MembershipPlan):
            for name in ("is_gift", "recipient_name", "recipient_email", "sender_name", "message", "delivery_date"):
                del self.fields[name]
        if isinstance(offer, SessionSeries) and not offer.giftable:
            for name in ("is_gift", "recipient_name", "recipient_email", "sender_name", "message", "delivery_date"):
                del self.fields[name]

    @property
    def is_gift_card(self) -> bool:
        return isinstance(self.offer, GiftCardOffer)

    def service_kwargs(self) -> dict:
        """Keyword arguments for services.order_create from the cleaned data."""
        data = self.cleaned_data
        gift = None
        if self.is_gift_card or data.get("is_gift"):
            gift = GiftDetails(
                recipient_name=data.get("recipient_name") or "",
                recipient_email=data.get("recipient_email") or "",
                sender_name=data.get("sender_name") or data.get("name") or "",
                message=data.get("message") or "",
                delivery_date=data.get("delivery_date"),
            )
        return {
            "email": data["email"],
            "name": data["name"],
            "disclaimer_accepted": bool(data.get("accept_disclaimer")),
            "amount_minor": data["amount"] * 100 if data.get("amount") else None,
            "gift": gift,
        }

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            field = {"message": "message", "offer": None}.get(field, field)
            self.add_error(field if field in self.fields else None, message)
