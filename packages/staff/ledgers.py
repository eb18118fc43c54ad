"""The two ledgers in the admin, read-only: every session and gift-card movement, filterable and downloadable."""

from __future__ import annotations

from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView

from ..models import CreditEntry, GiftCardEntry
from .readonly import MoneyColumn, ReadOnlyViewSet


class LedgerIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("actor", *self.related)


class CreditEntryIndexView(LedgerIndexView):
    related = ("grant__customer",)


class GiftCardEntryIndexView(LedgerIndexView):
    related = ("card",)


LEDGER_HEADINGS = {
    "created_at": "When",
    "get_kind_display": "What",
    "actor": "Staff",
    "reason": "Reason",
    "reference": "Reference",
}


class CreditEntryViewSet(ReadOnlyViewSet):
    model = CreditEntry
    index_view_class = CreditEntryIndexView
    icon = "list-ul"
    menu_label = "Session ledger"
    list_display = ["grant", "grant__customer", "kind", Column("delta", label="Sessions (±)"), "actor", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["grant__customer__email", "grant__customer__name", "reason", "reference"]
    ordering = ["-created_at", "-pk"]
    list_export = [
        "created_at",
        "grant.customer.email",
        "grant.display_name",
        "get_kind_display",
        "delta",
        "actor",
        "reason",
        "reference",
    ]
    export_headings = {
        **LEDGER_HEADINGS,
        "grant.customer.email": "Customer",
        "grant.display_name": "Credit",
        "delta": "Sessions (±)",
    }


class GiftCardEntryViewSet(ReadOnlyViewSet):
    model = GiftCardEntry
    index_view_class = GiftCardEntryIndexView
    icon = "tag"
    menu_label = "Gift card ledger"
    list_display = [
        "card",
        "kind",
        MoneyColumn("delta_minor", label="Amount (±)", currency_path="card.currency"),
        "actor",
        "created_at",
    ]
    list_filter = ["kind", "created_at"]
    search_fields = ["card__code_last4", "card__recipient_email", "reason", "reference"]
    ordering = ["-created_at", "-pk"]
    list_export = [
        "created_at",
        "card.code_last4",
        "card.recipient_email",
        "get_kind_display",
        "card.currency",
        "delta_minor",
        "actor",
        "reason",
        "reference",
    ]
    export_headings = {
        **LEDGER_HEADINGS,
        "card.code_last4": "Card (last 4)",
        "card.recipient_email": "Recipient",
        "card.currency": "Currency",
        "delta_minor": "Amount (cents, ±)",
    }
