"""QR codes as inline SVG (segno): no image files, no JavaScript, no CDN."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, title: str = "") -> SafeString:
    """An SVG that scales to its container (no fixed width/height, only a viewBox)."""
    code = segno.make(data, error="m")
    svg = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", title=title or None)
    # segno writes only path data, and escapes the title: nothing from the data is markup.
    return mark_safe(svg)  # nosec B308 B703 # segno output, as the comment above says
