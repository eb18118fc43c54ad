"""The checkout form on the server-rendered shop pages (the API takes the same fields)."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from .models import GiftCardOffer, MembershipPlan, SessionSeries
from .services import GiftDetails


def gift_amount_range(offer: GiftCardOffer) -> tuple[int, int]:
    """The lowest and highest amount (minor units) a buyer can choose: listed amounts and the custom range."""
    amounts = list(offer.fixed_amounts or [])
    if offer.allow_custom_amount:
        amounts += [offer.min_amount_minor, offer.max_amount_minor]
    return min(amounts), max(amounts)


DISCLAIMER_REQUIRED = "Please confirm that you have consulted a doctor or know of no reason massage is unsafe for you."
GIFT_FIELDS_REQUIRED = {
    "recipient_name": "Enter the recipient's name.",
    "recipient_email": "Enter the recipient's email: the gift is sent there.",
}


class CheckoutForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Your email", help_text="Your receipt goes here.")
    amount = forms.IntegerField(label="Amount (whole dollars)", required=False, min_value=1)
    is_gift = forms.BooleanField(label="This is a gift for someone else", required=False)
    recipient_name = forms.CharField(label="Recipient's name", max_length=150, required=False)
    recipient_email = forms.EmailField(label="Recipient's email", required=False)
    sender_name = forms.CharField(label="From (your name as they will see it)", max_length=150, required=False)
    message = forms.CharField(
        label="Personal message", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=1000
    )
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
            amount = self.fields["amount"]
            amount.required = True
            self.fields["delivery_date"].initial = timezone.localdate()
            # The input's min/max (and the browser's own check) follow the offer, as services do.
            low, high = gift_amount_range(offer)
            amount.min_value, amount.max_value = -(-low // 100), high // 100
            amount.widget.attrs.update(min=amount.min_value, max=amount.max_value)
            if offer.allow_custom_amount:
                amount.help_text = f"Any whole amount from {offer.money(low)} to {offer.money(high)}."
                between = f"between {offer.money(low)} and {offer.money(high)}"
                out_of_range = f"Choose one of the listed amounts or an amount {between}."
            else:
                out_of_range = "Choose one of the listed amounts."
            amount.validators = [
                v for v in amount.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
            ] + [MinValueValidator(amount.min_value, out_of_range), MaxValueValidator(amount.max_value, out_of_range)]
        else:
            del self.fields["amount"]
        if isinstance(offer, MembershipPlan):
            for name in ("is_gift", "recipient_name", "recipient_email", "sender_name", "message", "delivery_date"):
                del self.fields[name]
        if isinstance(offer, SessionSeries) and not offer.giftable:
            for name in ("is_gift", "recipient_name", "recipient_email", "sender_name", "message", "delivery_date"):
                del self.fields[name]

    def clean(self):
        """Everything services.order_create would refuse, reported on the first submit with the rest."""
        data = super().clean()
        is_gift = self.is_gift_card or bool(data.get("is_gift"))
        amount = data.get("amount")
        if self.is_gift_card and amount and not self.offer.amount_is_allowed(amount * 100):
            listed = ", ".join(self.offer.money(value) for value in self.offer.fixed_amounts or [])
            self.add_error("amount", f"Choose one of the listed amounts: {listed}.")
        if is_gift:
            for name, message in GIFT_FIELDS_REQUIRED.items():
                if name in self.fields and not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            delivery = data.get("delivery_date")
            if delivery and delivery < timezone.localdate():
                self.add_error("delivery_date", "Choose today or a later date.")
        elif "accept_disclaimer" in self.fields and not data.get("accept_disclaimer"):
            self.add_error("accept_disclaimer", DISCLAIMER_REQUIRED)
        return data

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
