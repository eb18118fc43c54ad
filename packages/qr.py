"""QR codes drawn locally as inline SVG (no image library, no outside service)."""

from __future__ import annotations

import qrcode
import qrcode.image.svg


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")
