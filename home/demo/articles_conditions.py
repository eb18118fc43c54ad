"""Demo article bodies about the conditions: sciatica, piriformis syndrome, disc and stenosis (text only)."""

from __future__ import annotations

from home.factories import (
    Block,
    bullet_list,
    doctor_callout,
    faq,
    figure,
    heading,
    paragraph,
    quote,
    recommended_treatment,
)

from .context import DemoContext


def what_is_sciatica(ctx: DemoContext) -> list[Block]:
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


def piriformis_syndrome(ctx: DemoContext) -> list[Block]:
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


def disc_vs_stenosis(ctx: DemoContext) -> list[Block]:
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
