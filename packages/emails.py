"""Customer emails, HTML and text, rendered from templates/emails/."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from wagtail.models import Site

from home.base_models import StudioSettings
from home.money import format_money

from .models import bulk_delivery_of


def _site_context() -> dict:
    site = Site.objects.filter(is_default_site=True).first()
    studio = StudioSettings.for_site(site) if site else None
    return {
        "site_url": settings.SITE_URL.rstrip("/"),
        "studio": studio,
        "studio_name": studio.studio_name if studio else settings.WAGTAIL_SITE_NAME,
    }


def send(template: str, *, to: str, context: dict, reply_to: str | None = None) -> None:
    """Render ``emails/<template>_subject.txt``, ``.txt`` and ``.html`` and send one message."""
    context = {**_site_context(), **context}
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    text = render_to_string(f"emails/{template}.txt", context)
    html = render_to_string(f"emails/{template}.html", context)
    studio = context.get("studio")
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to or (studio.email if studio and studio.email else settings.DEFAULT_FROM_EMAIL)],
    )
    message.attach_alternative(html, "text/html")
    message.send()


def send_receipt(order) -> None:
    context = {"order": order, "lines": list(order.lines.all())}
    context["gift_card"] = getattr(order, "gift_card", None)  # a gift card or a gifted series
    if order.is_bulk:  # how its cards reach people: each recipient on their date, or the buyer's download
        context["bulk_delivery"] = bulk_delivery_of(order)
        context["bulk_dates"] = sorted(set(order.bulk_recipients.values_list("deliver_on", flat=True)))
    send("receipt", to=order.customer.email, context=context)


def send_membership_welcome(order) -> None:
    membership = getattr(order, "membership", None)
    send("membership_welcome", to=order.customer.email, context={"order": order, "membership": membership})


def send_payment_failed(order) -> None:
    send("payment_failed", to=order.customer.email, context={"order": order})


def send_membership_past_due(membership) -> None:
    send("membership_past_due", to=membership.customer.email, context={"membership": membership})


def send_gift_card_to_recipient(card, *, code: str) -> None:
    context = {
        "card": card,
        "code": code,
        "line": card.order.lines.get(),
        "amount": format_money(card.initial_amount_minor, card.currency) if card.initial_amount_minor else "",
        "grant": card.grant,
        "expiry_years": settings.GIFT_CARD_EXPIRY_YEARS,
    }
    send("gift_card_recipient", to=card.recipient_email, context=context)


def send_gift_card_delivered_to_purchaser(card) -> None:
    send("gift_card_delivered", to=card.order.customer.email, context={"card": card, "order": card.order})


def send_session_redeemed(entry) -> None:
    """The receipt for one desk redemption: names the credit the session came from and what is left on it."""
    grant = entry.grant
    send("session_redeemed", to=grant.customer.email, context={"grant": grant, "entry": entry})


def send_gift_card_redeemed(entry) -> None:
    card = entry.card
    context = {
        "card": card,
        "entry": entry,
        "used": format_money(-entry.delta_minor, card.currency) if entry else "",
        "left": format_money(card.balance_minor, card.currency),
    }
    send("gift_card_redeemed", to=card.recipient_email, context=context)


def send_expiry_reminder(grant) -> None:
    send("expiry_reminder", to=grant.customer.email, context={"grant": grant})


def manager_addresses() -> list[str]:
    """Everyone in the Managers group (and superusers) with an email address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    managers = users.filter(Q(groups__name="Managers") | Q(is_superuser=True)).distinct()
    return sorted({user.email for user in managers})


def send_review_alert(review) -> int:
    """Tell the managers that a payment needs their review; returns how many were told."""
    addresses = manager_addresses()
    for address in addresses:
        send("review_alert", to=address, context={"review": review})
    return len(addresses)


def send_refund(refund) -> None:
    """Tell the buyer a refund went through, and what it took back."""
    send("refund", to=refund.order.customer.email, context={"refund": refund, "order": refund.order})
