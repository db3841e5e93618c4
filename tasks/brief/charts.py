"""The theme chart, the theme table and the trend chart."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.validators import Auto
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from tasks.brief.describe import theme_chart_alt, trend_chart_alt
from tasks.brief.facts import BriefFacts, Count, ThemeFigures
from tasks.brief.markup import (
    bold_markup,
    count_markup,
    escaped,
    paragraph,
    quarter_text,
    section_heading,
)
from tasks.brief.style import (
    CELL_PADDING,
    CONTENT_WIDTH,
    CURRENT_BAR,
    FONT,
    FONT_BOLD,
    NAVY,
    PALE,
    PREVIOUS_BAR,
    RULE,
    SERIES_COLOURS,
    stylesheet,
    table_style,
)
from tasks.brief.tagging import figure
from tasks.brief.text import (
    count_text,
    signed_text,
    text,
)

CHART_THEMES = 10
KEY_THEMES = 5
SERIES_MARKERS = (
    "FilledCircle",
    "FilledSquare",
    "FilledTriangle",
    "FilledDiamond",
    "Circle",
    "Square",
)
SERIES_DASHES = (None, (4, 2), None, (1.5, 1.5), (6, 2, 1.5, 2), None)


_SOFT_HYPHEN = "\u00ad"
_LEGEND_WIDTH = 170
_KEY_TABLE_WIDTH = 200
_KEY_COUNT_WIDTH = 44
_THEME_TABLE_WIDTHS = (CONTENT_WIDTH - 356, 46, 46, 54, 50, 54, 52, 54)


def _drawing(height: float, width: float = CONTENT_WIDTH) -> Drawing:
    """Return a drawing (as wide as the text column by default) whose text is in DejaVu Sans."""
    drawing = Drawing(width, height)
    drawing.initialFontName, drawing.initialFontSize = FONT, 8
    return drawing


def _axis_max(values: Iterable[int]) -> int:
    """Return a round upper bound for a value axis holding `values`."""
    top = max([*values, 4])
    step = 10 ** max(len(str(top)) - 1, 0)
    return (top * 11 // 10 // step + 1) * step


def _legend(pairs: list[tuple[object, str]], x: float, y: float, columns: int = 1) -> Legend:
    """Return a legend with square swatches in the brief's font."""
    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = FONT, 7.5
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.columnMaximum = max(1, -(-len(pairs) // columns))
    legend.deltax, legend.deltay, legend.dx, legend.dy = 80, 11, 7, 7
    legend.strokeWidth, legend.strokeColor = 0, None
    legend.colorNamePairs = pairs
    return legend


@dataclass(frozen=True)
class BarLayout:
    """The size of a theme bar chart: width, height per theme, room for the theme names."""

    width: float = CONTENT_WIDTH
    per_theme: float = 21
    names: float = 190


def _theme_bar_drawing(
    facts: BriefFacts, lang: str, shown: list[ThemeFigures], layout: BarLayout = BarLayout()
) -> Drawing:
    """Return a horizontal bar chart of the shown themes, previous and current quarter."""
    height = 48 + len(shown) * layout.per_theme
    drawing = _drawing(height, layout.width)
    chart = HorizontalBarChart()
    chart.x, chart.y = layout.names, 16
    chart.width, chart.height = layout.width - layout.names - 40, height - 40
    rows = [[f.previous for f in shown], [f.reports for f in shown]]
    chart.data = [[value or 0 for value in row] for row in rows]
    chart.barLabelArray = [[count_markup(facts, v, lang) for v in row] for row in rows]
    chart.barLabelFormat = "values"
    chart.barLabels.fontName, chart.barLabels.fontSize = FONT, 7
    chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    chart.bars[0].fillColor, chart.bars[1].fillColor = PREVIOUS_BAR, CURRENT_BAR
    chart.bars.strokeColor = None
    chart.barSpacing, chart.groupSpacing = 1, 6
    chart.categoryAxis.categoryNames = [facts.label("theme", f.theme, lang) for f in shown]
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 7.5
    chart.categoryAxis.labels.boxAnchor, chart.categoryAxis.labels.dx = "e", -4
    chart.categoryAxis.strokeColor = RULE
    _value_axis(chart.valueAxis, _axis_max(chart.data[0] + chart.data[1]))
    drawing.add(chart)
    labels = [quarter_text(q, lang) for q in (facts.trend_quarters[-2], facts.quarter)]
    pairs = list(zip((PREVIOUS_BAR, CURRENT_BAR), labels, strict=True))
    drawing.add(_legend(pairs, min(layout.names, layout.width - _LEGEND_WIDTH), height - 2, 2))
    return drawing


def _value_axis(axis: object, top: int) -> None:
    """Style a value axis: from zero to `top`, light grid, small labels."""
    axis.valueMin, axis.valueMax = 0, top  # type: ignore[attr-defined]
    axis.labels.fontName, axis.labels.fontSize = FONT, 7  # type: ignore[attr-defined]
    axis.visibleGrid, axis.gridStrokeColor = 1, PALE  # type: ignore[attr-defined]
    axis.strokeColor = RULE  # type: ignore[attr-defined]
    axis.labelTextFormat = lambda value: f"{int(value):,}".replace(",", " ")  # type: ignore[attr-defined]


def theme_chart(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the section heading and a bar chart of reports by theme, this quarter and the last."""
    shown = [f for f in facts.themes if f.reports != 0 or f.previous != 0][:CHART_THEMES]
    caption = text(
        lang,
        "chart_theme_caption",
        current=quarter_text(facts.quarter, lang),
        previous=quarter_text(facts.trend_quarters[-2], lang),
        hidden=f"<{facts.threshold}",
    )
    if not shown:
        return [
            section_heading(lang, "section_themes"),
            paragraph(escaped(text(lang, "no_reports_chart")), "body"),
        ]
    return [
        section_heading(lang, "section_themes"),
        figure(_theme_bar_drawing(facts, lang, shown), theme_chart_alt(facts, lang, shown)),
        paragraph(escaped(caption), "caption"),
    ]


def key_findings_chart(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return page 1's chart of the largest themes with its figures' table beside it, captioned."""
    shown = [f for f in facts.themes if f.reports != 0 or f.previous != 0][:KEY_THEMES]
    if not shown:
        return []
    caption = text(
        lang,
        "chart_theme_caption",
        current=quarter_text(facts.quarter, lang),
        previous=quarter_text(facts.trend_quarters[-2], lang),
        hidden=f"<{facts.threshold}",
    )
    names = max(stringWidth(facts.label("theme", f.theme, lang), FONT, 7.5) for f in shown)
    layout = BarLayout(CONTENT_WIDTH - _KEY_TABLE_WIDTH, 17, min(names + 8, 170))
    chart = figure(
        _theme_bar_drawing(facts, lang, shown, layout), theme_chart_alt(facts, lang, shown)
    )
    pair = Table([[chart, _key_chart_table(facts, lang, shown)]], colWidths=[layout.width, None])
    pair.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (1, 0), (1, 0), 14),
        ]
    )
    return [Spacer(1, 6), KeepTogether([pair, paragraph(escaped(caption), "caption")])]


def _key_chart_table(facts: BriefFacts, lang: str, shown: list[ThemeFigures]) -> Table:
    """Return page 1's chart's figures as a table: a theme per row, this quarter and the last."""
    widths = [_KEY_TABLE_WIDTH - 2 * _KEY_COUNT_WIDTH, _KEY_COUNT_WIDTH, _KEY_COUNT_WIDTH]
    head = [
        text(lang, "col_theme"),
        quarter_text(facts.quarter, lang),
        quarter_text(facts.trend_quarters[-2], lang),
    ]
    rows = [
        [
            paragraph(escaped(facts.label("theme", f.theme, lang)), "cell"),
            count_markup(facts, f.reports, lang),
            count_markup(facts, f.previous, lang),
        ]
        for f in shown
    ]
    table = Table([header_cells(head, widths), *rows], colWidths=widths, hAlign="RIGHT")
    table.setStyle(table_style())
    return table


def theme_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the table of every theme's figures with change, direction and mentions."""
    head = [
        text(lang, "col_theme"),
        quarter_text(facts.quarter, lang),
        quarter_text(facts.trend_quarters[-2], lang),
        *(text(lang, f"col_{key}") for key in ("change", "year_change", "status", "mentions")),
        text(lang, "col_clients"),
    ]
    rows = [_theme_row(facts, f, lang) for f in facts.themes]
    figures = [
        count_markup(facts, facts.total, lang),
        count_markup(facts, facts.previous_total, lang),
        *[""] * 4,
    ]
    total = total_row(lang, [*figures, _clients(facts.clients_affected, lang)])
    table = totals_table(head, rows, total, _THEME_TABLE_WIDTHS)
    return [table, paragraph(escaped(text(lang, "themes_note")), "caption")]


def _theme_row(facts: BriefFacts, f: ThemeFigures, lang: str) -> list[object]:
    """Return one theme's row of the theme table."""
    status = text(lang, f"status_{f.status}") if f.status else ""
    return [
        paragraph(escaped(facts.label("theme", f.theme, lang)), "cell"),
        count_markup(facts, f.reports, lang),
        count_markup(facts, f.previous, lang),
        signed_text(f.change_prev, lang),
        signed_text(f.change_year, lang),
        status,
        count_markup(facts, f.mentions, lang),
        _clients(f.clients_affected, lang),
    ]


def _clients(value: Count, lang: str) -> str:
    """Return an estimated client count, `–` when it is hidden or unknown."""
    return "–" if value is None else count_text(value, lang)


def header_cells(labels: Sequence[str], widths: Sequence[float]) -> list[Paragraph]:
    """Return table header cells fitted to their columns, the first left-aligned, others right."""
    cells = []
    for position, (label, width) in enumerate(zip(labels, widths, strict=True)):
        style = "cell_head" if position == 0 else "cell_head_right"
        cells.append(paragraph(_fitted(label, width - 2 * CELL_PADDING, style), style))
    return cells


def _fitted(label: str, inner: float, style: str) -> str:
    """Return a header label as markup, a word too wide for `inner` broken at a hyphen."""
    font = stylesheet()[style]
    words = []
    for word in label.split(" "):
        plain = word.replace(_SOFT_HYPHEN, "")
        if stringWidth(plain, font.fontName, font.fontSize) <= inner:
            words.append(escaped(plain))
        else:
            parts = re.split(f"[-{_SOFT_HYPHEN}]", word)
            words.append("-<br/>".join(escaped(part) for part in parts))
    return " ".join(words)


def _trend_drawing(facts: BriefFacts, lang: str) -> Drawing:
    """Return a line chart of the top themes over the trend quarters."""
    series = list(facts.trend_series.items())
    legend_height = 12 * len(series)
    drawing = _drawing(190 + legend_height)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 36, legend_height + 24, CONTENT_WIDTH - 50, 160
    chart.data = [list(values) for _theme, values in series]
    chart.categoryAxis.categoryNames = [
        quarter_text(q, lang, "quarter_axis") for q in facts.trend_quarters
    ]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 7
    chart.categoryAxis.strokeColor = RULE
    chart.joinedLines = 1
    for position in range(len(series)):
        colour = SERIES_COLOURS[position % len(SERIES_COLOURS)]
        marker = SERIES_MARKERS[position % len(SERIES_MARKERS)]
        chart.lines[position].strokeColor, chart.lines[position].strokeWidth = colour, 1.8
        chart.lines[position].strokeDashArray = SERIES_DASHES[position % len(SERIES_DASHES)]
        chart.lines[position].symbol = makeMarker(marker, size=5, fillColor=colour)
    values = [v for _t, row in series for v in row if v is not None]
    _value_axis(chart.valueAxis, _axis_max(values))
    drawing.add(chart)
    pairs = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], facts.label("theme", t, lang))
        for i, (t, _v) in enumerate(series)
    ]
    legend = _legend(pairs, 36, legend_height + 2)
    legend.swatchMarker = Auto(obj=chart)
    legend.dx = 24
    drawing.add(legend)
    return drawing


def trend_chart(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the section heading and a line chart of the largest themes over eight quarters."""
    heading = section_heading(lang, "section_trends")
    if not facts.trend_series:
        return [heading, paragraph(escaped(text(lang, "no_reports_chart")), "body")]
    caption = text(lang, "chart_trend_caption", hidden=f"<{facts.threshold}")
    return [
        CondPageBreak(280),
        heading,
        figure(_trend_drawing(facts, lang), trend_chart_alt(facts, lang)),
        paragraph(escaped(caption), "caption"),
        _trend_table(facts, lang),
    ]


def _trend_table(facts: BriefFacts, lang: str) -> Table:
    """Return the trend chart's figures as a table: a theme per row, a quarter per column."""
    quarters = len(facts.trend_quarters)
    widths = [CONTENT_WIDTH - 44 * quarters, *[44.0] * quarters]
    head = [
        text(lang, "col_theme"),
        *(quarter_text(q, lang, "quarter_axis") for q in facts.trend_quarters),
    ]
    rows = [
        [
            paragraph(escaped(facts.label("theme", theme, lang)), "cell"),
            *(count_markup(facts, value, lang) for value in values),
        ]
        for theme, values in facts.trend_series.items()
    ]
    table = Table([header_cells(head, widths), *rows], colWidths=widths, repeatRows=1)
    table.setStyle(table_style())
    return table


def total_row(lang: str, figures: Sequence[str]) -> list[object]:
    """Return a table's bottom row: `Total` and the figures."""
    return [paragraph(bold_markup(text(lang, "row_total")), "cell"), *figures]


def totals_table(
    head: Sequence[str], rows: list[list[object]], total: list[object], widths: Sequence[float]
) -> Table:
    """Return a house-style table with a repeated header and a bold total row under a rule."""
    table = Table([header_cells(head, widths), *rows, total], colWidths=widths, repeatRows=1)
    table.setStyle(table_style())
    table.setStyle(
        [("FONT", (0, -1), (-1, -1), FONT_BOLD, 8.5), ("LINEABOVE", (0, -1), (-1, -1), 0.6, NAVY)]
    )
    return table
