"""The demo studio's terms of sale and privacy notice (standard pages "terms" and "privacy").

Written for this project from the domain notes and from what the shop actually
does (packages/): series valid for months from purchase, monthly memberships
with a minimum term that end at the end of a paid month, gift cards delivered by
email that do not expire by default (and never sooner than the US CARD Act's
five years), the "see a doctor first" acknowledgement recorded with each order,
card payments through Stripe, and sign-in to "My account" by an emailed link.

``home/demo/loader.py`` takes the two page specs from :func:`standard_pages`,
which swaps them into ``content.STANDARD_PAGES`` (pages.py) by slug.
"""

from __future__ import annotations

from home.factories import Block, bullet_list, doctor_callout, heading, paragraph

from .context import DemoContext
from .studio import STUDIO


def _terms(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            f"<p>These terms apply when you book a session with {STUDIO['studio_name']} or buy a treatment "
            "series, a monthly membership or a gift card from us, in the studio or on this website. The offer page "
            "and your receipt show exactly what you bought; they are part of these terms.</p>"
        ),
        heading("Your health comes first"),
        doctor_callout(
            "See your doctor before your first session",
            "<p>Massage can relax the muscles around your spine and the sciatic nerve and ease pain, but it does "
            "not repair a herniated disc or widen a narrowed spinal canal. If you have back pain that runs into a "
            "leg, numbness, weakness or a diagnosed spinal condition, a doctor needs to confirm that massage is "
            "safe for the cause of your pain.</p>",
        ),
        paragraph(
            "<p>When you buy sessions for yourself you confirm at checkout that you have consulted a doctor, or "
            "that you know of no medical reason massage is unsafe for you. We record that confirmation and the "
            "version of the medical notice you saw with your order. Someone who receives sessions as a gift "
            "confirms the same at their first visit. Tell us before each session if your health has changed, and "
            "tell your therapist straight away if anything feels sharp or shooting: mild discomfort can be normal, "
            "sharp pain is not.</p>"
        ),
        heading("Booking, moving and missing appointments"),
        paragraph(
            "<p>Book by phone or email. Please give us at least 24 hours' notice to cancel or move an appointment. "
            "A session missed without notice, or cancelled later than that, may be counted as used from a series "
            "or membership, or charged at the single-session price. We waive this when illness or an emergency "
            "kept you away.</p>"
        ),
        heading("Treatment series"),
        bullet_list(
            [
                "A series is a set number of sessions of one treatment and length, at a lower price per visit than "
                "single sessions.",
                "The sessions are valid for the number of months shown on the offer, counted from the day you buy. "
                "My account shows how many you have left and until when.",
                "Sessions are for the person who bought them, or for the recipient if the series was a gift.",
                "We take one session off at the front desk for each visit and email you a receipt each time.",
            ]
        ),
        heading("Monthly prevention membership"),
        bullet_list(
            [
                "The membership is billed monthly by card, starting on the day you join. Each paid month adds that "
                "month's sessions to your account.",
                "Unused sessions roll over only up to the limit shown on the plan; extra sessions in a month are "
                "charged at the member price shown on the plan.",
                "There is a minimum term, shown on the plan. After it you can cancel at any time: from My account, "
                "by email or at the desk. The membership then ends at the end of the month you have already paid "
                "for, and no further payment is taken. Sessions from paid months stay yours until they expire.",
                "If a monthly payment fails we email you and our payment provider tries again over the following "
                "days; please update your card so your sessions keep coming.",
                "A membership is personal and cannot be given as a gift; give a gift card or a series instead.",
            ]
        ),
        heading("Gift cards"),
        bullet_list(
            [
                "A gift card holds either an amount of money or a treatment series. The code is emailed to the "
                "recipient on the date you choose, with your message; only the recipient receives the full code.",
                "An amount gift card can be spent on any treatment or series, in as many visits as the holder "
                "likes; what is not used stays on the card.",
                "Gift cards do not expire unless the card says otherwise, and never sooner than five years after "
                "the card was issued, as the US CARD Act requires. The same applies to a series given as a gift.",
                "Gift cards cannot be exchanged for cash, except where the law requires a small remaining balance "
                "to be paid out.",
                "Treat the code like cash: whoever has it can use it. Tell us at once if it is lost or was sent to "
                "the wrong address and we will cancel it and send a new code for what is left.",
                "Anyone can check the balance of a card with its code on our website.",
            ]
        ),
        heading("Refunds"),
        bullet_list(
            [
                "Changed your mind? We refund an unused series or gift card in full if you ask within 30 days of "
                "buying it.",
                "After that, or once some sessions or part of a gift card have been used, we refund the unused part "
                "on request when you cannot use it for health reasons or because you have moved away. Sessions "
                "already used are counted at the single-session price, not the series price.",
                "A refund takes back what it pays for: refunded sessions or gift-card value are removed from the "
                "account or card.",
                "Monthly membership payments are not refunded for a month that has started, but we will always "
                "talk to you if something went wrong.",
                "Refunds go back to the card you paid with, through our payment provider; your bank may take a few "
                "days to show them.",
            ]
        ),
        heading("Prices and payment"),
        paragraph(
            "<p>Prices are in US dollars and include any applicable tax. Card payments are taken by Stripe on a "
            "secure checkout page; we never see or store your card number. Your order is confirmed once the "
            "payment has gone through and we have emailed your receipt.</p>"
        ),
        heading("Questions and changes"),
        paragraph(
            f"<p>If something is not right, call us on {STUDIO['phone']} or email {STUDIO['email']} and we will "
            "sort it out with you. We may update these terms; the version published here on the day you buy is the "
            "one that applies to that purchase.</p>"
        ),
    ]


def _privacy(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            f"<p>{STUDIO['studio_name']}, {STUDIO['street_address']}, {STUDIO['locality']}, {STUDIO['region']} "
            f"{STUDIO['postal_code']}, is responsible for the personal information described here. We collect as "
            "little as we can, use it only to look after you and run the studio, and never sell it.</p>"
        ),
        heading("What we collect"),
        bullet_list(
            [
                "Your name, email address and, if you give it, your phone number.",
                "What you book and buy: sessions, series, memberships and gift cards, with the sessions or balance "
                "left and when each was used.",
                "Your confirmation at checkout that you have consulted a doctor or know of no reason massage is "
                "unsafe for you, with the date and the version of the notice you saw.",
                "Health information you share at your consultation, such as your symptoms, how strong the pain is "
                "and what your doctor has found. It is kept in your client notes at the studio, not on this "
                "website.",
                "For gift cards: the recipient's name and email address, the sender's name and the personal message.",
            ]
        ),
        heading("How we use it"),
        bullet_list(
            [
                "To plan and give your treatment safely.",
                "To take payment and send receipts, session receipts after each visit, and reminders before "
                "sessions expire.",
                "To deliver gift cards on the chosen date and tell the buyer when they have been sent.",
                "To keep the accounting and tax records the law requires.",
            ]
        ),
        paragraph("<p>We do not use your information for advertising and we do not sell or rent it to anyone.</p>"),
        heading("Payments"),
        paragraph(
            "<p>Card payments are handled by Stripe, our payment provider. Your card details go straight to Stripe "
            "and never reach our systems; we receive only the payment's result and the email address and name you "
            "entered. Stripe's own privacy policy covers what Stripe keeps.</p>"
        ),
        heading("Signing in to My account"),
        paragraph(
            "<p>My account has no password. When you ask to sign in we email a link that works once and only for "
            "a few minutes; following it keeps you signed in for an hour on that browser. We store that sign-in in "
            "a cookie that is needed for the site to work. We do not use advertising or tracking cookies.</p>"
        ),
        paragraph(
            "<p>Gift codes are stored only in a scrambled form that cannot be turned back into the code, and staff "
            "see only the last four characters. Links in our emails are set up so that other websites you visit "
            "from our pages are not told which page you came from.</p>"
        ),
        heading("Who else sees it"),
        paragraph(
            "<p>Only the services we need to run the shop: Stripe for payments, our email provider to send your "
            "messages, and our hosting provider to run this website. Each handles your information only on our "
            "instructions. We share information with authorities only when the law requires it.</p>"
        ),
        heading("How long we keep it"),
        paragraph(
            "<p>Order and payment records are kept for as long as tax law requires, usually seven years. Client "
            "notes are kept for as long as the licensing rules for massage therapists require after your last "
            "visit. Sign-in links are deleted a day after they expire.</p>"
        ),
        heading("Your choices"),
        paragraph(
            "<p>You can ask us what information we hold about you, ask us to correct it, or ask us to delete what "
            f"we are not required to keep. Email {STUDIO['email']} or call {STUDIO['phone']}; we reply within 30 "
            "days. We may update this notice, and we will email customers about any important change.</p>"
        ),
    ]


PAGES = {
    "terms": {
        "slug": "terms",
        "title": "Terms of sale",
        "show_in_menus": False,
        "intro": "What applies when you book a session or buy a series, a membership or a gift card: health, "
        "booking, expiry, cancellation and refunds.",
        "body": _terms,
    },
    "privacy": {
        "slug": "privacy",
        "title": "Privacy notice",
        "show_in_menus": False,
        "intro": "What we collect, why, who else sees it, how long we keep it, and what you can ask us to do with it.",
        "body": _privacy,
    },
}


def standard_pages(pages: list[dict]) -> list[dict]:
    """``pages`` with the terms and privacy specs replaced by the ones above (matched on slug)."""
    return [PAGES.get(spec["slug"], spec) for spec in pages]
