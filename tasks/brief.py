"""The decision-maker's brief: facts from the published cube, flowables per section, the PDF.

Pure builders turn the quarter's published figures into `BriefFacts` and the
facts into reportlab flowables, one builder per section; `render_pdf` and
`write_briefs` are the only steps that touch the disk. Every string that
comes from data (labels, names, quoted proposals) is escaped before it meets
reportlab's paragraph markup; figures from 1 to threshold − 1 never appear,
only `<threshold`.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import polars as pl
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from schemas.fields import ADDRESSEE_LEVELS, REPORT_TYPES, URGENCIES
from schemas.findings import Finding
from schemas.quarter import Quarter
from schemas.reference import LANGUAGES, Reference, load_reference
from tasks.aggregate import RISING_MIN, RISING_SHARE
from tasks.brief_style import (
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
    brief_document,
    key_figure_style,
    numbered_canvas,
    pdf_date,
    stylesheet,
    table_style,
)
from tasks.brief_text import (
    BRIEF_LANGUAGES,
    TEXT,
    count_text,
    date_text,
    listing,
    percent_text,
    signed_text,
    subregion_name,
    text,
)
from tasks.redact import REDACTED, redact_text

Count = int | None  # a published count; None when it is suppressed
QUOTE_SCHEMA = {"theme": pl.String(), "addressee_level": pl.String(), "text": pl.String()}
MIX_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "urgency": tuple(reversed(URGENCIES)),
    "report_type": REPORT_TYPES,
    "addressee_level": ADDRESSEE_LEVELS,
}
TREND_QUARTERS = 8
TREND_THEMES = 5
CHART_THEMES = 10
_URGENCY_RANK = {"high": 0, "medium": 1, "low": 2}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SOFT_HYPHEN = "\u00ad"
_THEME_TABLE_WIDTHS = (CONTENT_WIDTH - 356, 46, 46, 54, 50, 54, 52, 54)
_QUOTE_MARKS = {"fi": ("”", "”"), "sv": ("”", "”"), "en": ("“", "”")}


# --- quotes -----------------------------------------------------------------------------------


def place_names(reference: Reference) -> tuple[str, ...]:
    """Return every municipality name of the reference (Finnish, Swedish, Sámi), deduplicated."""
    columns = [c for c in ("name_fi", "name_sv", "name_se") if c in reference.municipalities]
    names = reference.municipalities.select(pl.concat_list(columns).alias("n"))["n"].explode()
    return tuple(sorted({name for name in names.drop_nulls().to_list() if name.strip()}))


@cache
def _place_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    """Return a pattern for the names and their inflected forms (`Rovaniemellä`, `Utsjoella`)."""
    stems = sorted({_stem(name) for name in names if len(name) >= 3}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(stem) for stem in stems) + r")\w*")


def _stem(name: str) -> str:
    """Return the part of a place name that its Finnish inflected forms keep."""
    if name.endswith("oki"):
        return name[:-2]
    if name.endswith("i") and len(name) > 5:
        return name[:-1]
    return name


def _quote_text(proposal: str, names: tuple[str, ...], max_chars: int) -> str:
    """Return a proposal redacted, without place names, on one line, shortened at a word."""
    redacted, _counts = redact_text(proposal)
    pattern = _place_pattern(names)
    if pattern is not None:
        redacted = pattern.sub(REDACTED, redacted)
    return _shortened(" ".join(_CONTROL.sub(" ", redacted).split()), max_chars)


def _shortened(line: str, max_chars: int) -> str:
    """Return `line`, or its start cut at a word boundary with `…` when it is too long."""
    if len(line) <= max_chars:
        return line
    head = line[: max_chars - 1]
    cut = head.rfind(" ")
    if cut > max_chars // 2:
        head = head[:cut]
    return head.rstrip(" ,;:.-–") + "…"


def _has_words(quote: str) -> bool:
    """Return whether a quote still says something once its redaction marks are left out."""
    return re.search(r"\w{2,}", quote.replace(REDACTED, " ")) is not None


def quotable_proposals(
    reports: pl.DataFrame,
    max_per_theme: int = 2,
    max_chars: int = 300,
    place_names: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Return the proposals the brief may quote: consented, redacted, shortened, a few per theme.

    Args:
        reports: the quarter's valid reports (a report frame, see `schemas.fields`).
        max_per_theme: the most proposals quoted for one main theme.
        max_chars: the longest quote, `…` included.
        place_names: municipality names to remove; the packaged reference's names when None.

    Returns:
        One row per quote (`theme`, `addressee_level`, `text`), chosen by urgency (high
        first) and then report id, sorted by addressee level and theme; never a municipality.
    """
    names = tuple(place_names) if place_names is not None else _packaged_place_names()
    chosen: dict[str, list[tuple[str, str]]] = {}
    for theme, level, proposal in _quote_candidates(reports).iter_rows():
        picked = chosen.setdefault(theme, [])
        if len(picked) < max_per_theme:
            quote = _quote_text(proposal, names, max_chars)
            if _has_words(quote):
                picked.append((level, quote))
    rows = [(theme, level, quote) for theme, picked in chosen.items() for level, quote in picked]
    frame = pl.DataFrame(rows, schema=QUOTE_SCHEMA, orient="row")
    level_rank = pl.col("addressee_level").replace_strict(
        {level: rank for rank, level in enumerate(ADDRESSEE_LEVELS)}, default=len(ADDRESSEE_LEVELS)
    )
    return frame.with_row_index("_order").sort(level_rank, "theme", "_order").drop("_order")


def _quote_candidates(reports: pl.DataFrame) -> pl.DataFrame:
    """Return the consented, non-empty proposals in the order they are chosen."""
    return (
        reports.filter(
            pl.col("consent_to_quote").fill_null(False)
            & (pl.col("proposal").str.strip_chars().str.len_chars().fill_null(0) > 0)
        )
        .with_columns(
            pl.col("urgency")
            .replace_strict(_URGENCY_RANK, default=3, return_dtype=pl.Int8)
            .alias("_rank")
        )
        .sort("_rank", "report_id", "municipality_code")
        .select("theme", "addressee_level", "proposal")
    )


def _packaged_place_names() -> tuple[str, ...]:
    """Return the municipality names of the packaged code list."""
    return place_names(load_reference())


# --- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeFigures:
    """One main theme's figures for the quarter at region level."""

    theme: str
    reports: Count
    previous: Count
    change_prev: int | None
    change_year: int | None
    status: str | None
    mentions: Count
    clients_affected: Count


@dataclass(frozen=True)
class AreaFigures:
    """One subregion's or municipality's total and its counts by main theme."""

    code: str
    reports: Count
    by_theme: Mapping[str, Count]


@dataclass(frozen=True)
class Quote:
    """One quotable proposal, already redacted and shortened."""

    theme: str
    addressee_level: str
    text: str


@dataclass(frozen=True)
class BriefFacts:
    """Everything the brief says about one quarter, language-neutral; counts None when hidden."""

    quarter: str
    trend_quarters: tuple[str, ...]
    threshold: int
    total: Count
    previous_total: Count
    clients_affected: Count
    municipality_count: int
    municipalities_reporting: int
    municipalities_unknown: int
    themes: tuple[ThemeFigures, ...]
    trend_series: Mapping[str, tuple[Count, ...]]
    subregions: tuple[AreaFigures, ...]
    municipalities: tuple[AreaFigures, ...]
    municipality_themes_hidden: bool
    municipality_totals_hidden: bool
    target_groups: tuple[tuple[str, Count], ...]
    mix: Mapping[str, tuple[tuple[str, Count], ...]]
    quotes: tuple[Quote, ...]
    findings: tuple[Finding, ...]
    failed_municipalities: tuple[str, ...]
    silent_municipalities: tuple[str, ...]
    rejected: tuple[tuple[str, int], ...]
    labels: Mapping[str, Mapping[str, Mapping[str, str]]]

    def label(self, kind: str, code: str, lang: str) -> str:
        """Return the label of a theme, target group, municipality or subregion code in `lang`."""
        if kind == "subregion":
            fallback = self.labels["subregion"]["fi"].get(code, code)
            return subregion_name(code, lang, fallback)
        return self.labels[kind][lang].get(code, code)

    @property
    def published_on(self) -> date:
        """Return the brief's date: the first day after its quarter (also the PDF's date)."""
        return Quarter.parse(self.quarter).next().first_day


Cells = dict[tuple[str, str, str, str], tuple[Count, Count]]


def _cell_index(cells: pl.DataFrame) -> Cells:
    """Return (reports, clients) by (level, area, theme, target group); None where suppressed."""
    columns = ["level", "area_code", "theme", "target_group", "reports", "clients_affected"]
    index: Cells = {}
    for *key, reports, clients, hidden in cells.select(*columns, "suppressed").iter_rows():
        index[tuple(key)] = (None, None) if hidden else (reports or 0, clients)
    return index


def _count(index: Cells, level: str, area: str, theme: str = "all", group: str = "all") -> Count:
    """Return a published count, 0 when the cube has no such cell."""
    return index.get((level, area, theme, group), (0, 0))[0]


def _size_key(count: Count) -> tuple[int, int]:
    """Return a sort key: published counts largest first, then hidden ones, then zeros."""
    if count is None:
        return (1, 0)
    return (0, -count) if count > 0 else (2, 0)


def _labels(reference: Reference) -> dict[str, dict[str, dict[str, str]]]:
    """Return labels by kind, language and code from the reference lists."""
    munis = reference.municipalities
    subregions = dict(munis.select("subregion_code", "subregion_fi").unique().iter_rows())
    return {
        "theme": {lang: _code_labels(reference.themes, lang) for lang in LANGUAGES},
        "target_group": {lang: _code_labels(reference.target_groups, lang) for lang in LANGUAGES},
        "municipality": {
            lang: {code: reference.municipality_name(code, lang) for code in munis["code"]}
            for lang in LANGUAGES
        },
        "subregion": {"fi": subregions},
    }


def _code_labels(codes: pl.DataFrame, lang: str) -> dict[str, str]:
    """Return a code list's labels in one language."""
    return dict(codes.select("code", lang).iter_rows())


def _trend_index(trends: pl.DataFrame) -> dict[tuple[str, str], dict[str, object]]:
    """Return the region-level trend rows by (quarter, theme)."""
    region = trends.filter(pl.col("level") == "region")
    return {(row["quarter"], row["theme"]): row for row in region.iter_rows(named=True)}


def _trend_count(row: Mapping[str, object] | None) -> Count:
    """Return a trend row's published count (None when suppressed, 0 when absent)."""
    if row is None:
        return 0
    return None if row["suppressed"] else int(row["reports"] or 0)  # type: ignore[call-overload]


def _theme_figures(
    quarter: Quarter, index: Cells, trends: pl.DataFrame, mentions: pl.DataFrame, codes: list[str]
) -> tuple[ThemeFigures, ...]:
    """Return every theme's figures, largest first."""
    rows = _trend_index(trends)
    mentioned = _mention_counts(mentions, str(quarter))
    figures = []
    for code in codes:
        now = rows.get((str(quarter), code)) or {}
        figures.append(
            ThemeFigures(
                theme=code,
                reports=_count(index, "region", "19", code),
                previous=_trend_count(rows.get((str(quarter.previous()), code))),
                change_prev=now.get("change_prev"),  # type: ignore[arg-type]
                change_year=now.get("change_year"),  # type: ignore[arg-type]
                status=now.get("status"),  # type: ignore[arg-type]
                mentions=mentioned.get(code, 0),
                clients_affected=index.get(("region", "19", code, "all"), (0, 0))[1],
            )
        )
    order = {code: rank for rank, code in enumerate(codes)}
    return tuple(sorted(figures, key=lambda f: (*_size_key(f.reports), order[f.theme])))


def _mention_counts(mentions: pl.DataFrame, quarter: str) -> dict[str, Count]:
    """Return the secondary-theme mentions of the quarter by theme."""
    rows = mentions.filter(pl.col("quarter") == quarter).select("theme", "mentions", "suppressed")
    return {theme: None if hidden else (n or 0) for theme, n, hidden in rows.iter_rows()}


def _trend_series(
    quarters: Sequence[str], themes: Sequence[ThemeFigures], trends: pl.DataFrame
) -> dict[str, tuple[Count, ...]]:
    """Return the largest published themes' counts over the trend quarters."""
    rows = _trend_index(trends)
    top = [f.theme for f in themes if f.reports][:TREND_THEMES]
    return {theme: tuple(_trend_count(rows.get((q, theme))) for q in quarters) for theme in top}


def _areas(
    index: Cells, level: str, codes: Iterable[str], themes: list[str]
) -> tuple[AreaFigures, ...]:
    """Return each area's total and its counts by theme."""
    return tuple(
        AreaFigures(
            code=code,
            reports=_count(index, level, code),
            by_theme={theme: _count(index, level, code, theme) for theme in themes},
        )
        for code in codes
    )


def _surely_reporting(area: AreaFigures) -> bool:
    """Return whether published figures show the area has reports (a hidden total may be 0)."""
    return bool(area.reports) or any(area.by_theme.values())


def _municipality_facts(municipalities: tuple[AreaFigures, ...]) -> dict[str, object]:
    """Return the facts about municipalities: who surely reports, who is silent, what is hidden."""
    return {
        "municipalities": municipalities,
        "municipalities_reporting": sum(_surely_reporting(m) for m in municipalities),
        "municipalities_unknown": sum(
            m.reports is None and not _surely_reporting(m) for m in municipalities
        ),
        "municipality_themes_hidden": _mostly_hidden(
            count for m in municipalities for count in m.by_theme.values()
        ),
        "municipality_totals_hidden": _mostly_hidden(m.reports for m in municipalities),
        "silent_municipalities": tuple(m.code for m in municipalities if m.reports == 0),
    }


def _mostly_hidden(counts: Iterable[Count]) -> bool:
    """Return whether more than half of the non-zero counts are hidden."""
    nonzero = [count for count in counts if count != 0]
    return sum(count is None for count in nonzero) * 2 > len(nonzero)


def _group_counts(index: Cells, codes: list[str]) -> tuple[tuple[str, Count], ...]:
    """Return the region's counts by target group, largest first."""
    counts = [(code, _count(index, "region", "19", "all", code)) for code in codes]
    return tuple(sorted(counts, key=lambda pair: (*_size_key(pair[1]), codes.index(pair[0]))))


def _mix_counts(mix: pl.DataFrame, quarter: str) -> dict[str, tuple[tuple[str, Count], ...]]:
    """Return the region's counts by report type, urgency and addressee level."""
    rows = mix.filter(pl.col("quarter") == quarter).select(
        "dimension", "value", "reports", "suppressed"
    )
    found = {(d, v): None if hidden else (n or 0) for d, v, n, hidden in rows.iter_rows()}
    return {
        dimension: tuple((value, found.get((dimension, value), 0)) for value in values)
        for dimension, values in MIX_DIMENSIONS.items()
    }


def _rejected_rows(rejected: pl.DataFrame) -> tuple[tuple[str, int], ...]:
    """Return quarantined rows per municipality code, codes in order."""
    if rejected.is_empty():
        return ()
    totals = (
        rejected.group_by("municipality_code").agg(pl.col("rows").sum()).sort("municipality_code")
    )
    return tuple((code, int(rows)) for code, rows in totals.iter_rows() if rows)


def _previous_total(
    quarter: Quarter, trends: pl.DataFrame, themes: Sequence[ThemeFigures]
) -> Count:
    """Return the previous quarter's region total: its `all` trend row, else the themes' sum."""
    row = _trend_index(trends).get((str(quarter.previous()), "all"))
    if row is not None:
        return _trend_count(row)
    previous = [f.previous for f in themes]
    return None if None in previous else sum(previous)  # type: ignore[arg-type]


def _sorted_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Return the findings, blocking ones first, in a stable order."""
    return tuple(
        sorted(
            findings,
            key=lambda f: (
                f.severity != "hard",
                f.check,
                f.municipality_code or "",
                f.column or "",
            ),
        )
    )


def brief_facts(
    quarter: Quarter | str,
    cells: pl.DataFrame,
    trends: pl.DataFrame,
    mentions: pl.DataFrame,
    mix: pl.DataFrame,
    quotes: pl.DataFrame,
    findings: Sequence[Finding],
    failed_municipalities: Sequence[str],
    rejected: pl.DataFrame,
    reference: Reference,
    threshold: int = 5,
) -> BriefFacts:
    """Return what the brief says about a quarter, from its published figures.

    Args:
        quarter: the brief's quarter.
        cells: the quarter's published cube (`reports` null where `suppressed`).
        trends: region and subregion counts over the eight quarters ending at `quarter`.
        mentions: secondary-theme mentions at region level.
        mix: region counts by report type, urgency and addressee level.
        quotes: `quotable_proposals` of the quarter's reports.
        findings: the quality gate's findings.
        failed_municipalities: codes of the sources that could not be read this run.
        rejected: quarantined rows still open, per delivering `municipality_code` (`rows`).
        reference: the code lists (labels in fi, sv and en; municipality names).
        threshold: the smallest count that is published.

    Returns:
        The brief's facts, language-neutral; every count None where the cube hides it.
    """
    q = Quarter.parse(str(quarter))
    index = _cell_index(cells.filter(pl.col("quarter") == str(q)))
    themes = _theme_figures(q, index, trends, mentions, reference.theme_codes)
    quarters = tuple(str(q.previous(steps)) for steps in range(TREND_QUARTERS - 1, -1, -1))
    municipalities = _areas(
        index, "municipality", reference.municipality_codes, reference.theme_codes
    )
    return BriefFacts(
        quarter=str(q),
        trend_quarters=quarters,
        threshold=threshold,
        total=_count(index, "region", "19"),
        previous_total=_previous_total(q, trends, themes),
        clients_affected=index.get(("region", "19", "all", "all"), (0, 0))[1],
        municipality_count=len(reference.municipality_codes),
        themes=themes,
        trend_series=_trend_series(quarters, themes, trends),
        subregions=_areas(
            index, "subregion", reference.subregions()["subregion_code"], reference.theme_codes
        ),
        **_municipality_facts(municipalities),
        target_groups=_group_counts(index, reference.target_group_codes),
        mix=_mix_counts(mix, str(q)),
        quotes=tuple(Quote(*row) for row in quotes.select(list(QUOTE_SCHEMA)).iter_rows()),
        findings=_sorted_findings(findings),
        failed_municipalities=tuple(sorted(set(failed_municipalities))),
        rejected=_rejected_rows(rejected),
        labels=_labels(reference),
    )


# --- markup helpers ---------------------------------------------------------------------------


def _esc(value: object) -> str:
    """Return any value as text that is safe inside paragraph markup."""
    return escape(str(value))


def _bold(value: object) -> str:
    """Return a value escaped and set in bold."""
    return f"<b>{_esc(value)}</b>"


def _sentence(lang: str, key: str, **markup: str) -> str:
    """Return a translated template, escaped, with already-safe markup filled in."""
    return _esc(text(lang, key)).format(**markup)


def _para(markup: str, style: str) -> Paragraph:
    """Return a paragraph in one of the brief's styles (`markup` must already be safe)."""
    return Paragraph(markup, stylesheet()[style])


def _heading(lang: str, key: str) -> Paragraph:
    """Return a section heading."""
    return _para(_esc(text(lang, key)), "h1")


def _n(facts: BriefFacts, value: Count, lang: str) -> str:
    """Return a count as shown in the brief (`<5` when hidden)."""
    return count_text(value, lang, facts.threshold)


def _small(facts: BriefFacts, value: int, lang: str) -> str:
    """Return a non-report count, shown as `<threshold` when it is from 1 to threshold − 1."""
    return _n(facts, None if 0 < value < facts.threshold else value, lang)


def _quarter_text(quarter: str, lang: str, key: str = "quarter_short") -> str:
    """Return a quarter as the language writes it (`Q3/2026`, `3. vuosineljännes 2026`)."""
    q = Quarter.parse(quarter)
    return text(lang, key, number=q.number, year=q.year, yy=f"{q.year % 100:02d}")


# --- cover and key findings -------------------------------------------------------------------


def cover_page(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the cover: title, quarter, period, publication date, intro and key figures."""
    q = Quarter.parse(facts.quarter)
    period = text(
        lang, "period", start=date_text(q.first_day, lang), end=date_text(q.last_day, lang)
    )
    published = text(lang, "published", date=date_text(facts.published_on, lang))
    return [
        Spacer(1, 4),
        _para(_esc(text(lang, "title")), "title"),
        _para(_esc(text(lang, "subtitle")), "subtitle"),
        _para(_esc(_quarter_text(facts.quarter, lang, "quarter_long")), "quarter"),
        _para(f"{_esc(period)} · {_esc(published)}", "meta"),
        _para(_esc(text(lang, "cover_intro")), "intro"),
        *_incomplete_notice(facts, lang),
        Spacer(1, 6),
        _key_figures(facts, lang),
    ]


def _incomplete_notice(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the cover's notice naming the municipalities whose source could not be read."""
    if not facts.failed_municipalities:
        return []
    names = _names(facts, facts.failed_municipalities, lang)
    return [_para(f"<b>{_sentence(lang, 'cover_incomplete', names=names)}</b>", "intro")]


def _mix_count(facts: BriefFacts, dimension: str, value: str) -> Count:
    """Return one value's count in the report mix."""
    return dict(facts.mix.get(dimension, ())).get(value, 0)


def _key_figures(facts: BriefFacts, lang: str) -> Table:
    """Return the cover's row of four key figures in boxes."""
    at_least = "≥" if facts.municipalities_unknown else ""
    reporting = f"{at_least}{facts.municipalities_reporting}/{facts.municipality_count}"
    figures = [
        (_n(facts, facts.total, lang), text(lang, "figure_reports")),
        (reporting, text(lang, "figure_municipalities", total=facts.municipality_count)),
        (_n(facts, _mix_count(facts, "urgency", "high"), lang), text(lang, "figure_urgent")),
        (
            _n(facts, _mix_count(facts, "report_type", "good_practice"), lang),
            text(lang, "figure_good_practices"),
        ),
    ]
    cells = [
        [_para(_esc(value), "figure"), _para(_esc(label), "figure_label")]
        for value, label in figures
    ]
    box = Table([cells], colWidths=[CONTENT_WIDTH / 4] * 4)
    box.setStyle(key_figure_style())
    return box


def _theme_list(facts: BriefFacts, lang: str, figures: Iterable[tuple[str, str]]) -> str:
    """Return `Theme (n), Theme (n) and Theme (n)` as markup, theme names in bold."""
    items = [
        f"{_bold(facts.label('theme', code, lang))} ({_esc(value)})" for code, value in figures
    ]
    return listing(items, lang)


def _change_sentences(facts: BriefFacts, lang: str) -> list[str]:
    """Return the sentences on the largest, rising, falling and new themes."""
    published = [f for f in facts.themes if f.reports]
    rising = sorted(
        (f for f in facts.themes if f.status == "rising" and f.change_prev is not None),
        key=lambda f: -f.change_prev,  # type: ignore[operator]
    )
    falling = sorted(
        (f for f in facts.themes if f.status == "falling" and f.change_prev is not None),
        key=lambda f: f.change_prev,  # type: ignore[arg-type, return-value]
    )
    new = [f for f in facts.themes if f.status == "new"]
    candidates = [
        ("finding_largest", [(f.theme, _n(facts, f.reports, lang)) for f in published[:3]]),
        ("finding_rising", [(f.theme, signed_text(f.change_prev, lang)) for f in rising[:3]]),
        ("finding_falling", [(f.theme, signed_text(f.change_prev, lang)) for f in falling[:2]]),
        ("finding_new", [(f.theme, _n(facts, f.reports, lang)) for f in new[:4]]),
    ]
    return [
        _sentence(lang, key, themes=_theme_list(facts, lang, items))
        for key, items in candidates
        if items
    ]


def _total_sentence(facts: BriefFacts, lang: str) -> str:
    """Return the sentence on the quarter's number of reports and reporting municipalities."""
    sentence = _sentence(
        lang,
        "finding_total_at_least" if facts.municipalities_unknown else "finding_total",
        count=_bold(_n(facts, facts.total, lang)),
        municipalities=_esc(facts.municipalities_reporting),
        total=_esc(facts.municipality_count),
    )
    if facts.previous_total is None and facts.total == 0:
        return sentence
    previous = _sentence(
        lang, "finding_total_change", count=_esc(_n(facts, facts.previous_total, lang))
    )
    return f"{sentence} {previous}"


def _mix_sentences(facts: BriefFacts, lang: str) -> list[str]:
    """Return the sentences on urgent reports, good practices and weak signals."""
    sentences = []
    for key, dimension, value in (
        ("finding_urgent", "urgency", "high"),
        ("finding_good_practices", "report_type", "good_practice"),
        ("finding_weak_signals", "report_type", "weak_signal"),
    ):
        count = _mix_count(facts, dimension, value)
        if count != 0 or key == "finding_urgent":
            sentences.append(_sentence(lang, key, count=_bold(_n(facts, count, lang))))
    return sentences


def _quality_sentence(facts: BriefFacts, lang: str) -> str:
    """Return the sentence on unread sources and rows waiting for a correction."""
    rows = sum(count for _code, count in facts.rejected)
    if not facts.failed_municipalities and not rows:
        return _sentence(lang, "finding_quality_ok")
    if not facts.failed_municipalities:
        return _sentence(lang, "finding_quality_rows", rows=_bold(_n(facts, rows, lang)))
    return _sentence(
        lang,
        "finding_quality_issue",
        failed=f"<b>{_names(facts, facts.failed_municipalities, lang)}</b>",
        rows=_bold(_n(facts, rows, lang)),
    )


def key_findings(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the key findings in plain words, one bullet each."""
    if facts.total == 0:
        sentences = [_sentence(lang, "finding_none")]
    else:
        sentences = [_total_sentence(facts, lang), *_change_sentences(facts, lang)]
        sentences += _mix_sentences(facts, lang)
    sentences.append(_quality_sentence(facts, lang))
    bullets = [Paragraph(s, stylesheet()["bullet"], bulletText="•") for s in sentences]
    return [Spacer(1, 8), _heading(lang, "section_key_findings"), *bullets]


# --- charts -----------------------------------------------------------------------------------


def _drawing(height: float) -> Drawing:
    """Return a drawing as wide as the text column whose text defaults to DejaVu Sans."""
    drawing = Drawing(CONTENT_WIDTH, height)
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


def _theme_bar_drawing(facts: BriefFacts, lang: str, shown: list[ThemeFigures]) -> Drawing:
    """Return a horizontal bar chart of the shown themes, previous and current quarter."""
    height = 48 + len(shown) * 21
    drawing = _drawing(height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 190, 16, CONTENT_WIDTH - 230, height - 40
    rows = [[f.previous for f in shown], [f.reports for f in shown]]
    chart.data = [[value or 0 for value in row] for row in rows]
    chart.barLabelArray = [[_n(facts, v, lang) for v in row] for row in rows]
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
    labels = [_quarter_text(q, lang) for q in (facts.trend_quarters[-2], facts.quarter)]
    drawing.add(
        _legend(list(zip((PREVIOUS_BAR, CURRENT_BAR), labels, strict=True)), 190, height - 2, 2)
    )
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
        current=_quarter_text(facts.quarter, lang),
        previous=_quarter_text(facts.trend_quarters[-2], lang),
        hidden=f"<{facts.threshold}",
    )
    if not shown:
        return [
            _heading(lang, "section_themes"),
            _para(_esc(text(lang, "no_reports_chart")), "body"),
        ]
    return [
        _heading(lang, "section_themes"),
        _theme_bar_drawing(facts, lang, shown),
        _para(_esc(caption), "caption"),
    ]


def theme_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the table of every theme's figures with change, direction and mentions."""
    head = [
        text(lang, "col_theme"),
        _quarter_text(facts.quarter, lang),
        _quarter_text(facts.trend_quarters[-2], lang),
        *(text(lang, f"col_{key}") for key in ("change", "year_change", "status", "mentions")),
        text(lang, "col_clients"),
    ]
    rows = [_theme_row(facts, f, lang) for f in facts.themes]
    figures = [_n(facts, facts.total, lang), _n(facts, facts.previous_total, lang), *[""] * 4]
    total = _total_row(lang, [*figures, _clients(facts.clients_affected, lang)])
    table = _totals_table(head, rows, total, _THEME_TABLE_WIDTHS)
    return [table, _para(_esc(text(lang, "themes_note")), "caption")]


def _theme_row(facts: BriefFacts, f: ThemeFigures, lang: str) -> list[object]:
    """Return one theme's row of the theme table."""
    status = text(lang, f"status_{f.status}") if f.status else ""
    return [
        _para(_esc(facts.label("theme", f.theme, lang)), "cell"),
        _n(facts, f.reports, lang),
        _n(facts, f.previous, lang),
        signed_text(f.change_prev, lang),
        signed_text(f.change_year, lang),
        status,
        _n(facts, f.mentions, lang),
        _clients(f.clients_affected, lang),
    ]


def _clients(value: Count, lang: str) -> str:
    """Return an estimated client count, `–` when it is hidden or unknown."""
    return "–" if value is None else count_text(value, lang)


def _header_cells(labels: Sequence[str], widths: Sequence[float]) -> list[Paragraph]:
    """Return table header cells fitted to their columns, the first left-aligned, others right."""
    cells = []
    for position, (label, width) in enumerate(zip(labels, widths, strict=True)):
        style = "cell_head" if position == 0 else "cell_head_right"
        cells.append(_para(_fitted(label, width - 2 * CELL_PADDING, style), style))
    return cells


def _fitted(label: str, inner: float, style: str) -> str:
    """Return a header label as markup, a word too wide for `inner` broken at a hyphen."""
    font = stylesheet()[style]
    words = []
    for word in label.split(" "):
        plain = word.replace(_SOFT_HYPHEN, "")
        if stringWidth(plain, font.fontName, font.fontSize) <= inner:
            words.append(_esc(plain))
        else:
            parts = re.split(f"[-{_SOFT_HYPHEN}]", word)
            words.append("-<br/>".join(_esc(part) for part in parts))
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
        _quarter_text(q, lang, "quarter_axis") for q in facts.trend_quarters
    ]
    chart.categoryAxis.labels.fontName, chart.categoryAxis.labels.fontSize = FONT, 7
    chart.categoryAxis.strokeColor = RULE
    chart.joinedLines = 1
    for position in range(len(series)):
        colour = SERIES_COLOURS[position % len(SERIES_COLOURS)]
        chart.lines[position].strokeColor, chart.lines[position].strokeWidth = colour, 1.8
        chart.lines[position].symbol = makeMarker("FilledCircle", size=3.5, fillColor=colour)
    values = [v for _t, row in series for v in row if v is not None]
    _value_axis(chart.valueAxis, _axis_max(values))
    drawing.add(chart)
    pairs = [
        (SERIES_COLOURS[i % len(SERIES_COLOURS)], facts.label("theme", t, lang))
        for i, (t, _v) in enumerate(series)
    ]
    drawing.add(_legend(pairs, 36, legend_height + 2))
    return drawing


def trend_chart(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the section heading and a line chart of the largest themes over eight quarters."""
    heading = _heading(lang, "section_trends")
    if not facts.trend_series:
        return [heading, _para(_esc(text(lang, "no_reports_chart")), "body")]
    caption = text(lang, "chart_trend_caption", hidden=f"<{facts.threshold}")
    return [
        CondPageBreak(280),
        heading,
        _trend_drawing(facts, lang),
        _para(_esc(caption), "caption"),
    ]


# --- areas and target groups ------------------------------------------------------------------


def subregion_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the subregion × theme table (hidden counts as `<5`) and a municipality overview."""
    names = [
        subregion_name(a.code, lang, facts.label("subregion", a.code, lang), short=True)
        for a in facts.subregions
    ]
    rows = [
        [_para(_esc(facts.label("theme", f.theme, lang)), "cell")]
        + [_n(facts, a.by_theme.get(f.theme, 0), lang) for a in facts.subregions]
        + [_n(facts, f.reports, lang)]
        for f in facts.themes
        if f.reports != 0
    ]
    totals = [_n(facts, a.reports, lang) for a in facts.subregions] + [_n(facts, facts.total, lang)]
    columns = len(facts.subregions) + 1
    widths = [110.0] + [(CONTENT_WIDTH - 110) / columns] * columns
    head = [text(lang, "col_theme"), *names, text(lang, "row_region")]
    notes = [_para(_esc(text(lang, "areas_subregion_intro")), "body")]
    if facts.municipality_themes_hidden:
        notes.append(_para(_esc(text(lang, "areas_fallback", threshold=facts.threshold)), "body"))
    table = _totals_table(head, rows, _total_row(lang, totals), widths)
    return [CondPageBreak(200), _heading(lang, "section_areas"), *notes, table, Spacer(1, 8)] + (
        _municipality_table(facts, lang)
    )


def _total_row(lang: str, figures: Sequence[str]) -> list[object]:
    """Return a table's bottom row: `Total` and the figures."""
    return [_para(_bold(text(lang, "row_total")), "cell"), *figures]


def _totals_table(
    head: Sequence[str], rows: list[list[object]], total: list[object], widths: Sequence[float]
) -> Table:
    """Return a house-style table with a repeated header and a bold total row under a rule."""
    table = Table([_header_cells(head, widths), *rows, total], colWidths=widths, repeatRows=1)
    table.setStyle(table_style())
    table.setStyle(
        [("FONT", (0, -1), (-1, -1), FONT_BOLD, 8.5), ("LINEABOVE", (0, -1), (-1, -1), 0.6, NAVY)]
    )
    return table


def _municipality_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return municipality totals in three column pairs, or a note when most are hidden."""
    if facts.total == 0:
        return []
    if facts.municipality_totals_hidden:
        note = text(lang, "areas_municipalities_fallback", threshold=facts.threshold)
        return [_para(_esc(note), "body")]
    items = sorted(
        (facts.label("municipality", m.code, lang), _n(facts, m.reports, lang))
        for m in facts.municipalities
    )
    widths = [CONTENT_WIDTH / 3 - 60, 60] * 3
    head = [text(lang, "col_municipality"), text(lang, "col_reports")]
    table = Table([_header_cells(head, widths[:2]) * 3, *_three_columns(items)], colWidths=widths)
    table.setStyle(table_style())
    for name_column in (2, 4):
        table.setStyle([("LEFTPADDING", (name_column, 0), (name_column, -1), 14)])
        table.setStyle([("RIGHTPADDING", (name_column - 1, 0), (name_column - 1, -1), 10)])
    return [_para(_esc(text(lang, "areas_municipalities_intro")), "h2"), table]


def _three_columns(items: list[tuple[str, str]]) -> list[list[object]]:
    """Return (name, figure) pairs laid out down three column pairs, as table rows."""
    per_column = -(-len(items) // 3)
    columns = [items[i * per_column : (i + 1) * per_column] for i in range(3)]
    rows = []
    for row in range(per_column):
        cells: list[object] = []
        for column in columns:
            name, count = column[row] if row < len(column) else ("", "")
            cells += [_para(_esc(name), "cell"), count]
        rows.append(cells)
    return rows


def target_group_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return target groups with shares, beside the mix of report types, urgency and addressees."""
    right = Table(_mix_rows(facts, lang), colWidths=[150, 60])
    right.setStyle(_mix_style(facts))
    outer = Table([[_target_group_table(facts, lang), right]], colWidths=[CONTENT_WIDTH - 220, 220])
    outer.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), FONT),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    intro = f"{_esc(text(lang, 'target_groups_intro'))} {_esc(text(lang, 'mix_intro'))}"
    return [
        CondPageBreak(240),
        _heading(lang, "section_target_groups"),
        _para(intro, "body"),
        outer,
    ]


def _target_group_table(facts: BriefFacts, lang: str) -> Table:
    """Return the table of target groups with their counts and shares of all reports."""
    widths = [150, 56, 45]
    head = [text(lang, "col_target_group"), text(lang, "col_reports"), text(lang, "col_share")]
    rows: list[list[object]] = [_header_cells(head, widths)]
    for code, count in facts.target_groups:
        share = percent_text(count / facts.total, lang) if count and facts.total else "–"
        label = _para(_esc(facts.label("target_group", code, lang)), "cell")
        rows.append([label, _n(facts, count, lang), share])
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(table_style())
    return table


def _mix_label(dimension: str, value: str, lang: str) -> str:
    """Return the translated label of a report type, urgency or addressee level."""
    prefix = "addressee" if dimension == "addressee_level" else dimension
    return text(lang, f"{prefix}_{value}")


def _mix_rows(facts: BriefFacts, lang: str) -> list[list[object]]:
    """Return the mix table's rows: a heading row per dimension, then its values."""
    rows: list[list[object]] = []
    for dimension, values in facts.mix.items():
        rows.append([_para(_esc(text(lang, f"mix_{dimension}")), "cell_head"), ""])
        rows += [
            [_para(_esc(_mix_label(dimension, v, lang)), "cell"), _n(facts, n, lang)]
            for v, n in values
        ]
    return rows


def _mix_style(facts: BriefFacts) -> TableStyle:
    """Return the mix table's style: a rule under each dimension's heading row."""
    style = table_style(header_rows=1)
    row = 0
    for values in facts.mix.values():
        style.add("LINEBELOW", (0, row), (-1, row), 0.8, NAVY)
        style.add("BACKGROUND", (0, row), (-1, row), "white")
        row += len(values) + 1
    return style


# --- proposals, quality, method ---------------------------------------------------------------


def proposals_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the quoted proposals grouped by addressee level."""
    story: list[Flowable] = [CondPageBreak(160), _heading(lang, "section_proposals")]
    if not facts.quotes:
        return [*story, _para(_esc(text(lang, "proposals_none")), "body")]
    per_theme = max(
        sum(q.theme == t for q in facts.quotes) for t in {q.theme for q in facts.quotes}
    )
    story.append(_para(_esc(text(lang, "proposals_intro", count=per_theme)), "body"))
    opening, closing = _QUOTE_MARKS[lang]
    for level in (
        *ADDRESSEE_LEVELS,
        *sorted({q.addressee_level for q in facts.quotes} - set(ADDRESSEE_LEVELS)),
    ):
        quotes = [q for q in facts.quotes if q.addressee_level == level]
        if not quotes:
            continue
        heading = text(lang, f"addressee_{level}") if level in ADDRESSEE_LEVELS else level
        story.append(_para(_esc(heading), "h2"))
        for quote in quotes:
            theme = _para(_esc(facts.label("theme", quote.theme, lang)), "quote_theme")
            story.append(
                KeepTogether([theme, _para(f"{opening}{_esc(quote.text)}{closing}", "quote")])
            )
    return story


def _check_label(check: str, lang: str) -> str:
    """Return a quality check's translated name, or a generic one naming its code."""
    key = f"check_{check}"
    return text(lang, key) if key in _known_checks() else text(lang, "check_other", check=check)


@cache
def _known_checks() -> frozenset[str]:
    """Return the check keys that every language's table names."""
    return frozenset.intersection(
        *(frozenset(k for k in TEXT[lang] if k.startswith("check_")) for lang in BRIEF_LANGUAGES)
    )


def _observed_text(facts: BriefFacts, finding: Finding, lang: str) -> str:
    """Return a finding's observed value: a share as a percentage, a count small-suppressed."""
    if finding.observed is None:
        return "–"
    if finding.check == "completeness" and 0 <= finding.observed <= 1:
        return percent_text(finding.observed, lang)
    if float(finding.observed).is_integer():
        return _small(facts, int(finding.observed), lang)
    rounded = f"{finding.observed:.3g}"
    return rounded if lang == "en" else rounded.replace(".", ",")


def _names(facts: BriefFacts, codes: Iterable[str], lang: str) -> str:
    """Return municipality names for codes, escaped and joined."""
    return _esc(", ".join(facts.label("municipality", code, lang) for code in codes))


def data_quality_section(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return unread sources, silent municipalities, quarantined rows and the gate's findings."""
    story: list[Flowable] = [CondPageBreak(160), _heading(lang, "section_quality")]
    for key, codes in (
        ("quality_failed", facts.failed_municipalities),
        ("quality_silent", facts.silent_municipalities),
    ):
        markup = (
            _sentence(lang, key, names=_names(facts, codes, lang))
            if codes
            else _sentence(lang, f"{key}_none")
        )
        story.append(_para(markup, "body"))
    story += _rejected_table(facts, lang)
    story += _findings_table(facts, lang)
    return story


def _rejected_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return quarantined rows per delivering municipality, or a sentence saying there are none.

    They count delivered rows, not people, and quarantine.csv lists every one of those rows,
    so the counts are shown in full (a hidden one would be recoverable from the total anyway).
    """
    if not facts.rejected:
        return [_para(_sentence(lang, "quality_rejected_none"), "body")]
    total = _n(facts, sum(rows for _code, rows in facts.rejected), lang)
    rows = [
        [_para(_esc(facts.label("municipality", code, lang)), "cell"), _n(facts, n, lang)]
        for code, n in facts.rejected
    ]
    widths = [180, 60]
    head = _header_cells([text(lang, "col_municipality"), text(lang, "col_rows")], widths)
    table = Table([head, *rows], colWidths=widths, hAlign="LEFT", repeatRows=1)
    table.setStyle(table_style())
    return [
        _para(_sentence(lang, "quality_rejected", rows=_esc(total)), "body"),
        table,
        Spacer(1, 8),
    ]


def _findings_table(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the quality gate's findings as a table, or a sentence saying there are none."""
    if not facts.findings:
        return [_para(_sentence(lang, "quality_findings_none"), "body")]
    head = [
        text(lang, k)
        for k in ("col_check", "col_severity", "col_municipality", "col_field", "col_observed")
    ]
    rows = [
        [
            _para(_esc(_check_label(f.check, lang)), "cell"),
            _para(_esc(_severity_label(f.severity, lang)), "cell"),
            _para(
                _esc(
                    facts.label("municipality", f.municipality_code, lang)
                    if f.municipality_code
                    else "–"
                ),
                "cell",
            ),
            _para(_esc(f.column or "–"), "cell"),
            _observed_text(facts, f, lang),
        ]
        for f in facts.findings
    ]
    widths = [150, 66, 95, 95, CONTENT_WIDTH - 406]
    table = Table([_header_cells(head, widths), *rows], colWidths=widths, repeatRows=1)
    table.setStyle(table_style(numeric_from=4))
    return [_para(_sentence(lang, "quality_findings"), "body"), table]


def _severity_label(severity: str, lang: str) -> str:
    """Return a finding's severity in words."""
    return text(lang, f"severity_{severity}") if severity in ("hard", "soft") else severity


def method_note(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the method note: sources, period, suppression rule, trends and quarantine."""
    q = Quarter.parse(facts.quarter)
    values = {
        "method_sources": {"count": facts.municipality_count},
        "method_period": {
            "start": date_text(q.first_day, lang),
            "end": date_text(q.last_day, lang),
        },
        "method_suppression": {"below": facts.threshold - 1, "hidden": f"<{facts.threshold}"},
        "method_trends": {
            "share": percent_text(RISING_SHARE - 1, lang),
            "minimum": RISING_MIN,
        },
        "method_quarantine": {},
        "method_outputs": {},
    }
    paragraphs = [_para(_esc(text(lang, key, **kw)), "body") for key, kw in values.items()]
    return [CondPageBreak(120), _heading(lang, "section_method"), *paragraphs]


def brief_story(facts: BriefFacts, lang: str) -> list[Flowable]:
    """Return the whole brief in `lang` as a list of flowables, section by section."""
    return [
        *cover_page(facts, lang),
        *key_findings(facts, lang),
        PageBreak(),
        *theme_chart(facts, lang),
        *theme_table(facts, lang),
        *trend_chart(facts, lang),
        *subregion_table(facts, lang),
        *target_group_section(facts, lang),
        *proposals_section(facts, lang),
        *data_quality_section(facts, lang),
        *method_note(facts, lang),
    ]


# --- the PDF ----------------------------------------------------------------------------------


def brief_metadata(facts: BriefFacts, lang: str) -> dict[str, str]:
    """Return the PDF's title, subject, author and creator: the welfare region, never a person."""
    region = text(lang, "welfare_region")
    quarter = _quarter_text(facts.quarter, lang)
    return {
        "title": f"{text(lang, 'title')} – {quarter}",
        "subject": text(lang, "doc_subject", quarter=quarter),
        "author": region,
        "creator": region,
        "keywords": "",
    }


def _write_atomically(path: Path, content: bytes) -> None:
    """Write bytes to a temporary file beside `path`, fsync it, and move it into place."""
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def render_pdf(story: list[Flowable], path: Path, facts: BriefFacts, lang: str) -> Path:
    """Write the story as the brief's PDF at `path`, atomically and byte-reproducibly.

    Args:
        story: the flowables of `brief_story` (consumed by the build).
        path: the PDF's final name; its folder must exist.
        facts: the facts the story was built from (quarter, metadata).
        lang: the brief's language (`fi`, `sv`, `en`), written into the PDF.

    Returns:
        `path`, once the complete file is in place.
    """
    buffer = io.BytesIO()
    header = (
        text(lang, "header", welfare_region=text(lang, "welfare_region")),
        _quarter_text(facts.quarter, lang),
    )
    doc = brief_document(
        buffer, lang, header, text(lang, "welfare_region"), brief_metadata(facts, lang)
    )
    created = facts.published_on
    canvas = numbered_canvas(
        text(lang, "page_of"), pdf_date(created.year, created.month, created.day)
    )
    doc.build(story, canvasmaker=canvas)
    _write_atomically(path, buffer.getvalue())
    return path


def write_briefs(facts: BriefFacts, out_dir: Path) -> list[Path]:
    """Write `brief-fi.pdf`, `brief-sv.pdf` and `brief-en.pdf` for the facts into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        render_pdf(brief_story(facts, lang), out_dir / f"brief-{lang}.pdf", facts, lang)
        for lang in BRIEF_LANGUAGES
    ]
