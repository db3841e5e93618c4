"""Check the deliveries now waiting in every file source, without storing anything.

The steward's `check-submissions` flow runs this per source before the
quarterly run, so that municipalities can fix rejected rows in time. It
returns counts only: rows, valid rows, rejected rows per rule, unreadable files.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from schemas.quarter import Quarter, local_date
from schemas.reference import Reference
from schemas.sources import SourceConfig
from tasks.extract import list_deliveries
from tasks.ingest import FIRST_WATERMARK, checked_delivery
from tasks.parse import UnreadableDelivery


@dataclass(frozen=True)
class SourceCheck:
    """What one source's waiting deliveries hold, in counts (never rows)."""

    source_id: str
    municipality_code: str
    kind: str
    checked: bool = True
    files: int = 0
    rows_in: int = 0
    rows_valid: int = 0
    rows_rejected: int = 0
    rules: dict[str, int] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def clean(self) -> bool:
        """Return whether the source was read, every file was readable and every row valid."""
        return not self.rows_rejected and not self.unreadable and self.error is None


def rejected_rows_by_rule(rejections: pl.DataFrame) -> dict[str, int]:
    """Return how many distinct rows each rule rejected."""
    if rejections.is_empty():
        return {}
    counted = rejections.group_by("rule").agg(rows=pl.struct("delivery", "row_number").n_unique())
    return dict(counted.sort("rule").iter_rows())


def check_source_deliveries(
    source: SourceConfig, base_dir: Path, reference: Reference, now: datetime
) -> SourceCheck:
    """Return the counts of a file source's deliveries as they would be validated `now`.

    Raises:
        SourceUnavailable: a file cannot be read from disk.
    """
    if not source.path:
        return SourceCheck(source.source_id, source.municipality_code, source.kind, checked=False)
    quarter = Quarter.of(local_date(now))
    totals: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    unreadable: list[str] = []
    deliveries = list_deliveries(source, base_dir, FIRST_WATERMARK, now)
    for delivery in deliveries:
        try:
            checked = checked_delivery(delivery, reference, quarter, now)
        except UnreadableDelivery as error:
            unreadable.append(str(error))
            continue
        totals.update(
            rows_in=checked.record.rows_in,
            rows_valid=checked.record.rows_valid,
            rows_rejected=checked.record.rows_quarantined,
        )
        rules.update(rejected_rows_by_rule(checked.rejections))
    return SourceCheck(
        source.source_id,
        source.municipality_code,
        source.kind,
        files=len(deliveries),
        rules=dict(sorted(rules.items())),
        unreadable=unreadable,
        **totals,
    )
