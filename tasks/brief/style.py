"""The brief's presentation: fonts, colours, paragraph styles, page templates and canvas."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, TableStyle

import schemas

FONT_DIR = Path(schemas.__file__).parent / "fonts"
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"

PAGE_SIZE = A4
MARGIN = 18 * mm
CONTENT_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
BAND_HEIGHT = 30 * mm
CELL_PADDING = 3

NAVY = colors.HexColor("#1B3A5C")
ACCENT = colors.HexColor("#0B6EA8")
PALE = colors.HexColor("#EAF0F6")
RULE = colors.HexColor("#C5D1DD")
MUTED = colors.HexColor("#5A6570")
INK = colors.HexColor("#1E2328")
PREVIOUS_BAR = colors.HexColor("#A9BCD0")
CURRENT_BAR = NAVY
SERIES_COLOURS = (
    colors.HexColor("#0072B2"),
    colors.HexColor("#E69F00"),
    colors.HexColor("#009E73"),
    colors.HexColor("#CC79A7"),
    colors.HexColor("#D55E00"),
    colors.HexColor("#56B4E9"),
)


@cache
def register_fonts() -> None:
    """Register the shipped DejaVu Sans faces (regular and bold) with reportlab, once."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _style(name: str, size: float, leading: float, **extra: Any) -> ParagraphStyle:
    """Return a paragraph style in DejaVu Sans with the brief's ink colour."""
    extra.setdefault("fontName", FONT)
    extra.setdefault("textColor", INK)
    return ParagraphStyle(name, fontSize=size, leading=leading, **extra)


@cache
def stylesheet() -> dict[str, ParagraphStyle]:
    """Return the brief's paragraph styles by name."""
    register_fonts()
    return {
        "title": _style("title", 26, 31, fontName=FONT_BOLD, textColor=NAVY, spaceAfter=4),
        "subtitle": _style("subtitle", 13, 17, textColor=MUTED, spaceAfter=10),
        "quarter": _style("quarter", 17, 22, fontName=FONT_BOLD, textColor=ACCENT),
        "meta": _style("meta", 9.5, 13, textColor=MUTED),
        "intro": _style("intro", 10, 14.5, spaceBefore=8, spaceAfter=6),
        "h1": _style("h1", 15, 19, fontName=FONT_BOLD, textColor=NAVY, spaceBefore=14,
                     spaceAfter=6, keepWithNext=1),
        "h2": _style("h2", 10.5, 14, fontName=FONT_BOLD, textColor=NAVY, spaceBefore=8,
                     spaceAfter=3, keepWithNext=1),
        "body": _style("body", 9.5, 13.5, spaceAfter=5),
        "bullet": _style("bullet", 10, 14.5, leftIndent=12, bulletIndent=1, spaceAfter=4,
                         bulletFontName=FONT_BOLD, bulletColor=ACCENT),
        "caption": _style("caption", 8, 10.5, textColor=MUTED, spaceBefore=3, spaceAfter=8),
        "cell": _style("cell", 8.5, 10.5),
        "cell_head": _style("cell_head", 7.5, 9.5, fontName=FONT_BOLD, textColor=NAVY),
        "cell_head_right": _style("cell_head_right", 7.5, 9.5, fontName=FONT_BOLD,
                                  textColor=NAVY, alignment=TA_RIGHT),
        "figure": _style("figure", 22, 26, fontName=FONT_BOLD, textColor=NAVY,
                         alignment=TA_CENTER),
        "figure_label": _style("figure_label", 8.5, 11, textColor=MUTED, alignment=TA_CENTER),
        "quote_theme": _style("quote_theme", 8, 10.5, fontName=FONT_BOLD, textColor=MUTED,
                              spaceBefore=4),
        "quote": _style("quote", 9.5, 13.5, leftIndent=8, borderPadding=(0, 0, 0, 6),
                        spaceAfter=5, alignment=TA_LEFT),
    }  # fmt: skip


def table_style(header_rows: int = 1, numeric_from: int = 1) -> TableStyle:
    """Return the house table style: a navy header rule, pale stripes, numbers right-aligned."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT, 8.5),
            ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 8),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), NAVY),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, NAVY),
            ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, PALE]),
            ("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ]
    )


def key_figure_style() -> TableStyle:
    """Return the style of the cover's row of key figures: pale boxes with white gaps."""
    return TableStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT),
            ("BACKGROUND", (0, 0), (-1, -1), PALE),
            ("LINEAFTER", (0, 0), (-2, -1), 2, colors.white),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]
    )


def pdf_date(year: int, month: int, day: int) -> Callable[..., str]:
    """Return a reportlab date formatter that always writes the given day (UTC midnight)."""
    fixed = f"D:{year:04d}{month:02d}{day:02d}000000+00'00'"
    return lambda *_parts: fixed


def numbered_canvas(page_of: str, date_formatter: Callable[..., str]) -> type[Canvas]:
    """Return a canvas class that defers pages to write `page_of` ("page {page} / {pages}")."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.setDateFormatter(date_formatter)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _draw_footer(self, page_of.format(page=number, pages=len(self._pages)))
                super().showPage()
            super().save()

    return NumberedCanvas


def _draw_footer(canvas: Canvas, label: str) -> None:
    """Draw the page number at the bottom right, above a thin rule."""
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, 12 * mm, PAGE_SIZE[0] - MARGIN, 12 * mm)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(PAGE_SIZE[0] - MARGIN, 8 * mm, label)
    canvas.restoreState()


def _cover_band(band_text: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Return an on-page hook drawing the cover's navy band with the welfare region's name."""

    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        width, height = PAGE_SIZE
        canvas.saveState()
        canvas.setFillColor(NAVY)
        canvas.rect(0, height - BAND_HEIGHT, width, BAND_HEIGHT, stroke=0, fill=1)
        canvas.setFillColor(ACCENT)
        canvas.rect(0, height - BAND_HEIGHT - 2 * mm, width, 2 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(FONT_BOLD, 15)
        canvas.drawString(MARGIN, height - BAND_HEIGHT + 12 * mm, band_text)
        canvas.restoreState()

    return draw


def _running_header(left: str, right: str) -> Callable[[Canvas, BaseDocTemplate], None]:
    """Return an on-page hook drawing the running header: region left, quarter right."""

    def draw(canvas: Canvas, _doc: BaseDocTemplate) -> None:
        width, height = PAGE_SIZE
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, height - 11 * mm, left)
        canvas.setFont(FONT_BOLD, 7.5)
        canvas.setFillColor(NAVY)
        canvas.drawRightString(width - MARGIN, height - 11 * mm, right)
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(0.8)
        canvas.line(MARGIN, height - 13 * mm, width - MARGIN, height - 13 * mm)
        canvas.restoreState()

    return draw


def brief_document(
    output: BinaryIO, lang: str, header: tuple[str, str], band_text: str, metadata: dict[str, str]
) -> BaseDocTemplate:
    """Return an A4 document template: a cover page with a band, then pages with a header."""
    register_fonts()
    width, height = PAGE_SIZE
    cover_frame = Frame(MARGIN, 16 * mm, CONTENT_WIDTH, height - BAND_HEIGHT - 24 * mm, id="cover")
    body_frame = Frame(MARGIN, 16 * mm, CONTENT_WIDTH, height - 34 * mm, id="body")
    return BaseDocTemplate(
        output,
        pagesize=PAGE_SIZE,
        pageTemplates=[
            PageTemplate(
                "cover", [cover_frame], onPage=_cover_band(band_text), autoNextPageTemplate="body"
            ),
            PageTemplate("body", [body_frame], onPage=_running_header(*header)),
        ],
        invariant=1,
        lang=lang,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        initialFontName=FONT,
        **metadata,
    )
