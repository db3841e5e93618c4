"""The HTML brief's charts as inline SVG: an image with a text alternative, no script, no link.

Every label is escaped; the SVG carries `role="img"` and a `<title>` holding the chart's text
alternative (`tasks.brief.describe`). Series differ by shape and dash as well as colour.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from tasks.brief.style import SERIES_COLOURS

WIDTH = 680
_NAVY, _INK, _MUTED, _GRID = "#1B3A5C", "#1E2328", "#5A6570", "#C5D1DD"
_PREVIOUS = "#5A6E85"
_DASHES = ("", "6 3", "", "2 2", "8 3 2 3", "")
_MARKERS = ("circle", "square", "triangle", "diamond", "ring", "box")


def _hex(colour: object) -> str:
    return "#" + colour.hexval()[2:].upper()  # type: ignore[attr-defined]


def _svg(element_id: str, height: int, alt: str, body: list[str]) -> Markup:
    """Return an SVG image with its text alternative as the accessible name."""
    title_id = f"{element_id}-title"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{element_id}" role="img" '
        f'aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" style="max-width:{WIDTH}px" font-family="DejaVu Sans, Verdana, sans-serif">'
        f'<title id="{title_id}">{escape(alt)}</title>'
    )
    return Markup(head + "".join(body) + "</svg>")


def bar_chart_svg(
    element_id: str,
    alt: str,
    labels: Sequence[str],
    pairs: Sequence[tuple[int, int, str, str]],
    legend: tuple[str, str],
) -> Markup:
    """Return a horizontal bar chart: per label a hatched previous bar and a solid current bar.

    `pairs` holds per label (previous value, current value, previous text, current text);
    hidden counts are drawn as 0 and labelled with their text (`<5`).
    """
    top = max([4, *(max(p, c) for p, c, _pt, _ct in pairs)])
    left, right, row = 200, 60, 30
    height = 40 + row * len(labels)
    scale = (WIDTH - left - right) / top
    hatch = f"{element_id}-hatch"
    body = [
        f'<defs><pattern id="{hatch}" width="4" height="4" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="4" height="4" fill="#FFFFFF"/>'
        f'<line x1="0" y1="0" x2="0" y2="4" stroke="{_PREVIOUS}" stroke-width="3"/>'
        "</pattern></defs>",
        _legend_box(left, 6, f"url(#{hatch})", legend[0]),
        _legend_box(left + 160, 6, _NAVY, legend[1]),
    ]
    for index, (label, (previous, current, previous_text, current_text)) in enumerate(
        zip(labels, pairs, strict=True)
    ):
        y = 32 + index * row
        body.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="11" '
            f'fill="{_INK}">{escape(label)}</text>'
        )
        for offset, value, text, fill in (
            (0, previous, previous_text, f"url(#{hatch})"),
            (12, current, current_text, _NAVY),
        ):
            width = max(value * scale, 0)
            body.append(
                f'<rect x="{left}" y="{y + offset}" width="{width:.1f}" height="11" '
                f'fill="{fill}" stroke="{_PREVIOUS if offset == 0 else _NAVY}" '
                'stroke-width="0.8"/>'
                f'<text x="{left + width + 4:.1f}" y="{y + offset + 9.5}" font-size="10" '
                f'fill="{_INK}">{escape(text)}</text>'
            )
    body.append(f'<line x1="{left}" y1="28" x2="{left}" y2="{height - 4}" stroke="{_MUTED}"/>')
    return _svg(element_id, height, alt, body)


def _legend_box(x: int, y: int, fill: str, label: str) -> str:
    return (
        f'<rect x="{x}" y="{y}" width="12" height="12" fill="{fill}" stroke="{_NAVY}" '
        f'stroke-width="0.8"/><text x="{x + 17}" y="{y + 10}" font-size="11" '
        f'fill="{_INK}">{escape(label)}</text>'
    )


def line_chart_svg(
    element_id: str,
    alt: str,
    quarters: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | None]]],
) -> Markup:
    """Return a line chart: one line per series over the quarters, gaps where hidden."""
    values = [v for _name, row in series for v in row if v is not None]
    top = max([4, *values])
    left, plot_top, plot_height = 44, 14, 200
    step = (WIDTH - left - 20) / max(len(quarters) - 1, 1)
    legend_top = plot_top + plot_height + 34
    height = legend_top + 18 * len(series) + 6

    def point(column: int, value: int) -> tuple[float, float]:
        return left + column * step, plot_top + plot_height * (1 - value / top)

    body = [
        f'<line x1="{left}" y1="{plot_top + plot_height}" x2="{WIDTH - 10}" '
        f'y2="{plot_top + plot_height}" stroke="{_MUTED}"/>'
    ]
    for tick in (0, top // 2, top):
        _x, y = point(0, tick)
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" stroke="{_GRID}" '
            f'stroke-width="0.5"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="10" fill="{_INK}">{tick}</text>'
        )
    for column, quarter in enumerate(quarters):
        x, _y = point(column, 0)
        body.append(
            f'<text x="{x:.1f}" y="{plot_top + plot_height + 16}" text-anchor="middle" '
            f'font-size="10" fill="{_INK}">{escape(quarter)}</text>'
        )
    for position, (name, row) in enumerate(series):
        colour = _hex(SERIES_COLOURS[position % len(SERIES_COLOURS)])
        dash = _DASHES[position % len(_DASHES)]
        marker = _MARKERS[position % len(_MARKERS)]
        body += _series(row, point, colour, dash, marker)
        y = legend_top + 18 * position
        body.append(_line_sample(left, y, colour, dash, marker))
        body.append(
            f'<text x="{left + 44}" y="{y + 4}" font-size="11" fill="{_INK}">{escape(name)}</text>'
        )
    return _svg(element_id, height, alt, body)


def _series(row: Sequence[int | None], point, colour: str, dash: str, marker: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Return a series' line pieces (broken at hidden values) and its markers."""
    parts, run = [], []
    for column, value in enumerate([*row, None]):
        if value is None:
            if len(run) > 1:
                coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                parts.append(
                    f'<polyline points="{coordinates}" fill="none" stroke="{colour}" '
                    f'stroke-width="2" stroke-dasharray="{dash or "none"}"/>'
                )
            run = []
            continue
        run.append(point(column, value))
        parts.append(_marker(*point(column, value), colour, marker))
    return parts


def _line_sample(x: int, y: int, colour: str, dash: str, marker: str) -> str:
    return (
        f'<line x1="{x}" y1="{y}" x2="{x + 36}" y2="{y}" stroke="{colour}" stroke-width="2" '
        f'stroke-dasharray="{dash or "none"}"/>' + _marker(x + 18, y, colour, marker)
    )


def _marker(x: float, y: float, colour: str, shape: str) -> str:
    """Return one data point's marker: a shape per series, so colour is not the only cue."""
    if shape in ("circle", "ring"):
        fill = colour if shape == "circle" else "#FFFFFF"
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{fill}" stroke="{colour}" '
            'stroke-width="1.5"/>'
        )
    if shape in ("square", "box"):
        fill = colour if shape == "square" else "#FFFFFF"
        return (
            f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{fill}" '
            f'stroke="{colour}" stroke-width="1.5"/>'
        )
    corners = (
        [(0, -4.5), (-4.5, 3.5), (4.5, 3.5)]
        if shape == "triangle"
        else [(0, -4.5), (4.5, 0), (0, 4.5), (-4.5, 0)]
    )
    points = " ".join(f"{x + dx:.1f},{y + dy:.1f}" for dx, dy in corners)
    return f'<polygon points="{points}" fill="{colour}"/>'
