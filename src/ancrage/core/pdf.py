"""Fonts for the PDFs Ancrage prints (reports, letters): DejaVu Sans, shipped with the code, so
that every French name prints — « Œ », « Ł », « Ș », « ễ » — where the standard PDF fonts
(Windows-1252 only) print boxes."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONTS_DIR = Path(__file__).parent / "fonts"
REGULAR, BOLD = "DejaVuSans", "DejaVuSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the fonts once per process; returns (regular, bold) names for the styles."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD


def styles():
    """ReportLab's sample styles, in DejaVu Sans."""
    from reportlab.lib.styles import getSampleStyleSheet

    regular, bold = register_fonts()
    sheet = getSampleStyleSheet()
    for name in sheet.byName:
        style = sheet[name]
        if hasattr(style, "fontName"):
            style.fontName = (
                bold
                if "Bold" in style.fontName or name.startswith("Heading") or name == "Title"
                else regular
            )
    return sheet


def escape(text: str) -> str:
    """Text typed by people, safe inside a ReportLab paragraph's markup."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(title: str, story) -> bytes:
    """An A4 document of ``story`` (flowables), titled and authored « Ancrage »."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="Ancrage",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        pageCompression=0,
    )
    document.build(story)
    return buffer.getvalue()
