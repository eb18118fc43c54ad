"""The demo team, what clients say, and the team and questions pages (text only).

Written for this project from the domain notes: a consultation first, a plan,
pressure you can talk about, a series rather than a single visit, a monthly
visit to keep a back out of trouble, and a doctor's word before any of it.
"""

from __future__ import annotations

from home.factories import Block, doctor_callout, faq, heading, paragraph, team, testimonials

from .context import DemoContext
from .studio import STUDIO

# --- The team (home.Therapist snippets; matched by name on re-runs) ----------------------------

THERAPISTS = [
    {
        "name": "Maya Ortiz",
        "role": "Licensed massage therapist, studio founder",
        "image": "portrait-maya",
        "bio": (
            "Maya opened the studio after years of seeing clients whose leg pain came back a week after a "
            "single massage. She leads most first consultations and writes many of the plans the team follows."
        ),
        "specialities": "Deep tissue work\nTrigger-point release\nSciatica-type pain",
        "sort_order": 1,
    },
    {
        "name": "Daniel Reeves",
        "role": "Licensed massage therapist",
        "image": "portrait-daniel",
        "bio": (
            "Daniel works with runners, cyclists and people who sit all day, and knows the piriformis better "
            "than most. He explains every step before he starts and checks the pressure as he goes."
        ),
        "specialities": "Piriformis and glutes\nSports recovery\nHip mobility",
        "sort_order": 2,
    },
    {
        "name": "Grace Lindqvist",
        "role": "Licensed massage therapist",
        "image": "portrait-grace",
        "bio": (
            "Grace gives most of our classic and partial sessions. Clients who are nervous about massage, or "
            "who are coming back after an injury, often ask for her gentle, unhurried pace."
        ),
        "specialities": "Classic relaxation massage\nGentle pressure\nNeck and shoulders",
        "sort_order": 3,
    },
]

# --- What clients say (home.Testimonial snippets; matched by name) -----------------------------
# Demo text: a real studio publishes only what clients agreed to, in their own words.

TESTIMONIALS = [
    {
        "name": "Priya S.",
        "detail": "Therapeutic massage, 10-session series",
        "quote": (
            "I came in unable to sit through a meeting. Ten sessions later my leg pain is mostly gone, and I know "
            "which stretches to do when it starts to creep back."
        ),
        "show_on_home": True,
        "sort_order": 1,
    },
    {
        "name": "Tom W.",
        "detail": "Monthly prevention membership",
        "quote": (
            "The monthly visit is in my calendar like a dentist appointment. My back has not locked up once "
            "since I started."
        ),
        "show_on_home": True,
        "sort_order": 2,
    },
    {
        "name": "Elena R.",
        "detail": "Partial massage, lower back and legs",
        "quote": (
            "They asked what my doctor had said before anything else, and told me plainly what massage could "
            "and could not do. That honesty is why I came back."
        ),
        "show_on_home": True,
        "sort_order": 3,
    },
    {
        "name": "Marcus L.",
        "detail": "A gift card from his daughter",
        "quote": "I had never had a massage. Grace talked me through it and the pressure was exactly right.",
        "show_on_home": False,
        "sort_order": 4,
    },
]

# --- Pages ------------------------------------------------------------------------------------------


def _team(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            "<p>Everyone who treats you here is a licensed massage therapist with years of hands-on work on "
            "backs, hips and legs. Whoever you see, your plan and notes are shared, so nobody starts from "
            "scratch.</p>"
        ),
        team("Our therapists"),
        testimonials("What clients say", [ctx.snippets["Priya S."], ctx.snippets["Marcus L."]]),
        heading("Choosing a therapist"),
        paragraph(
            "<p>You do not need to choose: tell us what brings you in and we will suggest who to see. If you "
            "prefer a particular therapist, say so when you book. Read about our "
            f"{ctx.link('treatments', 'treatments')} to see how they differ.</p>"
        ),
    ]


def _questions(ctx: DemoContext) -> list[Block]:
    return [
        heading("Before your first visit"),
        faq(
            "Do I need to see a doctor before booking?",
            "<p>If you have back pain that spreads into a leg, numbness, weakness or a diagnosed spinal "
            "condition, yes. A doctor needs to confirm that massage is safe for the cause of your pain. We ask "
            "about it at the consultation and you confirm it when you buy a series online.</p>",
        ),
        faq(
            "What happens at the first appointment?",
            "<p>A consultation comes first: where the pain is, how strong it is, what makes it better or worse, "
            "and what your doctor has found. Then we agree a treatment, a session length and how often to come, "
            "and the massage starts.</p>",
        ),
        faq(
            "Which treatment should I book?",
            "<p>Therapeutic massage works deep on the lower back, glutes and piriformis; classic massage is "
            "lighter and relaxing; partial massage treats only the painful areas. If you are unsure, book a "
            "classic session and we will advise you at the consultation. See "
            f"{ctx.link('treatments', 'all treatments')}.</p>",
        ),
        heading("During a session"),
        faq(
            "Will it hurt?",
            "<p>Mild discomfort on a tight muscle is normal, and it eases as the muscle lets go. Sharp, "
            "shooting or burning pain is not: tell your therapist straight away and they will change the "
            "pressure or stop.</p>",
        ),
        faq(
            "Can massage fix a herniated disc or sciatica?",
            "<p>No. Massage does not repair a disc or widen a narrowed spinal canal. What it can do is relax "
            "the muscles around the spine and the sciatic nerve, break the cycle of pain and spasm, and help "
            "you move more easily while your doctor's treatment does its work.</p>",
        ),
        heading("Series, memberships and gift cards"),
        faq(
            "How many sessions will I need?",
            "<p>One session is rarely enough for a stubborn back. Most plans start with five to ten sessions, "
            "a week or two apart; a prepaid series costs less per visit than single sessions.</p>",
        ),
        faq(
            "What does the monthly membership include?",
            "<p>A session every month at a lower price, for people who want to keep pain from coming back. You "
            "can cancel at the end of any paid month once the minimum term has passed.</p>",
        ),
        faq(
            "How do I book a session I have already paid for?",
            "<p>Choose a time with the Book button at the top of any page, or call "
            f"{STUDIO['phone']} or email {STUDIO['email']}. You pay nothing when you book: the session comes "
            "off your series at the front desk, and My account shows how many are left.</p>",
        ),
        doctor_callout(
            "Sudden weakness or numbness needs a doctor, not a massage",
            "<p>Worsening weakness in a leg, numbness around the groin, or changes in bladder or bowel control "
            "need urgent medical care. Please call your doctor or emergency services.</p>",
        ),
    ]


PEOPLE_PAGES = [
    {
        "slug": "team",
        "title": "Our team",
        "show_in_menus": False,
        "intro": "Three licensed massage therapists who spend their days on lower backs, hips and legs.",
        "body": _team,
    },
    {
        "slug": "questions",
        "title": "Questions and answers",
        "show_in_menus": False,
        "intro": "What people ask us before their first visit, about pain, pressure, series and booking.",
        "body": _questions,
    },
]
