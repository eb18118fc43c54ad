"""The demo's pictures, drawn with Pillow: flat, warm illustrations of a studio, no text baked in.

Each scene is a function of a drawing surface (``Canvas``, drawn at twice the
size and scaled down, so edges are smooth). The same name always gives the
same picture. ``picture(name, width, height)`` returns an ImageFile for
Wagtail; the loader (home/demo/loader.py) names a scene per demo image.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter

SAND, PAPER, SAGE, SAGE_DARK, CLAY, BARK, ROSE, SKY, INK = (
    "#efe3d2",
    "#f8f4ee",
    "#8fb29f",
    "#22574a",
    "#c98f6b",
    "#7a5a44",
    "#d9a79b",
    "#c9d8e0",
    "#2f2924",
)


class Canvas:
    """Coordinates from 0 to 1 on both axes, drawn at ``scale`` times the final size."""

    def __init__(self, width: int, height: int, background: str, scale: int = 2):
        self.w, self.h, self.scale = width * scale, height * scale, scale
        self.image = Image.new("RGB", (self.w, self.h), background)
        self.draw = ImageDraw.Draw(self.image, "RGBA")

    def box(self, x0, y0, x1, y1):
        return (x0 * self.w, y0 * self.h, x1 * self.w, y1 * self.h)

    def rect(self, x0, y0, x1, y1, fill, radius=0.0):
        self.draw.rounded_rectangle(self.box(x0, y0, x1, y1), radius=radius * self.h, fill=fill)

    def ellipse(self, x0, y0, x1, y1, fill=None, outline=None, width=0.0):
        self.draw.ellipse(self.box(x0, y0, x1, y1), fill=fill, outline=outline, width=int(width * self.h))

    def polygon(self, points, fill):
        self.draw.polygon([(x * self.w, y * self.h) for x, y in points], fill=fill)

    def line(self, points, fill, width):
        self.draw.line(
            [(x * self.w, y * self.h) for x, y in points], fill=fill, width=int(width * self.h), joint="curve"
        )

    def shadow(self, x0, y0, x1, y1, blur=0.02):
        layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        ImageDraw.Draw(layer).ellipse(self.box(x0, y0, x1, y1), fill=(47, 41, 36, 60))
        layer = layer.filter(ImageFilter.GaussianBlur(blur * self.h))
        self.image.paste(layer, (0, 0), layer)

    def result(self) -> Image.Image:
        return self.image.resize((self.w // self.scale, self.h // self.scale), Image.Resampling.LANCZOS)


def _curve(start, control, end, steps: int = 24):
    """Points on a quadratic Bézier curve."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        x = (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0]
        y = (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1]
        points.append((x, y))
    return points


def _plant(c: Canvas, x: float, base: float, size: float, leaf: str = SAGE):
    c.rect(x - size * 0.35, base - size * 0.45, x + size * 0.35, base, CLAY, radius=0.01)
    for dx, top in ((-0.5, 1.5), (0.0, 1.9), (0.45, 1.4), (-0.2, 1.2), (0.25, 1.7)):
        c.ellipse(x + dx * size - size * 0.16, base - top * size, x + dx * size + size * 0.16, base - size * 0.4, leaf)


def _table(c: Canvas, x0: float, x1: float, top: float):
    c.shadow(x0 - 0.02, top + 0.26, x1 + 0.02, top + 0.33)
    for x in (x0 + 0.04, x1 - 0.06):
        c.rect(x, top + 0.04, x + 0.02, top + 0.3, BARK)
    c.rect(x0, top, x1, top + 0.06, "#fffdf9", radius=0.02)
    c.rect(x0, top + 0.045, x1, top + 0.07, "#e2d7c9", radius=0.01)


def room(c: Canvas):
    """A calm treatment room: table with folded towels, a plant, a window of soft light."""
    c.rect(0, 0.72, 1, 1, "#e6d6c1")
    c.rect(0.58, 0.1, 0.86, 0.55, "#fbf6ee", radius=0.03)
    c.rect(0.715, 0.1, 0.725, 0.55, "#e2d7c9")
    c.rect(0.58, 0.32, 0.86, 0.33, "#e2d7c9")
    c.ellipse(0.1, 0.12, 0.22, 0.33, "#f6e7cf")  # a paper lamp
    c.line([(0.16, 0.0), (0.16, 0.12)], BARK, 0.004)
    _table(c, 0.18, 0.72, 0.5)
    for i, colour in enumerate((SAGE, "#b9ccbf", PAPER)):
        c.rect(0.56 - i * 0.012, 0.44 - i * 0.035, 0.69 - i * 0.012, 0.475 - i * 0.035, colour, radius=0.01)
    _plant(c, 0.9, 0.74, 0.12)
    for i in range(3):
        c.ellipse(0.27 + i * 0.05, 0.47 - i * 0.012, 0.33 + i * 0.05, 0.5 - i * 0.012, "#5b5049")


def therapeutic(c: Canvas):
    """Hands working on a lower back: a client lying face down, a therapist's forearm."""
    c.rect(0, 0.7, 1, 1, "#d9cbb5")
    _table(c, 0.08, 0.92, 0.55)
    c.rect(0.12, 0.42, 0.88, 0.57, "#e7b99b", radius=0.07)  # the back
    c.ellipse(0.04, 0.4, 0.18, 0.58, "#4a3a30")  # head, hair
    c.rect(0.5, 0.47, 0.9, 0.6, "#eef2ec", radius=0.04)  # towel over the hips
    c.line(_curve((0.2, 0.5), (0.35, 0.47), (0.5, 0.5)), "#d29f80", 0.008)  # the spine's line
    c.polygon([(0.3, 0.0), (0.46, 0.0), (0.44, 0.38), (0.36, 0.4)], SAGE_DARK)  # sleeve and forearm
    c.ellipse(0.32, 0.34, 0.47, 0.46, "#c98f6b")  # the hand


def classic(c: Canvas):
    """Warm stones stacked beside a folded towel, a bowl of oil and a sprig of lavender."""
    c.rect(0, 0.64, 1, 1, "#e8dccf")
    c.shadow(0.2, 0.62, 0.62, 0.72)
    for i, (w, colour) in enumerate(((0.3, "#5b5049"), (0.24, "#6f645c"), (0.18, "#857970"), (0.12, "#9c9088"))):
        y = 0.6 - i * 0.09
        c.ellipse(0.41 - w / 2, y, 0.41 + w / 2, y + 0.11, colour)
    c.rect(0.62, 0.5, 0.9, 0.66, "#b9a8cf", radius=0.03)
    c.rect(0.62, 0.56, 0.9, 0.58, "#a493bd")
    c.ellipse(0.08, 0.56, 0.22, 0.66, "#fffdf9")
    c.ellipse(0.1, 0.57, 0.2, 0.61, "#e9c98f")
    for i in range(6):
        x = 0.75 + i * 0.015
        c.line([(x, 0.5), (x + 0.03, 0.22 + i * 0.02)], SAGE, 0.004)
        c.ellipse(x + 0.02, 0.2 + i * 0.02, x + 0.045, 0.25 + i * 0.02, "#8f7bb0")


def partial(c: Canvas):
    """Legs and lower back on the table, the area worked on lit warm."""
    c.rect(0, 0.7, 1, 1, "#efe3d3")
    _table(c, 0.06, 0.94, 0.58)
    c.ellipse(0.3, 0.36, 0.7, 0.72, (201, 143, 107, 70))  # the focus
    c.rect(0.08, 0.46, 0.42, 0.6, "#eef2ec", radius=0.05)  # shoulders under a towel
    c.rect(0.36, 0.45, 0.58, 0.6, "#e7b99b", radius=0.06)  # lower back
    c.rect(0.56, 0.47, 0.93, 0.53, "#e2ad8e", radius=0.03)  # legs
    c.rect(0.56, 0.53, 0.93, 0.59, "#dca386", radius=0.03)
    c.line(_curve((0.38, 0.5), (0.46, 0.47), (0.56, 0.5)), "#c98f6b", 0.006)


def nerve(c: Canvas):
    """A standing figure, side on, with the sciatic nerve drawn from the lower back to the foot."""
    c.rect(0, 0.88, 1, 1, "#dfe6eb")
    c.ellipse(0.44, 0.06, 0.54, 0.2, "#b7c6d2")
    c.rect(0.43, 0.2, 0.56, 0.52, "#b7c6d2", radius=0.05)
    c.rect(0.44, 0.5, 0.53, 0.86, "#b7c6d2", radius=0.04)
    c.rect(0.44, 0.84, 0.6, 0.88, "#b7c6d2", radius=0.02)
    for y in range(8):
        c.ellipse(0.535, 0.22 + y * 0.035, 0.555, 0.245 + y * 0.035, "#6d8aa3")
    path = _curve((0.545, 0.46), (0.56, 0.58), (0.5, 0.66)) + _curve((0.5, 0.66), (0.47, 0.78), (0.52, 0.87))
    c.line(path, "#fff4d6", 0.03)
    c.line(path, "#c98a3f", 0.012)
    c.ellipse(0.51, 0.43, 0.58, 0.5, (201, 138, 63, 90))


def piriformis(c: Canvas):
    """The pelvis from behind, the piriformis crossing the sciatic nerve deep in the buttock."""
    c.rect(0, 0, 1, 1, "#f2e6dc")
    c.ellipse(0.2, 0.18, 0.8, 0.78, "#eadbcf")
    c.polygon([(0.3, 0.25), (0.46, 0.35), (0.46, 0.62), (0.36, 0.7), (0.24, 0.5)], "#fbf4ec")  # hip bones
    c.polygon([(0.7, 0.25), (0.54, 0.35), (0.54, 0.62), (0.64, 0.7), (0.76, 0.5)], "#fbf4ec")
    c.rect(0.46, 0.22, 0.54, 0.68, "#f3e7da", radius=0.02)  # sacrum
    for sign in (-1, 1):
        x = 0.5 + sign * 0.03
        c.line([(x, 0.48), (0.5 + sign * 0.22, 0.56)], "#c2847e", 0.05)  # piriformis
        c.line(_curve((0.5 + sign * 0.1, 0.5), (0.5 + sign * 0.13, 0.64), (0.5 + sign * 0.12, 0.95)), "#c98a3f", 0.014)


def posture(c: Canvas):
    """A desk by a window: a chair pushed in, a laptop, a water bottle, a plant, a clock saying "get up"."""
    c.rect(0, 0.76, 1, 1, "#dfe6d3")
    c.rect(0.08, 0.12, 0.36, 0.5, "#fbfdf7", radius=0.02)
    c.ellipse(0.72, 0.1, 0.86, 0.35, "#fffdf9", outline=BARK, width=0.008)
    c.line([(0.79, 0.225), (0.79, 0.15)], INK, 0.008)
    c.line([(0.79, 0.225), (0.835, 0.225)], INK, 0.008)
    c.rect(0.18, 0.56, 0.88, 0.6, BARK, radius=0.01)
    for x in (0.2, 0.84):
        c.rect(x, 0.6, x + 0.025, 0.86, BARK)
    c.rect(0.36, 0.42, 0.6, 0.56, "#5b6b62", radius=0.01)
    c.rect(0.33, 0.545, 0.63, 0.56, "#8a9b91")
    c.rect(0.66, 0.44, 0.7, 0.56, "#8aa77c", radius=0.01)
    _plant(c, 0.8, 0.56, 0.07, leaf="#8aa77c")
    c.rect(0.42, 0.62, 0.6, 0.67, SAGE_DARK, radius=0.02)  # the chair, pushed in
    c.rect(0.5, 0.67, 0.52, 0.85, INK)


def discs(c: Canvas):
    """A column of vertebrae with the discs between them, one bulging towards the nerve."""
    c.rect(0, 0, 1, 1, "#f0e4c8")
    c.line(_curve((0.62, 0.02), (0.66, 0.5), (0.62, 0.98)), "#c98a3f", 0.012)
    for i in range(5):
        y = 0.08 + i * 0.18
        c.rect(0.36, y, 0.6, y + 0.12, "#fbf6ea", radius=0.03)
        c.rect(0.6, y + 0.03, 0.66, y + 0.09, "#e4d6b8", radius=0.02)
        if i < 4:
            bulge = 0.05 if i == 2 else 0.0
            c.ellipse(0.37, y + 0.125, 0.59 + bulge, y + 0.175, "#5c6b7a" if i == 2 else "#8797a6")


def hands(c: Canvas):
    """Two open hands over a folded towel, warming a drop of oil; a bowl of oil beside them."""
    c.rect(0, 0.68, 1, 1, "#e3d3c0")
    for sign in (-1, 1):
        cx = 0.5 + sign * 0.13
        c.rect(cx - 0.07, 0.5, cx + 0.07, 0.8, "#d9a07e", radius=0.05)  # wrist
        c.ellipse(cx - 0.09, 0.34, cx + 0.09, 0.6, "#d9a07e")  # palm
        for i in range(4):
            x = cx - 0.06 + i * 0.04
            c.rect(x - 0.017, 0.2 + abs(i - 1.5) * 0.03, x + 0.017, 0.45, "#d9a07e", radius=0.017)
        thumb = cx - sign * 0.08
        c.line([(thumb, 0.52), (thumb - sign * 0.05, 0.4)], "#d9a07e", 0.04)
    c.rect(0.16, 0.7, 0.84, 0.84, "#eef2ec", radius=0.03)  # the towel
    c.rect(0.16, 0.76, 0.84, 0.78, "#d5e4da")
    c.ellipse(0.485, 0.1, 0.515, 0.16, "#e9c98f")  # the drop of oil
    c.ellipse(0.04, 0.62, 0.14, 0.72, "#fffdf9")
    c.ellipse(0.06, 0.63, 0.12, 0.66, "#e9c98f")


def mat(c: Canvas):
    """An exercise mat rolled out by a window: a foam roller, a water bottle, a plant."""
    c.rect(0, 0.66, 1, 1, "#e9e1d3")
    c.rect(0.62, 0.08, 0.9, 0.5, "#fbfdf7", radius=0.02)
    c.line([(0.76, 0.08), (0.76, 0.5)], "#e2d7c9", 0.006)
    c.polygon([(0.1, 0.92), (0.7, 0.92), (0.62, 0.72), (0.18, 0.72)], "#8fb29f")
    c.ellipse(0.62, 0.7, 0.74, 0.94, "#6f9883")  # the mat's rolled end
    c.ellipse(0.65, 0.75, 0.71, 0.89, "#8fb29f")
    c.rect(0.26, 0.62, 0.5, 0.74, "#c98f6b", radius=0.06)  # foam roller
    c.ellipse(0.46, 0.62, 0.54, 0.74, "#b47a58")
    c.rect(0.08, 0.5, 0.13, 0.7, "#5c6b7a", radius=0.02)  # water bottle
    _plant(c, 0.88, 0.68, 0.1)


def _portrait(skin: str, hair: str, top: str, background: str, long_hair: bool):
    def draw(c: Canvas):
        c.ellipse(-0.2, 0.55, 1.2, 1.6, background)  # a soft halo behind the shoulders
        if long_hair:
            c.rect(0.3, 0.24, 0.7, 0.7, hair, radius=0.18)
        c.rect(0.2, 0.72, 0.8, 1.1, top, radius=0.2)  # shoulders
        c.rect(0.44, 0.58, 0.56, 0.76, skin, radius=0.04)  # neck
        c.ellipse(0.34, 0.22, 0.66, 0.64, skin)  # face
        c.ellipse(0.32, 0.16, 0.68, 0.42, hair)  # hair
        c.polygon([(0.38, 0.74), (0.5, 0.84), (0.62, 0.74)], skin)

    return draw


SCENES: dict[str, Callable[[Canvas], None]] = {
    "room": room,
    "therapeutic": therapeutic,
    "classic": classic,
    "partial": partial,
    "nerve": nerve,
    "piriformis": piriformis,
    "posture": posture,
    "discs": discs,
    "hands": hands,
    "mat": mat,
    "portrait-maya": _portrait("#c68e6a", "#2f2420", SAGE_DARK, "#e3ede7", True),
    "portrait-daniel": _portrait("#e0b497", "#7a5a44", "#5c6b7a", "#f1e4d2", False),
    "portrait-grace": _portrait("#8d5b41", "#2a2018", CLAY, "#efe7dc", True),
}
BACKGROUNDS = {"nerve": "#e6ebef", "posture": "#eef2e6", "therapeutic": "#efe5d6", "classic": "#f4ede4"}


def picture(scene: str, *, width: int, height: int, name: str) -> ImageFile:
    """The scene as a JPEG ImageFile of ``width`` × ``height`` (portraits come out square)."""
    canvas = Canvas(width, height, BACKGROUNDS.get(scene, PAPER if scene.startswith("portrait") else SAND))
    SCENES[scene](canvas)
    buffer = BytesIO()
    canvas.result().save(buffer, format="JPEG", quality=85, optimize=True)
    buffer.seek(0)
    return ImageFile(buffer, name=name)
