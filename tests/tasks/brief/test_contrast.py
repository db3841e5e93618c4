"""Colour contrast of the brief's palette (WCAG 2.1 1.4.3 and 1.4.11): every pair ≥ 4.5:1."""

from __future__ import annotations

import re

import pytest
from reportlab.lib.colors import Color

from tasks.brief.html import TEMPLATE_DIR
from tasks.brief.style import CURRENT_BAR, PALE, PREVIOUS_BAR, SERIES_COLOURS, TEXT_PAIRS, WHITE

MINIMUM = 4.5


def luminance(colour: Color) -> float:
    """Return WCAG's relative luminance of a colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red)
        + 0.7152 * channel(colour.green)
        + 0.0722 * channel(colour.blue)
    )


def contrast(first: Color, second: Color) -> float:
    """Return WCAG's contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_ratio_is_wcags() -> None:
    assert contrast(Color(0, 0, 0), Color(1, 1, 1)) == pytest.approx(21)
    assert contrast(Color(1, 1, 1), Color(1, 1, 1)) == pytest.approx(1)
    assert contrast(_hex("#767676"), WHITE) == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("ink", "paper"), TEXT_PAIRS)
def test_every_text_colour_pair_of_the_pdf_meets_4_5(ink: Color, paper: Color) -> None:
    assert contrast(ink, paper) >= MINIMUM


@pytest.mark.parametrize("colour", [*SERIES_COLOURS, PREVIOUS_BAR, CURRENT_BAR])
def test_every_chart_colour_stands_out_from_the_page(colour: Color) -> None:
    assert contrast(colour, WHITE) >= MINIMUM
    assert contrast(colour, PALE) >= 3


def _hex(value: str) -> Color:
    return Color(*(int(value[i : i + 2], 16) / 255 for i in (1, 3, 5)))


def test_every_colour_of_the_html_pages_meets_4_5_on_white_and_pale() -> None:
    css = (TEMPLATE_DIR / "base.html.j2").read_text(encoding="utf-8")
    inks = set(re.findall(r"--(?:navy|accent|ink|muted): (#[0-9A-F]{6})", css))
    inks |= {m for m in re.findall(r"\bcolor: (#[0-9A-F]{6})", css) if m != "#FFFFFF"}
    assert len(inks) >= 5
    for ink in inks:
        assert contrast(_hex(ink), WHITE) >= MINIMUM, ink
        assert contrast(_hex(ink), PALE) >= MINIMUM, ink
