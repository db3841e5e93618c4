"""The brief's facts: every figure a section shows, taken from the published cube."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import polars as pl

from schemas.cells import DEFAULT_THRESHOLD, TREND_QUARTERS
from schemas.fields import ADDRESSEE_LEVELS, REPORT_TYPES, URGENCIES
from schemas.findings import Finding
from schemas.placeholders import placeholders_in
from schemas.quarter import Quarter
from schemas.reference import LANGUAGES, REGION_CODE, Reference
from tasks.brief.followup_facts import FollowupFacts
from tasks.brief.quotes import QUOTE_SCHEMA
from tasks.brief.text import (
    subregion_name,
)

Count = int | None  # a published count; None when it is suppressed


MIX_DIMENSIONS: dict[str, tuple[str, ...]] = {
    "urgency": tuple(reversed(URGENCIES)),
    "report_type": REPORT_TYPES,
    "addressee_level": ADDRESSEE_LEVELS,
}
TREND_THEMES = 5


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
    """One quotable proposal, already redacted (Finnish placeholders), shortened and approved."""

    theme: str
    addressee_level: str
    text: str
    language: str = ""

    def text_in(self, lang: str) -> str:
        """Return the quote with its placeholders (`[nimi]`, …) in the brief's language."""
        return placeholders_in(self.text, lang)


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
    followup: FollowupFacts | None = None

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
                reports=_count(index, "region", REGION_CODE, code),
                previous=_trend_count(rows.get((str(quarter.previous()), code))),
                change_prev=now.get("change_prev"),  # type: ignore[arg-type]
                change_year=now.get("change_year"),  # type: ignore[arg-type]
                status=now.get("status"),  # type: ignore[arg-type]
                mentions=mentioned.get(code, 0),
                clients_affected=index.get(("region", REGION_CODE, code, "all"), (0, 0))[1],
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
    counts = [(code, _count(index, "region", REGION_CODE, "all", code)) for code in codes]
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
    threshold: int = DEFAULT_THRESHOLD,
) -> BriefFacts:
    """Return what the brief says about a quarter, from its published figures.

    Args:
        quarter: the brief's quarter.
        cells: the quarter's published cube (`reports` null where `suppressed`).
        trends: region and subregion counts over the eight quarters ending at `quarter`.
        mentions: secondary-theme mentions at region level.
        mix: region counts by report type, urgency and addressee level.
        quotes: `quotes_to_publish` of the quarter: approved quotes only.
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
        total=_count(index, "region", REGION_CODE),
        previous_total=_previous_total(q, trends, themes),
        clients_affected=index.get(("region", REGION_CODE, "all", "all"), (0, 0))[1],
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
