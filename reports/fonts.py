"""The font the PDF and its charts are set in: WenQuanYi Micro Hei from Debian's
``fonts-wqy-microhei`` (``make run`` and ``make test`` install it). Its subset is embedded in the
PDF, so the report reads the same on a machine without any Chinese font, and its Latin letters
are proportional (reportlab's built-in STSong-Light spaced "CUIHU" as "C U I H U")."""

from __future__ import annotations

from pathlib import Path

FONT_DIRECTORY = Path("/usr/share/fonts/truetype/wqy")
FONT_FILE = FONT_DIRECTORY / "wqy-microhei.ttc"
FONT_FAMILY = "WenQuanYi Micro Hei"  # the family name charts ask for
PDF_FONT = "WenQuanYiMicroHei"  # the name the PDF registers it under


class FontMissing(RuntimeError):
    """The Debian font package is not installed."""


def pdf_font_installed() -> bool:
    return FONT_FILE.exists()


def register_pdf_font() -> str:
    """Register the font with reportlab once; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        if not FONT_FILE.exists():
            raise FontMissing(
                f"{FONT_FILE} is missing: install Debian's fonts-wqy-microhei (make run does)"
            )
        pdfmetrics.registerFont(TTFont(PDF_FONT, str(FONT_FILE), subfontIndex=0))
    return PDF_FONT
