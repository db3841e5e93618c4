"""Dry runs: deliveries parsed, redacted and validated as a run would, nothing stored.

Two callers: a steward's own files (`raportti check`), and the deliveries now
waiting in every file source (the steward's `check-submissions` flow, run before
the quarterly run so that municipalities can fix rejected rows in time). Both
take the quarter from the Helsinki date, as a run does; both return counts or
readable lines, never rows.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from schemas.fields import distinct_rejected_rows
from schemas.limits import DEFAULT_LIMITS, DeliveryLimits
from schemas.quarter import Quarter, local_date
from schemas.reference import Reference
from schemas.sources import SourceConfig
from tasks.intake.checked import FIRST_WATERMARK, checked_delivery
from tasks.intake.extract import Delivery, list_deliveries, too_large
from tasks.intake.parse import UnreadableDelivery
from tasks.intake.validate import format_rejections

KIND_BY_SUFFIX = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}


@dataclass(frozen=True)
class FileValidation:
    """Readable lines for every rejected row, the unreadable files, and the exit status."""

    lines: list[str]
    unreadable: list[str]
    rejected_rows: int

    @property
    def exit_code(self) -> int:
        """Return 2 when a file could not be read, 1 when rows were rejected, else 0."""
        if self.unreadable:
            return 2
        return 1 if self.rejected_rows else 0


def file_delivery(
    path: Path,
    municipality_code: str,
    encoding: str | None,
    max_bytes: int = DEFAULT_LIMITS.max_bytes,
) -> Delivery:
    """Return a delivered file as a Delivery of the kind its suffix names (refused when too big)."""
    kind = KIND_BY_SUFFIX.get(path.suffix.lower())
    if kind is None:
        raise UnreadableDelivery(
            f"{path}: unknown file type {path.suffix!r}; deliver .csv, .xlsx or .json"
        )
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        content = handle.read(max_bytes + 1) if size <= max_bytes else b""
    size = max(size, len(content))
    refused = too_large(str(path), size, max_bytes) if size > max_bytes else None
    return Delivery(
        source_id=f"{municipality_code}-{kind}",
        municipality_code=municipality_code,
        kind=kind,
        name=str(path),
        content=b"" if refused else content,
        encoding=encoding,
        refused=refused,
    )


def validate_files(
    paths: list[Path],
    municipality_code: str,
    lang: str,
    encoding: str | None,
    reference: Reference,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> FileValidation:
    """Return every rejection in `paths` as readable lines, without storing anything."""
    now = datetime.now(UTC)
    lines: list[str] = []
    unreadable: list[str] = []
    rejected = 0
    for path in paths:
        try:
            checked = checked_delivery(
                file_delivery(path, municipality_code, encoding, limits.max_bytes),
                reference,
                _quarter_of(now),
                now,
                limits,
            )
        except (OSError, UnreadableDelivery) as error:
            unreadable.append(
                str(error) if isinstance(error, UnreadableDelivery) else f"{path}: {error.strerror}"
            )
            continue
        lines += format_rejections(checked.rejections, lang)
        rejected += checked.record.rows_quarantined
    return FileValidation(lines, unreadable, rejected)


@dataclass(frozen=True)
class WaitingDeliveries:
    """What one source's waiting deliveries hold, in counts (never rows)."""

    source_id: str
    municipality_code: str
    kind: str
    is_file_source: bool = True
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
    counted = rejections.group_by("rule").agg(rows=distinct_rejected_rows())
    return dict(counted.sort("rule").iter_rows())


def count_waiting_deliveries(
    source: SourceConfig,
    base_dir: Path,
    reference: Reference,
    now: datetime,
    limits: DeliveryLimits = DEFAULT_LIMITS,
) -> WaitingDeliveries:
    """Return the counts of a file source's deliveries as they would be validated `now`.

    Raises:
        SourceUnavailable: a file cannot be read from disk.
    """
    if not source.path:
        return WaitingDeliveries(
            source.source_id, source.municipality_code, source.kind, is_file_source=False
        )
    quarter = _quarter_of(now)
    totals: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    unreadable: list[str] = []
    deliveries = list_deliveries(source, base_dir, FIRST_WATERMARK, now, limits)
    for delivery in deliveries:
        try:
            checked = checked_delivery(delivery, reference, quarter, now, limits)
        except UnreadableDelivery as error:
            unreadable.append(str(error))
            continue
        totals.update(
            rows_in=checked.record.rows_in,
            rows_valid=checked.record.rows_valid,
            rows_rejected=checked.record.rows_quarantined,
        )
        rules.update(rejected_rows_by_rule(checked.rejections))
    return WaitingDeliveries(
        source.source_id,
        source.municipality_code,
        source.kind,
        files=len(deliveries),
        rules=dict(sorted(rules.items())),
        unreadable=unreadable,
        **totals,
    )


def _quarter_of(now: datetime) -> Quarter:
    return Quarter.of(local_date(now))
