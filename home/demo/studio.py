"""The demo studio's settings, topics, body areas, images and home page (text only)."""

from __future__ import annotations

from .context import DemoContext

# --- Studio settings ------------------------------------------------------------------------

STUDIO = {
    "studio_name": "Runway Massage Studio",
    "tagline": "Massage for lower back pain, sciatica and everyday tension",
    "street_address": "418 Alder Street",
    "locality": "Portland",
    "region": "OR",
    "postal_code": "97205",
    "country": "US",
    "phone": "(503) 555-0142",
    "email": "hello@runway-massage.example",
    "opening_hours": "Mon–Fri 9:00–19:00\nSat 10:00–16:00\nSun closed",
    "booking_url": "",
    "booking_note": "Call or email us to book; we answer within one working day.",
    "medical_disclaimer": (
        "<p>The information on this site is general and is not medical advice. <b>See your doctor first</b> "
        "if you have back pain that spreads into a leg, numbness, weakness or a diagnosed spinal condition: "
        "a doctor needs to confirm that massage is safe for the cause of your pain. Massage does not repair "
        "a herniated disc and does not reverse spinal stenosis; at most it eases the muscle tension and pain "
        "around them. During a session, tell your therapist straight away about any pain that is sharp, "
        "shooting or new. Mild discomfort can be normal, sharp pain is not. Worsening weakness, numbness "
        "around the groin or changes in bladder or bowel control need urgent medical care, not massage.</p>"
    ),
    "disclaimer_version": "1",
}

# --- Snippets -------------------------------------------------------------------------------

TOPICS = [
    (
        "Sciatica",
        "sciatica",
        "Pain that travels from the lower back along the sciatic nerve into one or both legs.",
    ),
    (
        "Piriformis syndrome",
        "piriformis-syndrome",
        "A tight deep buttock muscle, the piriformis, irritating the sciatic nerve beside it.",
    ),
    (
        "Herniated disc",
        "herniated-disc",
        "A spinal disc whose soft core has pushed out and presses on a nerve root: the most common cause of sciatica.",
    ),
    (
        "Spinal stenosis",
        "spinal-stenosis",
        "A narrowing of the spinal canal that leaves less room for the nerves, often with age.",
    ),
    (
        "Posture",
        "posture",
        "How we sit, stand and lift, and the habits that keep the lower back out of trouble.",
    ),
    (
        "Lower back pain",
        "lower-back-pain",
        "Aches, stiffness and spasm in the lower back, with or without pain spreading into the legs.",
    ),
]

BODY_AREAS = ["Lower back", "Glutes", "Hips", "Legs", "Shoulders", "Neck"]

# --- Images (generated with Pillow at load time; matched by title on re-runs) ----------------------

IMAGE_SIZE = (1600, 900)

IMAGES = {
    "home-hero": {
        "title": "Calm treatment room (illustration)",
        "description": "Abstract illustration: warm sand fading into soft sage green, with pale round shapes",
        "colors": ("#f1e7da", "#9dbba9"),
        "label": "",
    },
    "therapeutic": {
        "title": "Therapeutic massage (illustration)",
        "description": "Abstract illustration: sand fading into deep teal, labelled “Therapeutic massage”",
        "colors": ("#d9cbb5", "#3f6f6a"),
        "label": "Therapeutic massage",
    },
    "classic": {
        "title": "Classic massage (illustration)",
        "description": "Abstract illustration: ivory fading into soft lavender, labelled “Classic massage”",
        "colors": ("#f4ede4", "#b9a8cf"),
        "label": "Classic massage",
    },
    "partial": {
        "title": "Partial massage (illustration)",
        "description": "Abstract illustration: cream fading into terracotta, labelled “Partial massage”",
        "colors": ("#efe3d3", "#c98f6b"),
        "label": "Partial massage",
    },
    "sciatic-nerve": {
        "title": "Path of the sciatic nerve (illustration)",
        "description": "Abstract illustration in blue-grey tones, labelled “Sciatic nerve: lower back to foot”",
        "colors": ("#e6ebef", "#6d8aa3"),
        "label": "Sciatic nerve: lower back to foot",
    },
    "piriformis": {
        "title": "Piriformis muscle (illustration)",
        "description": "Abstract illustration in sand and rose tones, labelled “Piriformis: deep in the buttock”",
        "colors": ("#f2e6dc", "#c2847e"),
        "label": "Piriformis: deep in the buttock",
    },
    "posture": {
        "title": "Sitting well (illustration)",
        "description": "Abstract illustration in pale green tones, labelled “Sit well, move often”",
        "colors": ("#eef2e6", "#8aa77c"),
        "label": "Sit well, move often",
    },
    "discs": {
        "title": "Discs and the spinal canal (illustration)",
        "description": "Abstract illustration in slate and ochre tones, labelled “Disc and spinal canal”",
        "colors": ("#f0e4c8", "#5c6b7a"),
        "label": "Disc and spinal canal",
    },
}

# --- Home page and index pages ------------------------------------------------------------------

HOME_TITLE = "Home"
HOME_SLUG = "runway"


def home_fields(ctx: DemoContext) -> dict:
    return {
        "title": HOME_TITLE,
        "search_description": "Therapeutic, classic and partial massage for lower back pain and sciatica, "
        "planned after a consultation about your symptoms.",
        "hero_heading": "Relief for back pain, planned around you",
        "hero_text": "Therapeutic, classic and partial massage for lower back pain and sciatica. "
        "Every plan starts with a conversation about your symptoms.",
        "hero_image": ctx.images["home-hero"],
        "hero_cta_text": "Explore treatments",
        "hero_cta_page": ctx.pages["treatments"],
        "intro": (
            "<p>Runway Massage Studio is a small studio that concentrates on what we know best: "
            "<b>lower back pain and the leg pain that often comes with it</b>. We start with a consultation, "
            "agree a plan with you and keep checking in as things change. Our "
            f"{ctx.link('articles', 'articles')} explain what massage can and cannot do for sciatica.</p>"
        ),
        "featured_treatments_heading": "Treatments",
        "latest_articles_heading": "From our journal",
        "offers_heading": "Series, memberships and gift cards",
    }
