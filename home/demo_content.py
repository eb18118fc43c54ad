"""The demo studio's content: settings, topics, images, treatments, articles and standard pages.

Plain data and text only; ``home/demo_loader.py`` turns it into database rows and
pages. Written for this project from the facts in the domain notes (sciatica,
its causes, what massage can and cannot do, the studio's advice).

Article and page bodies are functions of a :class:`DemoContext`, because they
point at objects that only exist at load time: images, treatment pages, and
other pages linked from rich text.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .factories import (
    Block,
    bullet_list,
    callout,
    doctor_callout,
    faq,
    figure,
    heading,
    paragraph,
    quote,
    recommended_treatment,
)


@dataclass
class DemoContext:
    """What the loader has made so far, keyed by image key or page slug."""

    images: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)

    def link(self, slug: str, text: str) -> str:
        """A rich text link to a page, the way Wagtail's editor stores one (by id, so it survives moves)."""
        return f'<a linktype="page" id="{self.pages[slug].pk}">{text}</a>'


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


TREATMENT_INDEX = {
    "title": "Treatments",
    "slug": "treatments",
    "show_in_menus": True,
    "search_description": "Therapeutic, classic and partial massage: depth, pressure, durations and prices.",
    "intro": (
        "<p>Three kinds of massage that differ in depth and focus. Not sure which suits you? Your first visit "
        "starts with a consultation about your symptoms, and we will recommend one.</p>"
    ),
}

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

# --- Treatments ---------------------------------------------------------------------------------

TREATMENTS = [
    {
        "slug": "therapeutic-massage",
        "title": "Therapeutic massage",
        "image": "therapeutic",
        "intensity": "strong",
        "prices": [(30, 7000), (60, 12000), (90, 16500)],
        "body_areas": ["Lower back", "Glutes", "Hips", "Legs"],
        "topics": ["sciatica", "piriformis-syndrome", "lower-back-pain"],
        "summary": (
            "Deep, firm work on the lower back, glutes and piriformis, using deep tissue and trigger-point "
            "techniques to release long-standing tension."
        ),
        "technique": (
            "<p>Therapeutic massage goes past the surface muscles into the deeper layers of muscle and "
            "connective tissue. We begin with broad, warming strokes over the back and hips, then slow down "
            "and work in.</p>"
            "<ul>"
            "<li><b>Deep tissue work</b>: slow strokes and sustained pressure along the muscles of the lower "
            "back and glutes.</li>"
            "<li><b>Trigger-point release</b>: steady pressure on tight, tender knots, including those in the "
            "piriformis, held until the muscle softens.</li>"
            "<li><b>Gentle stretching</b> of the hips and legs to finish.</li>"
            "</ul>"
            "<p>Each session starts with a short check-in about how your pain has changed since the last "
            "one.</p>"
        ),
        "who_it_helps": (
            "<ul>"
            "<li>Lower back pain from tight, overworked muscles</li>"
            "<li>Sciatica-type pain in which tight glutes or the piriformis play a part, once a doctor has "
            "confirmed that massage is safe</li>"
            "<li>People who sit for long hours or train hard and carry deep tension in the hips</li>"
            "</ul>"
        ),
        "contraindications": (
            "<p>Check with your doctor before booking if you have:</p>"
            "<ul>"
            "<li>Back or leg pain that has not been diagnosed, or numbness or weakness in a leg</li>"
            "<li>A recent disc injury, spinal stenosis or spinal surgery</li>"
            "<li>A blood clot or clotting disorder, or you take blood thinners</li>"
            "<li>Osteoporosis</li>"
            "<li>A pregnancy</li>"
            "</ul>"
            "<p>We do not work deeply over fresh injuries, inflamed areas or broken skin, or when you have a "
            "fever or an infection.</p>"
        ),
    },
    {
        "slug": "classic-massage",
        "title": "Classic massage",
        "image": "classic",
        "intensity": "mild",
        "prices": [(30, 5500), (60, 9500), (90, 13500)],
        "body_areas": ["Lower back", "Glutes", "Legs", "Shoulders", "Neck"],
        "topics": ["posture", "lower-back-pain"],
        "summary": (
            "Long, flowing strokes at mild to medium pressure that ease everyday tension and stress, and a "
            "gentle way to prepare muscles for deeper work."
        ),
        "technique": (
            "<p>A full-body massage built on long gliding strokes, kneading and slow rhythmic movements. The "
            "pressure stays mild unless you ask for medium.</p>"
            "<ul>"
            "<li>Back, neck and shoulders, where desk tension collects</li>"
            "<li>Glutes and legs</li>"
            "<li>Arms and hands on request</li>"
            "</ul>"
            "<p>Because it warms and relaxes the muscles, a classic massage also prepares the body for deeper "
            "therapeutic work later in a plan.</p>"
        ),
        "who_it_helps": (
            "<ul>"
            "<li>General stiffness from sitting or standing all day</li>"
            "<li>Stress, restless sleep and feeling run down</li>"
            "<li>First-time clients and anyone who prefers gentle pressure</li>"
            "<li>A regular monthly session to keep back pain from returning</li>"
            "</ul>"
        ),
        "contraindications": (
            "<p>Classic massage is gentle, but please tell us about any health conditions when you book. Ask "
            "your doctor first if you have pain that has not been diagnosed, a blood clot or clotting disorder, "
            "a recent injury or operation, or a pregnancy. We do not massage over broken skin or when you have a "
            "fever or an infection.</p>"
        ),
    },
    {
        "slug": "partial-massage",
        "title": "Partial massage",
        "image": "partial",
        "intensity": "medium",
        "prices": [(30, 6000), (45, 8000), (60, 10000)],
        "body_areas": ["Lower back", "Glutes", "Legs"],
        "topics": ["sciatica", "lower-back-pain", "herniated-disc", "spinal-stenosis"],
        "summary": (
            "The whole session on the areas that hurt, usually the lower back and legs, for targeted relief at "
            "medium pressure."
        ),
        "technique": (
            "<p>Instead of working over the whole body, we spend all of the time on the painful areas you and "
            "your therapist agree on at the start: most often the lower back, the buttocks and the backs of the "
            "legs.</p>"
            "<ul>"
            "<li>Warming strokes to loosen the surface layers</li>"
            "<li>Firmer kneading and pressure on tight spots, adjusted to your feedback</li>"
            "<li>Slow work along the path the pain takes down the leg</li>"
            "</ul>"
            "<p>The pressure is medium: firm enough to release tension, and eased at once if anything feels "
            "sharp.</p>"
        ),
        "who_it_helps": (
            "<ul>"
            "<li>Pain concentrated in one place, such as the lower back or one leg</li>"
            "<li>Sciatica symptoms, once your doctor has confirmed massage is suitable</li>"
            "<li>A diagnosed disc problem or stenosis, when your doctor agrees to gentle muscle work; we adapt "
            "position and pressure</li>"
            "<li>Anyone short of time who wants focused relief</li>"
            "</ul>"
        ),
        "contraindications": (
            "<p>See your doctor before booking if the cause of your pain is not yet known, or if you have "
            "numbness, weakness or pain that is getting worse. Massage does not repair a herniated disc or "
            "stenosis, and with either we avoid deep pressure over the spine. Not suitable over fresh injuries "
            "or broken skin, or when you have a fever or an infection.</p>"
        ),
    },
]

# --- Articles -------------------------------------------------------------------------------------


def _what_is_sciatica(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            "<p>Most people who call us about sciatica describe it in the same way: the back is only part of the "
            "problem. The pain travels. It starts low in the spine or deep in the buttock and runs down the back "
            "of one leg, sometimes as far as the foot. Sciatica is not a diagnosis in itself. It is the name for "
            "what happens when the sciatic nerve, or one of the nerve roots that form it, is irritated or "
            "squeezed.</p>"
        ),
        heading("The nerve behind the name"),
        paragraph(
            "<p>The sciatic nerve is the largest nerve in the body. Its roots leave the lower spine, join in the "
            "pelvis, pass deep through the buttock close to the hip and continue down the back of the thigh "
            "before branching towards the calf and the foot. Because it covers so much ground, trouble at one "
            "point can be felt far from where it starts: a pinched root in the lower back may show up as burning "
            "in the calf.</p>"
        ),
        figure(
            ctx.images["sciatic-nerve"],
            "The sciatic nerve runs from the lower back through the pelvis and hip and on down the leg.",
        ),
        heading("What it feels like"),
        paragraph("<p>Symptoms vary from person to person, and from one day to the next. The most common are:</p>"),
        bullet_list(
            [
                "A dull, deep ache in the lower back or the buttock",
                "Sharp or stabbing pain that shoots down the leg",
                "Tingling or pins and needles",
                "Numbness in part of the leg or foot",
                "Weakness, such as a foot that feels heavy or catches on the stairs",
            ]
        ),
        paragraph(
            "<p>Usually one leg is affected, but both can be. Many people find that certain positions make "
            "things worse: sitting for a long stretch, getting up from a chair, walking any distance or bending "
            "forward to tie a shoe.</p>"
        ),
        heading("Common causes"),
        paragraph(
            "<p>Several different problems can put pressure on the nerve. Telling them apart matters, because "
            "each one is handled differently.</p>"
        ),
        heading("Herniated disc", "h3"),
        paragraph(
            "<p>The discs between the vertebrae work like small cushions, each with a tough outer ring and a "
            "soft, gel-like core. When the ring weakens or tears, part of the core can bulge out and press on a "
            "nearby nerve root. This is the most frequent cause of sciatica.</p>"
        ),
        heading("Spinal stenosis", "h3"),
        paragraph(
            "<p>Stenosis means narrowing. Over the years, thicker ligaments, bony spurs and worn discs can take up "
            "space inside the spinal canal and leave less room for the nerves. The symptoms often build up while "
            "walking or standing and ease when sitting down or leaning forward.</p>"
        ),
        heading("Piriformis syndrome", "h3"),
        paragraph(
            "<p>The piriformis is a small muscle deep in the buttock, and the sciatic nerve runs right beside it. "
            "When the muscle tightens or goes into spasm, often after hours of sitting or from overloading it in "
            "sport, it can irritate the nerve.</p>"
        ),
        heading("Other causes", "h3"),
        bullet_list(
            [
                "Spondylolisthesis: one vertebra slips forward over the one below it",
                "Arthritis in the small joints of the spine, which can narrow the openings the nerve roots pass "
                "through",
                "Poor posture and long hours of sitting, which load the discs and keep the hip muscles short and tight",
            ]
        ),
        doctor_callout(
            "Get a diagnosis before you book",
            "<p>Only a doctor can work out which of these causes is behind your pain, and some of them need "
            "medical treatment rather than massage. Ask your doctor to confirm that massage is safe for you, and "
            "bring any scan results or notes to your first consultation.</p>"
            "<p>Get urgent care if weakness in a leg is getting worse, or if you notice numbness around the groin "
            "or changes in bladder or bowel control.</p>",
        ),
        heading("Where massage fits in"),
        paragraph(
            "<p>Massage cannot move a disc back into place or widen a narrowed canal. What it can do is work on "
            "the muscles that tighten up around an irritated nerve, in the lower back, the glutes and the "
            "piriformis, which often add a second layer of pain on top of the first. Every plan at our studio "
            "starts with a consultation: where the pain travels, how strong it is, what makes it better or worse "
            "and what your doctor has found.</p>"
        ),
        quote(
            "Knowing where the pain comes from is the first step. Everything we do on the table depends on that "
            "answer.",
            "Daniel Reeves, LMT",
        ),
        faq(
            "Can sciatica go away on its own?",
            "<p>Often, yes. Many episodes settle within a few weeks as the irritation around the nerve calms down. "
            "Pain that lasts longer, keeps coming back, or comes with numbness or weakness should be checked by "
            "a doctor.</p>",
        ),
        faq(
            "How do I know it is sciatica and not ordinary back pain?",
            "<p>A useful clue is where the pain goes. Muscle pain in the back tends to stay in the back. Sciatica "
            "follows the nerve down the leg, often below the knee, and often with tingling or numbness. Your "
            "doctor can confirm which one you have.</p>",
        ),
        recommended_treatment(
            ctx.pages["partial-massage"],
            "Once your doctor has cleared you for massage, a partial session spends the whole appointment on "
            "your lower back, the buttock and the leg the pain travels down.",
        ),
    ]


def _piriformis_syndrome(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            "<p>Not every case of sciatica starts in the spine. Sometimes the trouble is further down, in a muscle "
            "most people have never heard of until it hurts. The piriformis is a small, flat, pear-shaped muscle "
            "that lies deep under the glutes. It runs from the base of the spine (the sacrum) to the top of the "
            "thigh bone, turns the leg outwards and steadies the hip when you walk or run.</p>"
        ),
        heading("Why a small muscle causes big pain"),
        paragraph(
            "<p>The sciatic nerve leaves the pelvis right next to the piriformis, and in some people it passes "
            "through the muscle. When the piriformis is tight or in spasm, it can squeeze and irritate the nerve. "
            "The result feels very much like sciatica from a disc: a deep ache in the buttock, and pain, tingling "
            "or numbness down the back of the leg. "
            f"Our {ctx.link('what-is-sciatica', 'introduction to sciatica')} covers the other causes.</p>"
        ),
        figure(
            ctx.images["piriformis"],
            "The piriformis lies deep beneath the glutes, close to where the sciatic nerve leaves the pelvis.",
        ),
        heading("Typical signs"),
        bullet_list(
            [
                "A deep ache in one buttock, usually on one side only",
                "Pain that grows after long sitting, especially on hard seats or with a wallet in a back pocket",
                "Pain when climbing stairs or getting up from a chair",
                "Tenderness when pressure is applied deep in the buttock",
                "Tingling or pain spreading down the back of the thigh",
            ]
        ),
        heading("What sets it off"),
        paragraph(
            "<p>Two triggers come up again and again in our consultations. The first is prolonged sitting: desk "
            "work, long drives, evenings on the sofa. Sitting keeps the muscle short and under pressure for hours "
            "at a time. The second is overload: a sudden jump in running distance, hill work, heavy lifting, or "
            "sports with a lot of turning and cutting. A fall onto the buttock can also start it.</p>"
        ),
        doctor_callout(
            "Rule out the spine first",
            "<p>Piriformis syndrome is diagnosed largely by ruling other causes out, because a herniated disc or "
            "spinal stenosis can produce the same pattern of pain. See your doctor before booking, so that a "
            "problem in the spine is not missed.</p>",
        ),
        heading("How we work on the piriformis"),
        paragraph(
            "<p>Once your doctor has ruled out a problem in the spine, massage can work directly on the cause. In "
            "a therapeutic session we warm up the lower back and glutes first, then work through the deeper "
            "layers to reach the piriformis. We use slow, sustained pressure on trigger points, the tight and "
            "tender knots that send pain elsewhere, and hold until the muscle starts to let go. Releasing the "
            "spasm takes pressure off the nerve and helps break the cycle in which pain causes tension and "
            "tension causes more pain.</p>"
        ),
        paragraph(
            "<p>Deep work here can be uncomfortable. A dull, 'good' ache is normal. Sharp, shooting or electric "
            "pain is not: tell your therapist straight away and we will ease off or change the approach.</p>"
        ),
        quote(
            "The piriformis rarely tightens on its own. We look at the glutes, the hips and the lower back "
            "together, because they share the load.",
            "Daniel Reeves, LMT",
        ),
        heading("Between sessions"),
        bullet_list(
            [
                "Stand up and walk for a few minutes every half hour of sitting",
                "Take your wallet and phone out of your back pockets before you sit down",
                "Build up running distance and hill work gradually",
                "Ask a physiotherapist to show you a gentle piriformis stretch to do at home",
            ]
        ),
        faq(
            "How many sessions will I need?",
            "<p>It depends on how long the muscle has been tight. Many clients feel a difference after the first "
            "visit, but a spasm that has built up over months usually needs a short series of sessions, a week or "
            "two apart, before it stays settled.</p>",
        ),
        faq(
            "Can I keep exercising?",
            "<p>Gentle walking usually helps. Hold off on whatever set the pain off until your doctor or "
            "physiotherapist says you can return to it, and then build back up gradually.</p>",
        ),
        recommended_treatment(
            ctx.pages["therapeutic-massage"],
            "Deep tissue and trigger-point work on the glutes and the piriformis is what our therapeutic massage "
            "is built around.",
        ),
    ]


def _massage_for_sciatica(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            "<p>People often ask us whether massage will fix their sciatica. It is a fair question and it deserves "
            "a straight answer: that depends on what is causing the pain, and massage is rarely the whole answer. "
            "Here is what we can realistically offer, and where our work stops.</p>"
        ),
        heading("What massage cannot do"),
        paragraph(
            "<p>Massage works on soft tissue: the muscles and the connective tissue around them. It does not reach "
            "inside the spine. That means:</p>"
        ),
        bullet_list(
            [
                "It cannot push a herniated disc back into place or heal a torn disc",
                "It cannot widen a spinal canal that has narrowed (spinal stenosis)",
                "It cannot realign a vertebra that has slipped or reverse arthritis in the spinal joints",
                "It does not replace a diagnosis, medication, physiotherapy or surgery when you need them",
            ]
        ),
        doctor_callout(
            "Your doctor decides whether massage is safe",
            "<p>Before your first session, ask your doctor to confirm that massage suits the cause of your pain. "
            "With some conditions, deep pressure near the spine should be avoided, and only a medical "
            "examination can tell you which applies to you.</p>",
        ),
        heading("What massage can do"),
        paragraph(
            "<p>When a nerve is irritated, the muscles around it guard the area: they tighten to protect it. That "
            "tightness hurts in its own right and can press on the nerve further, so pain and spasm keep feeding "
            "each other. Massage can help interrupt that loop. It can:</p>"
        ),
        bullet_list(
            [
                "Relax the muscles around the spine and the nerve, above all the lower back, the glutes and the "
                "piriformis",
                "Break the pain–spasm cycle, so the muscles stop guarding",
                "Improve blood and lymph flow in tissue that has been held tight for weeks",
                "Lower stress, as massage encourages the release of endorphins, the body's own pain relievers",
                "Restore mobility, so that sitting, walking and bending feel easier",
            ]
        ),
        figure(
            ctx.images["therapeutic"],
            "Slow, sustained pressure on the lower back and glutes helps tight muscles let go.",
        ),
        heading("How a plan comes together"),
        paragraph(
            "<p>Every new client starts with a consultation. We ask about your symptoms, how strong the pain is on "
            "an ordinary day and on a bad one, what makes it better or worse, and what your doctor has said about "
            "the cause. From that we suggest a plan: which treatment, how long each session should be, and how "
            "often to come.</p>"
        ),
        paragraph(
            "<p>One session rarely changes much on its own. Muscles that have been guarding for weeks need "
            "repeated work to relax and to stay relaxed, so most plans are a short series: weekly at first, then "
            "further apart as things improve.</p>"
        ),
        heading("During the session"),
        paragraph(
            "<p>Keep talking to your therapist. Mild discomfort while a tight muscle is worked is normal and "
            "usually fades as it relaxes. Sharp, burning or shooting pain, or new tingling in the leg, is a "
            "signal to stop: say so straight away. We would much rather slow down than push through.</p>"
        ),
        quote(
            "Massage won't change what the scan shows. It can change how the muscles around the problem behave, "
            "and that is often where much of the pain lives.",
            "Priya Nair, LMT",
        ),
        faq(
            "Does massage help a herniated disc?",
            "<p>It does not repair the disc. It can ease the muscle tension and spasm that build up around it, "
            "which for many people is a large share of the pain. Your doctor should confirm that massage is safe "
            "for you first.</p>",
        ),
        faq(
            "Is it normal to feel sore after a session?",
            "<p>Some tenderness for a day or two after deeper work is common, a little like after exercise. Pain "
            "that is sharper than before, or different, should be reported to us and, if it lasts, to your "
            "doctor.</p>",
        ),
        faq(
            "Which treatment should I choose?",
            f"<p>If tight glutes and piriformis are part of the picture, "
            f"{ctx.link('therapeutic-massage', 'therapeutic massage')} works deepest. If you want the whole "
            f"session spent on your back and legs, choose {ctx.link('partial-massage', 'partial massage')}. "
            "We will recommend one at your consultation.</p>",
        ),
        recommended_treatment(
            ctx.pages["therapeutic-massage"],
            "Deeper pressure and trigger-point work on the lower back, glutes and piriformis, once your doctor "
            "has cleared you.",
        ),
    ]


def _preventing_sciatica(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            "<p>Once a bout of sciatica settles, the goal changes: you want to keep it from coming back. There are "
            "no guarantees, but the same few habits come up again and again among clients who stay well. They "
            "sit less and sit better, they take breaks, they keep moving, and they don't wait for the next "
            "flare-up before looking after their muscles.</p>"
        ),
        heading("Sit well, and sit less"),
        paragraph(
            "<p>Long sitting loads the discs in the lower back and keeps the hip muscles short and tight, "
            "including the piriformis, which lies right beside the sciatic nerve. You can't always avoid a desk, "
            "but you can make it kinder:</p>"
        ),
        bullet_list(
            [
                "Sit right back in the chair so the lower back is supported; a small cushion or rolled towel "
                "behind the waist helps",
                "Keep both feet flat on the floor, with the knees about level with the hips",
                "Raise the screen until its top edge is near eye level, so you aren't craning forward",
                "Take your wallet and phone out of your back pockets",
                "Avoid sitting cross-legged for long periods",
            ]
        ),
        figure(
            ctx.images["posture"],
            "A supported lower back and a raised screen take much of the load off the spine.",
        ),
        heading("Take breaks, often"),
        paragraph(
            "<p>The best posture is the next one. Set a timer and get up every 30 to 45 minutes, even for a minute "
            "or two: refill your water, take calls standing, climb a flight of stairs. On long drives, stop about "
            "once an hour and walk around.</p>"
        ),
        callout(
            "A simple rule",
            "<p>Every half hour: stand up, walk a few steps, roll your shoulders back, then sit down again.</p>",
            kind="tip",
        ),
        heading("Keep moving"),
        paragraph(
            "<p>Regular exercise keeps the muscles that support the spine strong and the hips flexible. Walking, "
            "swimming and cycling are kind to the back. Strengthening the core and the glutes helps them share "
            "the load, and gentle stretching stops the hamstrings and hip muscles from tightening. If you have had "
            "sciatica before, ask your doctor or a physiotherapist which exercises suit you, and start gently.</p>"
        ),
        heading("Lift with care", "h3"),
        bullet_list(
            [
                "Bend your knees and keep the load close to your body",
                "Turn with your feet instead of twisting while you hold something heavy",
                "Ask for help with anything heavy or awkward",
            ]
        ),
        heading("Make massage a habit, not a rescue"),
        paragraph(
            "<p>Most people book a massage when something already hurts. For prevention it works better the other "
            "way round. A regular session, about once a month, releases tension in the lower back, glutes and "
            "hips before it builds into spasm, and it gives your therapist the chance to notice when an area is "
            "tightening again. Many of our regular clients choose a "
            f"{ctx.link('classic-massage', 'classic massage')} for these visits and switch to deeper work only "
            "when something flares.</p>"
        ),
        quote(
            "The clients who do best aren't the ones who come most often. They're the ones who come regularly.",
            "Tom Halvorsen, LMT",
        ),
        doctor_callout(
            "If the pain comes back",
            "<p>Prevention does not replace medical care. If leg pain, tingling or numbness returns, or feels "
            "different from before, see your doctor before your next massage.</p>",
        ),
        faq(
            "How often should I have a massage to prevent back pain?",
            "<p>For most people, once a month is a good rhythm for maintenance. If you are coming out of a "
            "flare-up, more frequent sessions for a few weeks may help first; we will suggest a schedule at your "
            "consultation.</p>",
        ),
        faq(
            "Is a standing desk the answer?",
            "<p>It helps if it gets you changing position more often. Standing still all day is not much better "
            "than sitting still all day; the aim is to move between the two.</p>",
        ),
        recommended_treatment(
            ctx.pages["classic-massage"],
            "Long, relaxing strokes at mild to medium pressure: a good fit for a monthly maintenance session.",
        ),
    ]


def _disc_vs_stenosis(ctx: DemoContext) -> list[Block]:
    return [
        paragraph(
            "<p>Two of the most common reasons behind sciatica are a herniated disc and spinal stenosis. Both can "
            "press on the nerve roots in the lower back, and both can send pain, tingling or numbness down the "
            "leg. But they develop differently, tend to affect different people, and often behave differently "
            "from day to day. Knowing which one you have helps you, your doctor and us choose the right approach. "
            f"(For the bigger picture, start with {ctx.link('what-is-sciatica', 'what sciatica is')}.)</p>"
        ),
        heading("Herniated disc"),
        paragraph(
            "<p>Between each pair of vertebrae sits a disc with a firm outer ring and a soft, jelly-like centre. "
            "If the ring weakens or tears, some of the centre can push out and press on the nerve root beside it. "
            "Disc herniation is the most common cause of sciatica. It can follow lifting or twisting, but it "
            "often develops gradually.</p>"
        ),
        bullet_list(
            [
                "Often affects adults of working age",
                "Pain is frequently worse when sitting, bending forward, coughing or sneezing",
                "Usually affects one leg",
                "Often improves over weeks to months",
            ]
        ),
        heading("Spinal stenosis"),
        paragraph(
            "<p>Stenosis is a narrowing of the spinal canal, or of the openings where the nerve roots leave it. It "
            "usually comes on slowly with age, as discs lose height, ligaments thicken and arthritis forms bony "
            "spurs. Less space means the nerves can be squeezed, especially when you stand upright.</p>"
        ),
        bullet_list(
            [
                "More common after the age of 50",
                "Leg pain, heaviness or cramping that builds while standing or walking",
                "Relief on sitting down or leaning forward, for example on a shopping cart",
                "Can affect one leg or both",
            ]
        ),
        figure(
            ctx.images["discs"],
            "The discs cushion the vertebrae; the spinal canal behind them carries the nerves.",
        ),
        doctor_callout(
            "Only a doctor can tell them apart",
            "<p>The patterns above are typical, not definitive. A doctor's examination, and sometimes a scan, is "
            "needed to know which condition you have, or whether it is something else entirely. Please get that "
            "answer before booking massage for leg pain.</p>",
        ),
        heading("What this means for massage"),
        paragraph(
            "<p>Massage does not repair a disc and cannot widen a narrowed canal. What it can do, with your "
            "doctor's agreement, is ease the tight, guarding muscles around the spine and hips that add to the "
            "pain in both conditions. We adapt each session to the diagnosis: with a recent disc injury we avoid "
            "deep pressure over the spine and any position that stirs up symptoms; with stenosis we use cushions "
            "so you can lie in the position that keeps the legs quiet.</p>"
        ),
        paragraph(
            "<p>Either way, tell us straight away if the pain spreads or sharpens during a session. We can change "
            "the pressure, the position or the area we work on.</p>"
        ),
        quote(
            "Two scans can look alike while two people feel completely different. We treat the person on the "
            "table, within the limits their doctor has set.",
            "Grace Lindqvist, LMT",
        ),
        faq(
            "Can I have both?",
            "<p>Yes. Especially later in life, a disc bulge and a narrowed canal can occur together. Your doctor "
            "can tell you which is contributing most to your symptoms.</p>",
        ),
        faq(
            "Which one is more serious?",
            "<p>Neither is automatically worse; it depends on how much the nerves are affected. Worsening "
            "weakness, numbness around the groin, or changes in bladder or bowel control need urgent medical "
            "attention, whatever the cause.</p>",
        ),
        recommended_treatment(
            ctx.pages["partial-massage"],
            "A partial massage works on the lower back and legs only, with pressure and position adjusted to "
            "what your doctor has found.",
        ),
    ]


# Created in this order, so an article may link to the ones above it.
ARTICLES = [
    {
        "slug": "what-is-sciatica",
        "title": "What is sciatica? Symptoms and common causes",
        "author": "Maya Ortiz, LMT",
        "date": datetime.date(2026, 8, 18),
        "image": "sciatic-nerve",
        "topics": ["sciatica", "lower-back-pain", "herniated-disc", "spinal-stenosis", "piriformis-syndrome"],
        "summary": (
            "Why pain that starts in the lower back can end up in your foot, what it feels like, and the "
            "problems that most often cause it."
        ),
        "body": _what_is_sciatica,
    },
    {
        "slug": "piriformis-syndrome",
        "title": "Piriformis syndrome: when a buttock muscle irritates the sciatic nerve",
        "author": "Daniel Reeves, LMT",
        "date": datetime.date(2026, 9, 9),
        "image": "piriformis",
        "topics": ["piriformis-syndrome", "sciatica", "posture"],
        "summary": (
            "A small muscle deep in the buttock can mimic a disc problem. How it happens, what sets it off, and "
            "how deep tissue work can help."
        ),
        "body": _piriformis_syndrome,
    },
    {
        "slug": "massage-for-sciatica",
        "title": "What massage can and cannot do for sciatica",
        "author": "Priya Nair, LMT",
        "date": datetime.date(2026, 10, 6),
        "image": "therapeutic",
        "topics": ["sciatica", "herniated-disc", "spinal-stenosis", "lower-back-pain"],
        "summary": (
            "Massage will not repair a disc or widen a narrowed canal, but it can calm the muscles that make "
            "sciatica worse. An honest look at both sides."
        ),
        "body": _massage_for_sciatica,
    },
    {
        "slug": "preventing-sciatica",
        "title": "Keeping sciatica away: posture, breaks, exercise and a monthly massage",
        "author": "Tom Halvorsen, LMT",
        "date": datetime.date(2026, 10, 29),
        "image": "posture",
        "topics": ["posture", "lower-back-pain", "sciatica"],
        "summary": (
            "The everyday habits that keep lower back pain and sciatica from returning, from how you sit to how "
            "often you book."
        ),
        "body": _preventing_sciatica,
    },
    {
        "slug": "herniated-disc-vs-spinal-stenosis",
        "title": "Herniated disc or spinal stenosis? How the two differ",
        "author": "Grace Lindqvist, LMT",
        "date": datetime.date(2026, 11, 12),
        "image": "discs",
        "topics": ["herniated-disc", "spinal-stenosis", "sciatica"],
        "summary": (
            "Two common causes of sciatica, side by side: who tends to get them, how they feel, and what that "
            "means for massage."
        ),
        "body": _disc_vs_stenosis,
    },
]

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
            f"access. Call {STUDIO['phone']} or email {STUDIO['email']} to book, or read about our "
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
