"""What the brief and the published files rest on: the quarter's figures and quotes, made once."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from schemas.findings import Finding
from schemas.quarter import Quarter
from schemas.reference import Reference
from tasks.brief.facts import BriefFacts, brief_facts
from tasks.brief.quotes import place_names, quote_candidates
from tasks.figures.aggregate import (
    also_mentioned,
    cell_lineage,
    published_cells,
    quarter_trends,
    report_mix,
)
from tasks.intake.rejections import rejected_rows_per_municipality
from tasks.warehouse.ingest import SourceOutcome


@dataclass(frozen=True)
class QuarterFigures:
    """Everything computed from the stored quarter, before it is written."""

    cells: pl.DataFrame
    trends: pl.DataFrame
    mentions: pl.DataFrame
    mix: pl.DataFrame
    lineage: pl.DataFrame
    quotes: pl.DataFrame
    valid_reports: int


def quarter_figures(
    reports: pl.DataFrame, quarter: Quarter, reference: Reference, threshold: int
) -> QuarterFigures:
    """Return the published cube, trends, mix, mentions, lineage and candidate quotes.

    Args:
        reports: the stored reports of the quarter and of the quarters its trends look back on.
        quarter: the quarter published.
        reference: the configured code lists (their place names are scrubbed from quotes).
        threshold: the smallest count that is published.
    """
    current = reports.filter(pl.col("submitted_on").is_between(quarter.first_day, quarter.last_day))
    return QuarterFigures(
        cells=published_cells(reports, quarter, reference, threshold),
        trends=quarter_trends(reports, quarter, reference, threshold),
        mentions=also_mentioned(reports, quarter, reference, threshold),
        mix=report_mix(reports, quarter, threshold),
        lineage=cell_lineage(reports, quarter, reference),
        quotes=quote_candidates(current, place_names(reference)),
        valid_reports=current.height,
    )


def quarter_brief_facts(
    quarter: Quarter,
    figures: QuarterFigures,
    quotes: pl.DataFrame,
    findings: list[Finding],
    outcomes: list[SourceOutcome],
    rejections: pl.DataFrame,
    reference: Reference,
    threshold: int,
) -> BriefFacts:
    """Return the facts the brief states: figures, approved `quotes`, findings, rejections."""
    failed = sorted({outcome.municipality_code for outcome in outcomes if outcome.failed})
    return brief_facts(
        quarter,
        figures.cells,
        figures.trends,
        figures.mentions,
        figures.mix,
        quotes,
        findings,
        failed,
        rejected_rows_per_municipality(rejections),
        reference,
        threshold,
    )
