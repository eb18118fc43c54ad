"""The shop's staff admin: offers (editable by managers) and read-only records of what was sold."""

from __future__ import annotations

from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import (
    CreditEntry,
    CreditGrant,
    ExtraSession,
    GiftCard,
    GiftCardEntry,
    GiftCardOffer,
    Membership,
    MembershipPlan,
    Order,
    PromotionCode,
    SessionSeries,
    StripeEvent,
)
from .ledgers import CreditEntryViewSet, GiftCardEntryViewSet
from .readonly import YES_NO, ReadOnlyPolicy, ReadOnlyViewSet, YesNoColumn

__all__ = ["READ_ONLY_MODELS", "ReadOnlyPolicy", "ReadOnlyViewSet", "ShopViewSetGroup"]


class SessionSeriesViewSet(SnippetViewSet):
    model = SessionSeries
    icon = "list-ol"
    menu_label = "Session series"
    list_display = [
        "title",
        "treatment",
        "sessions",
        "session_minutes",
        Column("price_display", label="Price"),
        YesNoColumn("active", label="On sale"),
        YesNoColumn("featured", label="Featured"),
    ]
    list_filter = ["active", "featured", "treatment"]
    ordering = ["sort_order", "title"]


class MembershipPlanViewSet(SnippetViewSet):
    model = MembershipPlan
    icon = "date"
    menu_label = "Membership plans"
    list_display = [
        "title",
        "treatment",
        Column("price_display", label="Price a month"),
        "sessions_per_month",
        YesNoColumn("active", label="On sale"),
        YesNoColumn("featured", label="Featured"),
    ]
    list_filter = ["active", "featured"]


class GiftCardOfferViewSet(SnippetViewSet):
    model = GiftCardOffer
    icon = "tag"
    menu_label = "Gift card offers"
    list_display = [
        "title",
        Column("price_display", label="Amounts"),
        YesNoColumn("allow_custom_amount", label="Any amount"),
        YesNoColumn("active", label="On sale"),
        YesNoColumn("featured", label="Featured"),
    ]
    list_filter = ["active", "featured"]


class ExtraSessionViewSet(SnippetViewSet):
    model = ExtraSession
    icon = "time"
    menu_label = "Extra sessions"
    list_display = ["title", "treatment", "session_minutes", "price_display", "active", "featured"]
    list_filter = ["active", "featured", "treatment"]
    ordering = ["sort_order", "title"]


class PromotionCodeViewSet(SnippetViewSet):
    model = PromotionCode
    icon = "tag"
    menu_label = "Promotion codes"
    list_display = ["code", "discount_display", "times_redeemed", "max_redemptions", "valid_until", "active"]
    list_filter = ["active"]
    search_fields = ["code", "description"]


class OrderInspectView(InspectView):
    """An order as Stripe told us, with the manager's Refund action beside it."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.object.fulfilled_at and self.request.user.has_perm("packages.refund_order"):
            url = reverse("frontdesk:refund", args=[self.object.pk])
            buttons.append(HeaderButton("Refund…", url=url, icon_name="undo"))
        downloads = self.object.gift_cards.filter(delivery=GiftCard.Delivery.DOWNLOAD)
        if self.object.is_bulk and self.request.user.has_perm("packages.adjust_balance") and downloads.exists():
            url = reverse("frontdesk:reissue_bulk_codes", args=[self.object.pk])
            buttons.append(HeaderButton("New codes…", url=url, icon_name="key"))
        return buttons

    def get_field_label(self, field_name, field):
        if field_name == "gift_cards":
            return "Gift cards"
        return super().get_field_label(field_name, field)

    def get_gift_cards_display_value(self):
        """Every card the order made (a bulk order makes up to 100): last four characters, status, balance."""
        cards = self.object.gift_cards.order_by("pk")
        if not cards:
            return "-"
        return format_html_join(
            mark_safe("<br>"),  # noqa: S308 - a constant
            '<a href="{}">{}</a> — {}, {} left, {} {}',
            (
                (
                    reverse("frontdesk:gift_card", args=[card.pk]),
                    card,
                    card.get_status_display(),
                    card.balance_display,
                    "for" if card.delivery == card.Delivery.EMAIL else "codes downloaded by",
                    card.recipient_email if card.delivery == card.Delivery.EMAIL else "the buyer",
                )
                for card in cards
            ),
        )


class OrderIndexView(IndexView):
    custom_field_preprocess = {"is_gift": YES_NO}


class OrderViewSet(ReadOnlyViewSet):
    model = Order
    index_view_class = OrderIndexView
    inspect_view_class = OrderInspectView
    icon = "doc-full"
    menu_label = "Orders"
    list_display = ["__str__", "customer", "status", YesNoColumn("is_gift", label="Gift"), "created_at"]
    list_filter = ["status", "kind", "is_gift", "created_at"]
    # The listing's CSV/XLSX download, with its filters: amounts in minor units (cents).
    list_export = [
        "public_token",
        "created_at",
        "paid_at",
        "customer.email",
        "get_kind_display",
        "get_status_display",
        "currency",
        "amount_total_minor",
        "stripe_amount_subtotal",
        "discount_total_minor",
        "card_amount_minor",
        "stripe_amount_tax",
        "stripe_amount_total",
        "amount_refunded_minor",
        "is_gift",
    ]
    export_headings = {
        "public_token": "Order",
        "created_at": "Created",
        "paid_at": "Paid",
        "customer.email": "Customer",
        "get_kind_display": "What",
        "get_status_display": "Status",
        "currency": "Currency",
        "amount_total_minor": "Price (cents)",
        "stripe_amount_subtotal": "Stripe subtotal (cents)",
        "discount_total_minor": "Discount (cents)",  # Stripe's and ours (a promotion code with a gift card)
        "card_amount_minor": "Paid with a gift card (cents)",
        "stripe_amount_tax": "Tax (cents)",
        "stripe_amount_total": "Charged (cents)",
        "amount_refunded_minor": "Refunded (cents)",
        "is_gift": "Gift",
    }
    search_fields = ["public_token", "customer__email", "customer__name", "recipient_email"]
    inspect_view_fields = [
        "public_token",
        "customer",
        "kind",
        "status",
        "currency",
        "amount_total_minor",
        "amount_refunded_minor",
        "disclaimer_version",
        "disclaimer_accepted_at",
        "is_gift",
        "sender_name",
        "recipient_name",
        "recipient_email",
        "gift_message",
        "delivery_date",
        "gift_cards",
        "stripe_checkout_session_id",
        "stripe_payment_intent_id",
        "stripe_subscription_id",
        "stripe_customer_id",
        "failure_reason",
        "created_at",
        "paid_at",
        "fulfilled_at",
        "stripe_session",
    ]


class CreditGrantViewSet(ReadOnlyViewSet):
    model = CreditGrant
    icon = "list-ul"
    menu_label = "Session credits"
    list_display = ["customer", "treatment_name", "balance", "sessions_granted", "source", "expires_at"]
    list_filter = ["source"]
    search_fields = ["customer__email", "customer__name", "treatment_name"]


class MembershipIndexView(IndexView):
    def get_base_queryset(self):
        # Sessions left this month, summed in the listing query (no query per row).
        usable = Q(credit_grants__expires_at__gt=timezone.now()) | Q(credit_grants__expires_at__isnull=True)
        return (
            super()
            .get_base_queryset()
            .select_related("customer", "plan")
            .annotate(sessions_left=Sum("credit_grants__balance", filter=usable, default=0))
        )


class MembershipInspectView(InspectView):
    """A membership, with the manager's Refund (latest month) action beside it."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("packages.refund_order"):
            url = reverse("frontdesk:refund_month", args=[self.object.pk])
            buttons.append(HeaderButton("Refund a month…", url=url, icon_name="undo"))
        if self.request.user.has_perm("packages.manage_memberships"):
            url = reverse("frontdesk:pause_membership", args=[self.object.pk])
            buttons.append(HeaderButton("Pause…", url=url, icon_name="time"))
        return buttons


class MembershipViewSet(ReadOnlyViewSet):
    model = Membership
    inspect_view_class = MembershipInspectView
    icon = "date"
    menu_label = "Memberships"
    index_view_class = MembershipIndexView
    list_display = [
        "customer",
        "plan",
        "status",
        DateColumn("current_period_end", label="Next billing"),
        Column("sessions_left", label="Sessions left"),
        YesNoColumn("cancel_at_period_end", label="Ends at period end"),
    ]
    list_filter = ["status", "cancel_at_period_end"]
    search_fields = ["customer__email", "customer__name", "stripe_subscription_id"]


class GiftCardViewSet(ReadOnlyViewSet):
    model = GiftCard
    icon = "tag"
    menu_label = "Gift cards"
    list_display = ["__str__", "kind", "status", "balance_display", "deliver_on", "recipient_email"]
    list_filter = ["status", "kind", "delivery"]
    search_fields = ["code_last4", "recipient_email", "recipient_name", "order__customer__email", "order__public_token"]
    # code_hash is deliberately absent: staff see only the last four characters.
    inspect_view_fields = [
        "code_last4",
        "kind",
        "status",
        "currency",
        "initial_amount_minor",
        "balance_minor",
        "recipient_name",
        "recipient_email",
        "sender_name",
        "message",
        "deliver_on",
        "delivery",
        "delivered_at",
        "expires_at",
        "order",
        "grant",
    ]


class StripeEventInspectView(InspectView):
    """A stored event, with the manager's Replay action beside it."""

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("packages.refund_order"):
            url = reverse("frontdesk:replay_event", args=[self.object.pk])
            buttons.append(HeaderButton("Replay…", url=url, icon_name="resubmit"))
        return buttons


class StripeEventViewSet(ReadOnlyViewSet):
    model = StripeEvent
    inspect_view_class = StripeEventInspectView
    icon = "warning"
    menu_label = "Stripe events"
    list_display = ["type", "event_id", "received_at", "processed_at", "attempts", "error"]
    list_filter = ["type"]
    search_fields = ["event_id", "type"]


class ShopViewSetGroup(ViewSetGroup):
    menu_label = "Shop"
    menu_icon = "tag"
    menu_order = 250
    items = (
        OrderViewSet("orders", url_prefix="shop/orders"),
        CreditGrantViewSet("credits", url_prefix="shop/credits"),
        MembershipViewSet("memberships", url_prefix="shop/memberships"),
        GiftCardViewSet("gift_cards", url_prefix="shop/gift-cards"),
        CreditEntryViewSet("credit_entries", url_prefix="shop/session-ledger"),
        GiftCardEntryViewSet("gift_card_entries", url_prefix="shop/gift-card-ledger"),
        SessionSeriesViewSet(),
        MembershipPlanViewSet(),
        GiftCardOfferViewSet(),
        ExtraSessionViewSet(),
        PromotionCodeViewSet(),
        StripeEventViewSet("stripe_events", url_prefix="shop/stripe-events"),
    )


READ_ONLY_MODELS = (Order, CreditGrant, Membership, GiftCard, CreditEntry, GiftCardEntry, StripeEvent)
