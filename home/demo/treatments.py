"""The demo treatments and their index page (text only)."""

from __future__ import annotations

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
