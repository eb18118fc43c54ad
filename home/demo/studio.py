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
    "opening_hours": "",
    "hours": [
        {
            "type": "hours",
            "value": {
                "days": ["mo", "tu", "we", "th", "fr"],
                "opens": "09:00:00",
                "closes": "19:00:00",
                "closed": False,
            },
        },
        {"type": "hours", "value": {"days": ["sa"], "opens": "10:00:00", "closes": "16:00:00", "closed": False}},
        {"type": "hours", "value": {"days": ["su"], "opens": None, "closes": None, "closed": True}},
    ],
    "map_url": "",
    # The studio's online booking tool. A placeholder on a reserved example domain: a real studio
    # pastes its own booking page here (Settings › Studio settings), and without one every "Book"
    # button calls the studio instead.
    "booking_url": "https://booking.example/runway-massage-studio/",
    "booking_note": "Rather talk to us first? Call or email; we answer within one working day.",
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

# --- Images (drawn with Pillow at load time, home/demo/art.py; matched by title on re-runs) ----------
# No picture is used twice on one page: an article's hero differs from the figures in its body, the
# treatments' pictures and the home page's, and portraits appear only on the team page.

IMAGE_SIZE = (1600, 900)
PORTRAIT_SIZE = (800, 800)

IMAGES = {
    "home-hero": {
        "title": "Treatment room (drawing)",
        "description": "Drawing of a calm treatment room: a massage table with folded towels, a lamp and a plant",
        "scene": "room",
    },
    "therapeutic": {
        "title": "Therapeutic massage on the lower back (drawing)",
        "description": "Drawing of a therapist's hand pressing into a client's lower back on a massage table",
        "scene": "therapeutic",
    },
    "classic": {
        "title": "Warm stones and lavender (drawing)",
        "description": "Drawing of stacked massage stones beside a folded towel, a bowl of oil and lavender",
        "scene": "classic",
    },
    "partial": {
        "title": "Partial massage of back and legs (drawing)",
        "description": "Drawing of a client on a massage table, the lower back and legs lit warmly",
        "scene": "partial",
    },
    "sciatic-nerve": {
        "title": "Path of the sciatic nerve (drawing)",
        "description": "Drawing of a standing figure with the sciatic nerve traced from the lower back to the foot",
        "scene": "nerve",
    },
    "piriformis": {
        "title": "Piriformis and sciatic nerve (drawing)",
        "description": "Drawing of the pelvis from behind, the piriformis muscle crossing the sciatic nerve",
        "scene": "piriformis",
    },
    "posture": {
        "title": "A desk set up for the back (drawing)",
        "description": "Drawing of a desk by a window with a laptop, a chair pushed in and a clock",
        "scene": "posture",
    },
    "discs": {
        "title": "Vertebrae and discs (drawing)",
        "description": "Drawing of a column of vertebrae with one disc bulging towards the nerve behind it",
        "scene": "discs",
    },
    "hands": {
        "title": "Hands warming massage oil (drawing)",
        "description": "Drawing of a therapist's open hands over a folded towel, warming a drop of oil",
        "scene": "hands",
    },
    "mat": {
        "title": "Exercise mat and foam roller (drawing)",
        "description": "Drawing of an exercise mat by a window with a foam roller, a water bottle and a plant",
        "scene": "mat",
    },
    "portrait-maya": {
        "title": "Maya Ortiz (drawn portrait)",
        "description": "Drawn portrait of Maya Ortiz",
        "scene": "portrait-maya",
    },
    "portrait-daniel": {
        "title": "Daniel Reeves (drawn portrait)",
        "description": "Drawn portrait of Daniel Reeves",
        "scene": "portrait-daniel",
    },
    "portrait-grace": {
        "title": "Grace Lindqvist (drawn portrait)",
        "description": "Drawn portrait of Grace Lindqvist",
        "scene": "portrait-grace",
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
