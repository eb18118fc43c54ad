"""The demo's standard pages: about, terms and privacy (text only)."""

from __future__ import annotations

from home.factories import (
    Block,
    bullet_list,
    doctor_callout,
    heading,
    paragraph,
)

from .context import DemoContext
from .studio import STUDIO

# --- Standard pages -----------------------------------------------------------------------------

DEMO_TEXT_NOTE = "<p><i>Sample text for the demo site: replace it with text reviewed for your own studio.</i></p>"


def _about(ctx: DemoContext) -> list[Block]:
    return [
        heading("Who we are"),
        paragraph(
            "<p>Runway Massage Studio was started by licensed massage therapists who kept meeting the same "
            "clients: people with lower back pain, often with pain running down a leg, who had tried a one-off "
            "massage and been disappointed. We built the studio around a different approach: understand the pain "
            "first, agree a plan, and see it through.</p>"
        ),
        heading("How we work"),
        bullet_list(
            [
                "Consultation: your symptoms, how strong the pain is, what makes it worse and what your doctor "
                "has found",
                "Plan: a treatment, a session length and how often to come",
                "Sessions: a check-in at the start of every visit, and pressure adjusted as we go",
                "Review: as things improve we space sessions out, and suggest a monthly visit to keep them that way",
            ],
            style="ol",
        ),
        doctor_callout(
            "We work alongside your doctor",
            "<p>We are massage therapists, not doctors. We ask every client with back or leg pain to get a "
            "doctor's go-ahead before the first session, and we will send you back to your doctor if something "
            "needs medical attention.</p>",
        ),
        heading("Find us"),
        paragraph(
            f"<p>We are at {STUDIO['street_address']}, {STUDIO['locality']}, on the ground floor with step-free "
            f'access. <a href="{STUDIO["booking_url"]}">Book a time online</a>, call {STUDIO["phone"]} or '
            f"email {STUDIO['email']}, or read about our "
            f"{ctx.link('treatments', 'treatments')} first.</p>"
        ),
    ]


def _terms(ctx: DemoContext) -> list[Block]:
    return [
        heading("Bookings and cancellations"),
        paragraph(
            "<p>Please give us at least 24 hours' notice if you need to cancel or move an appointment. Late "
            "cancellations and missed appointments may be charged in full or counted as a used session of a "
            "prepaid series.</p>"
        ),
        heading("Your health"),
        paragraph(
            "<p>Before your first session we ask about your health and any diagnosis; please tell us when "
            "anything changes. If you have back or leg pain, numbness or weakness, or any condition that could "
            "make massage unsafe, you confirm when booking that a doctor has cleared you for massage. Our medical "
            "disclaimer is shown on every treatment page and at checkout, and the version you accepted is "
            "recorded with your order.</p>"
        ),
        heading("Series, memberships and gift cards"),
        paragraph(
            "<p>Prepaid series, memberships and gift cards are paid online through Stripe. What each one "
            "includes, how long it is valid and how it can be cancelled or refunded is shown on the offer and at "
            "checkout, and forms part of these terms.</p>"
        ),
        heading("Changes to these terms"),
        paragraph(
            "<p>We may update these terms from time to time. The version published here when you book or buy is "
            "the one that applies.</p>"
        ),
        paragraph(DEMO_TEXT_NOTE),
    ]


def _privacy(ctx: DemoContext) -> list[Block]:
    return [
        heading("What we collect"),
        bullet_list(
            [
                "Contact details you give us: name, email address and phone number",
                "Your bookings and purchases: sessions, series, memberships and gift cards",
                "Health information you share at your consultation, kept only to plan and give your treatment",
                "For gift cards: the recipient's name and email address, and your message",
            ]
        ),
        heading("Payments"),
        paragraph(
            "<p>Card payments are handled by Stripe. Your card number goes straight to Stripe and is never stored "
            "on our systems; we only receive confirmation that the payment succeeded.</p>"
        ),
        heading("How we use it"),
        paragraph(
            "<p>To book and give your treatment, send confirmations and receipts, deliver gift cards, and keep "
            "the records the law requires. We do not sell your data or use it for advertising.</p>"
        ),
        heading("Your rights"),
        paragraph(
            "<p>You can ask to see the data we hold about you, to correct it, or to have it deleted where we are "
            f"not required to keep it. Email {STUDIO['email']} and we will reply within 30 days.</p>"
        ),
        paragraph(DEMO_TEXT_NOTE),
    ]


STANDARD_PAGES = [
    {
        "slug": "about",
        "title": "About",
        "show_in_menus": True,
        "intro": "A small studio for backs that have had enough: consultation first, then a plan we see through "
        "together.",
        "body": _about,
    },
    {
        "slug": "terms",
        "title": "Terms",
        "show_in_menus": False,
        "intro": "What applies when you book a session or buy a series, a membership or a gift card.",
        "body": _terms,
    },
    {
        "slug": "privacy",
        "title": "Privacy",
        "show_in_menus": False,
        "intro": "What we collect, why we collect it, and what you can ask us to do with it.",
        "body": _privacy,
    },
]
