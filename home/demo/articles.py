"""The demo journal: its index page and the articles' details; bodies in articles_conditions/articles_care."""

from __future__ import annotations

import datetime

from .articles_care import massage_for_sciatica, preventing_sciatica
from .articles_conditions import disc_vs_stenosis, piriformis_syndrome, what_is_sciatica

BLOG_INDEX = {
    "title": "Articles",
    "slug": "articles",
    "show_in_menus": True,
    "search_description": "Our therapists on lower back pain, sciatica and what actually helps.",
    "intro": (
        "<p>Our therapists write about lower back pain, sciatica and what actually helps, including where "
        "massage stops and a doctor's care begins.</p>"
    ),
}


# Created in this order, so an article may link to the ones above it.
ARTICLES = [
    {
        "slug": "what-is-sciatica",
        "title": "What is sciatica? Symptoms and common causes",
        "author": "Maya Ortiz, LMT",
        "date": datetime.date(2026, 8, 18),
        "image": "discs",
        "topics": ["sciatica", "lower-back-pain", "herniated-disc", "spinal-stenosis", "piriformis-syndrome"],
        "summary": (
            "Why pain that starts in the lower back can end up in your foot, what it feels like, and the "
            "problems that most often cause it."
        ),
        "body": what_is_sciatica,
    },
    {
        "slug": "piriformis-syndrome",
        "title": "Piriformis syndrome: when a buttock muscle irritates the sciatic nerve",
        "author": "Daniel Reeves, LMT",
        "date": datetime.date(2026, 9, 9),
        "image": "sciatic-nerve",
        "topics": ["piriformis-syndrome", "sciatica", "posture"],
        "summary": (
            "A small muscle deep in the buttock can mimic a disc problem. How it happens, what sets it off, and "
            "how deep tissue work can help."
        ),
        "body": piriformis_syndrome,
    },
    {
        "slug": "massage-for-sciatica",
        "title": "What massage can and cannot do for sciatica",
        "author": "Priya Nair, LMT",
        "date": datetime.date(2026, 10, 6),
        "image": "hands",
        "topics": ["sciatica", "herniated-disc", "spinal-stenosis", "lower-back-pain"],
        "summary": (
            "Massage will not repair a disc or widen a narrowed canal, but it can calm the muscles that make "
            "sciatica worse. An honest look at both sides."
        ),
        "body": massage_for_sciatica,
    },
    {
        "slug": "preventing-sciatica",
        "title": "Keeping sciatica away: posture, breaks, exercise and a monthly massage",
        "author": "Tom Halvorsen, LMT",
        "date": datetime.date(2026, 10, 29),
        "image": "mat",
        "topics": ["posture", "lower-back-pain", "sciatica"],
        "summary": (
            "The everyday habits that keep lower back pain and sciatica from returning, from how you sit to how "
            "often you book."
        ),
        "body": preventing_sciatica,
    },
    {
        "slug": "herniated-disc-vs-spinal-stenosis",
        "title": "Herniated disc or spinal stenosis? How the two differ",
        "author": "Grace Lindqvist, LMT",
        "date": datetime.date(2026, 11, 12),
        "image": "posture",
        "topics": ["herniated-disc", "spinal-stenosis", "sciatica"],
        "summary": (
            "Two common causes of sciatica, side by side: who tends to get them, how they feel, and what that "
            "means for massage."
        ),
        "body": disc_vs_stenosis,
    },
]
