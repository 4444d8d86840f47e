"""A project's printable poster: a page of HTML turned into PDF by WeasyPrint, with a QR code
that leads a passer-by's phone to the project.

The poster holds everything it shows (its style inline, the QR code as a data URI): WeasyPrint
is never allowed to fetch anything, so no text an editor typed can make the server open an
address.
"""

from __future__ import annotations

from typing import Any

import segno

# "Q" recovers a quarter of a damaged or dirty code: a poster lives on a bulletin board.
QR_ERROR_LEVEL = "q"


def qr_code(url: str) -> Any:
    return segno.make(url, error=QR_ERROR_LEVEL, micro=False)


def qr_svg_data_uri(url: str) -> str:
    """The QR code of `url` as an SVG data URI (black on white, with the quiet zone)."""
    data_uri: str = qr_code(url).svg_data_uri(scale=10, border=4, dark="#000", light="#fff")
    return data_uri


def render_pdf(html: str) -> bytes:
    import weasyprint  # a second to load: only the poster needs it, not every project page

    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"], allow_redirects=False)
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
