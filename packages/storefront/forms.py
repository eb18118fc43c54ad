"""Forms on the shop's pages: checkout (the API takes the same fields), the sign-in email, a gift code.

The checkout form asks the offer what it needs (a chosen amount, a recipient, the
medical disclaimer) rather than switching on its type.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

from ..models import BULK_MAX_CARDS, BulkDelivery, Offer
from ..services import CSV_MAX_BYTES, GiftDetails, RecipientRow, recipient_errors, recipients_from_csv

GIFT_FIELDS = ("is_gift", "recipient_name", "recipient_email", "sender_name", "message", "delivery_date")


DISCLAIMER_REQUIRED = "Please confirm that you have consulted a doctor or know of no reason massage is unsafe for you."
GIFT_FIELDS_REQUIRED = {
    "recipient_name": "Enter the recipient's name.",
    "recipient_email": "Enter the recipient's email: the gift is sent there.",
}


def amount_field_for(amount: forms.IntegerField, offer: Offer) -> None:
    """A chosen amount's field (whole dollars): required, its min/max (and the browser's check) the offer's."""
    amount.required = True
    low, high = offer.amount_range()
    amount.min_value, amount.max_value = -(-low // 100), high // 100
    amount.widget.attrs.update(min=amount.min_value, max=amount.max_value)
    if offer.allow_custom_amount:
        amount.help_text = f"Any whole amount from {offer.money(low)} to {offer.money(high)}."
        between = f"between {offer.money(low)} and {offer.money(high)}"
        out_of_range = f"Choose one of the listed amounts or an amount {between}."
    else:
        out_of_range = "Choose one of the listed amounts."
    amount.validators = [v for v in amount.validators if not isinstance(v, MinValueValidator | MaxValueValidator)] + [
        MinValueValidator(amount.min_value, out_of_range),
        MaxValueValidator(amount.max_value, out_of_range),
    ]


def amount_clean(form: forms.Form, amount: int | None) -> None:
    """Within range but not allowed (no custom amounts): name the listed ones."""
    if amount and form.offer.amount_error(amount * 100):
        listed = ", ".join(form.offer.money(value) for value in form.offer.fixed_amounts or [])
        form.add_error("amount", f"Choose one of the listed amounts: {listed}.")


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
    gift_card = forms.CharField(
        label="Pay with a gift card",
        max_length=64,
        required=False,
        help_text="The code from the gift card email; what it does not cover is paid by card.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    promotion_code = forms.CharField(label="Promotion code", max_length=40, required=False)
    accept_disclaimer = forms.BooleanField(
        label="I have consulted a doctor, or I know of no medical reason that massage is unsafe for me.",
        required=False,
    )

    def __init__(self, *args, offer: Offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        if not offer.needs_disclaimer(as_gift=False):
            del self.fields["accept_disclaimer"]
        if offer.checkout_mode != "payment":
            del self.fields["gift_card"]  # a membership is paid monthly by card
        if not offer.accepts_gift():
            for name in GIFT_FIELDS:
                del self.fields[name]
        if offer.requires_gift:
            del self.fields["is_gift"]
            self.fields["recipient_name"].required = True
            self.fields["recipient_email"].required = True
            self.fields["delivery_date"].initial = timezone.localdate()
        if offer.chooses_amount:
            amount_field_for(self.fields["amount"], offer)
        else:
            del self.fields["amount"]

    def clean(self):
        """Everything services.order_create would refuse, reported on the first submit with the rest."""
        data = super().clean()
        is_gift = self.offer.requires_gift or bool(data.get("is_gift"))
        if self.offer.chooses_amount:
            amount_clean(self, data.get("amount"))
        if is_gift:
            for name, message in GIFT_FIELDS_REQUIRED.items():
                if name in self.fields and not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
            delivery = data.get("delivery_date")
            if delivery and delivery < timezone.localdate():
                self.add_error("delivery_date", "Choose today or a later date.")
        if (
            "accept_disclaimer" in self.fields
            and self.offer.needs_disclaimer(as_gift=is_gift)
            and not data.get("accept_disclaimer")
        ):
            self.add_error("accept_disclaimer", DISCLAIMER_REQUIRED)
        return data

    def service_kwargs(self) -> dict:
        """Keyword arguments for services.order_create from the cleaned data."""
        data = self.cleaned_data
        gift = None
        if self.offer.requires_gift or data.get("is_gift"):
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
            "promotion_code": data.get("promotion_code") or "",
            "gift_card": data.get("gift_card") or "",
        }

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            field = {"message": "message", "offer": None}.get(field, field)
            self.add_error(field if field in self.fields else None, message)


class BulkGiftCardForm(forms.Form):
    """Up to 100 cards of one amount: emailed to a list of recipients (a CSV file), or codes for the buyer.

    An uploaded file is read into ``recipients_text``, which the page shows again with the
    errors: the buyer fixes the rows there, or uploads a corrected file; nothing is lost.
    """

    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Your email", help_text="Your receipt goes here.")
    sender_name = forms.CharField(
        label="From (as the recipients will see it)",
        max_length=150,
        required=False,
        help_text="Your name or your company's; empty: your name.",
    )
    amount = forms.IntegerField(label="Amount on each card (whole dollars)", min_value=1)
    delivery = forms.ChoiceField(
        label="How the cards reach people",
        choices=BulkDelivery.choices,
        initial=BulkDelivery.RECIPIENTS,
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label="How many cards",
        required=False,
        min_value=1,
        max_value=BULK_MAX_CARDS,
        help_text=f"1 to {BULK_MAX_CARDS}. With a list of recipients, one card per row.",
        error_messages={
            "min_value": f"Order between 1 and {BULK_MAX_CARDS} cards.",
            "max_value": f"Order between 1 and {BULK_MAX_CARDS} cards.",
        },
    )
    recipients_file = forms.FileField(
        label="Recipients (CSV file)",
        required=False,
        help_text="Columns name, email, message, delivery_date (YYYY-MM-DD; empty: today); a header row first.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    recipients_text = forms.CharField(
        label="Recipients (as CSV text)",
        required=False,
        max_length=CSV_MAX_BYTES,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="What you uploaded, to correct here; or paste the rows, header first.",
    )
    gift_card = CheckoutForm.base_fields["gift_card"]
    promotion_code = CheckoutForm.base_fields["promotion_code"]

    def __init__(self, *args, offer: Offer, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.recipients: list[RecipientRow] = []
        amount_field_for(self.fields["amount"], offer)

    def clean(self):
        data = super().clean()
        amount_clean(self, data.get("amount"))
        if data.get("delivery") == BulkDelivery.RECIPIENTS:
            self._clean_recipients(data)
        elif data.get("delivery") == BulkDelivery.CODES and not data.get("quantity") and "quantity" not in self.errors:
            self.add_error("quantity", f"Order between 1 and {BULK_MAX_CARDS} cards.")
        return data

    def _clean_recipients(self, data: dict) -> None:
        upload = data.get("recipients_file")
        raw = upload.read(CSV_MAX_BYTES + 1) if upload else (data.get("recipients_text") or "").encode()
        if not raw.strip():
            self.add_error("recipients_file", "Upload the recipients' CSV file (or paste its rows below).")
            return
        if upload:  # shown again in the text box: fixable on the page if a row is wrong
            try:
                self.data = self.data.copy()
                self.data["recipients_text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                pass
        rows, problems = recipients_from_csv(raw)
        problems = problems or recipient_errors(rows)
        for message in problems.values():
            self.add_error("recipients_file", message)
        self.recipients = rows

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        codes = data["delivery"] == BulkDelivery.CODES
        return {
            "email": data["email"],
            "name": data["name"],
            "sender_name": data.get("sender_name") or "",
            "amount_minor": data["amount"] * 100,
            "delivery": data["delivery"],
            "quantity": data.get("quantity") if codes else None,
            "recipients": [] if codes else self.recipients,
            "promotion_code": data.get("promotion_code") or "",
            "gift_card": data.get("gift_card") or "",
        }

    def add_service_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            if field.startswith("recipients"):
                field = "recipients_file"
            self.add_error(field if field in self.fields else None, message)


class EmailForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254, help_text="The address you bought with.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Gift card code",
        max_length=64,
        help_text="As in the email, e.g. ABCD-EFGH-JKMN-PQRS. Case, spaces and dashes do not matter.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
