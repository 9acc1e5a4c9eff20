"""QR codes of source addresses, drawn on the server as inline SVG with segno."""

from __future__ import annotations

from functools import lru_cache

import segno
from markupsafe import Markup


@lru_cache(maxsize=1024)
def qr_svg(url: str) -> Markup:
    """An inline SVG QR code of `url` (error correction M or better), sized by CSS.

    Marking it safe is sound: segno writes only its own numbers and letters (the path of the
    dark modules) and none of the deck's text; the caption beside it is escaped by Jinja.
    """
    code = segno.make_qr(url, error="m", boost_error=True)
    svg = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr-code", lineclass=None)
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code" ', 1))
