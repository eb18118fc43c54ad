"""Demo article bodies about care: what massage can do, keeping sciatica away (text only)."""

from __future__ import annotations

from home.factories import (
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

from .context import DemoContext


def massage_for_sciatica(ctx: DemoContext) -> list[Block]:
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


def preventing_sciatica(ctx: DemoContext) -> list[Block]:
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
