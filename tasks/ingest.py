"""Ingest one source: extract its new deliveries, then parse, redact, validate and store each.

This is the I/O step that the quarterly flow runs once per source. Each
delivery is stored in its own transaction, so a source that fails half-way
keeps what it finished and a re-run picks up the rest without duplicates.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from sqlalchemy import Engine

from schemas.quarter import Quarter, local_date
from schemas.reference import Reference
from schemas.sources import SourceConfig
from tasks.extract import Delivery, list_deliveries
from tasks.parse import parse_delivery
from tasks.redact import RedactionCounts, redacted_reports
from tasks.store import (
    DeliveryRecord,
    advance_watermark,
    read_watermark,
    store_delivery,
    stored_delivery_hashes,
)
from tasks.validate import validated_reports

FIRST_WATERMARK = datetime(1900, 1, 1, tzinfo=UTC)


class RowsDoNotAddUp(RuntimeError):
    """Raised when a delivery's rows in differ from its valid plus quarantined rows."""


@dataclass(frozen=True)
class SourceOutcome:
    """Counts for one source in one run (never rows)."""

    source_id: str
    municipality_code: str
    deliveries: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rows_in: int = 0
    rows_valid: int = 0
    rows_quarantined: int = 0
    redactions: RedactionCounts = field(default_factory=RedactionCounts)
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Return whether the source could not be read this run."""
        return self.error is not None


@dataclass(frozen=True)
class _Checked:
    record: DeliveryRecord
    reports: pl.DataFrame
    rejections: pl.DataFrame
    redactions: RedactionCounts


def ingest_source(
    source: SourceConfig,
    base_dir: Path,
    engine: Engine,
    reference: Reference,
    quarter: Quarter,
    now: datetime,
    logger: logging.Logger | logging.LoggerAdapter,
) -> SourceOutcome:
    """Store every new delivery of `source`; raise when the source cannot be read.

    Args:
        source: the configured source.
        base_dir: the folder of sources.toml (paths are relative to it).
        engine: the warehouse.
        reference: the code lists rows are validated against.
        quarter: the quarter of the run (rejections are filed under it).
        now: the run's clock; SQL sources are read up to it and it bounds "future" dates.
        logger: where counts are logged.

    Returns:
        The source's counts for this run.
    """
    since = read_watermark(engine, source.source_id) or FIRST_WATERMARK
    deliveries = list_deliveries(source, base_dir, since, now)
    already = stored_delivery_hashes(engine, source.source_id)
    outcome = SourceOutcome(source.source_id, source.municipality_code)
    for delivery in deliveries:
        if delivery.sha256 in already:
            outcome = _with_skipped(outcome, delivery.name)
            continue
        checked = checked_delivery(delivery, reference, quarter, now)
        watermark = now if source.kind == "sql" else None
        store_delivery(
            engine, checked.record, delivery.content, checked.reports, checked.rejections, watermark
        )
        already.add(delivery.sha256)
        outcome = _with_checked(outcome, checked)
        logger.info(
            "%s: %s rows in, %s valid, %s quarantined, %s redactions",
            delivery.name,
            checked.record.rows_in,
            checked.record.rows_valid,
            checked.record.rows_quarantined,
            checked.redactions.total,
        )
    if source.kind == "sql":
        advance_watermark(engine, source.source_id, now)
    return outcome


def checked_delivery(
    delivery: Delivery, reference: Reference, quarter: Quarter, now: datetime
) -> _Checked:
    """Return a delivery parsed, redacted and validated, with its landing record."""
    redacted, unreadable, redactions = _parsed_and_redacted(delivery)
    validated = validated_reports(redacted, delivery.municipality_code, reference, local_date(now))
    rejections = pl.concat([unreadable, validated.rejections], how="vertical_relaxed")
    rows_in = redacted.height + _distinct_rows(unreadable)
    rows_quarantined = _distinct_rows(rejections)
    if rows_in != validated.reports.height + rows_quarantined:
        raise RowsDoNotAddUp(
            f"{delivery.name}: {rows_in} rows in but {validated.reports.height} valid "
            f"and {rows_quarantined} quarantined"
        )
    record = _record(
        delivery, quarter, now, rows_in, validated.reports.height, rows_quarantined, redactions
    )
    return _Checked(record, validated.reports, rejections, redactions)


def _parsed_and_redacted(
    delivery: Delivery,
) -> tuple[pl.DataFrame, pl.DataFrame, RedactionCounts]:
    """Return the delivery's readable rows redacted, its unreadable rows, and the redactions.

    The unredacted frame is dropped on return, before validation makes its copies.
    """
    parsed = parse_delivery(delivery, seq=0)
    redacted, redactions = redacted_reports(parsed.reports)
    return redacted, parsed.rejections, redactions


def _distinct_rows(rejections: pl.DataFrame) -> int:
    return (
        rejections.select(pl.struct("delivery", "row_number").n_unique()).item()
        if rejections.height
        else 0
    )


def _record(
    delivery: Delivery,
    quarter: Quarter,
    now: datetime,
    rows_in: int,
    rows_valid: int,
    rows_quarantined: int,
    redactions: RedactionCounts,
) -> DeliveryRecord:
    return DeliveryRecord(
        source_id=delivery.source_id,
        sha256=delivery.sha256,
        municipality_code=delivery.municipality_code,
        kind=delivery.kind,
        name=delivery.name,
        received_at=now,
        quarter=str(quarter),
        size_bytes=len(delivery.content),
        rows_in=rows_in,
        rows_valid=rows_valid,
        rows_quarantined=rows_quarantined,
        redacted_identity_codes=redactions.identity_codes,
        redacted_phones=redactions.phones,
        redacted_emails=redactions.emails,
    )


def _with_skipped(outcome: SourceOutcome, name: str) -> SourceOutcome:
    return SourceOutcome(**(vars(outcome) | {"skipped": [*outcome.skipped, name]}))


def _with_checked(outcome: SourceOutcome, checked: _Checked) -> SourceOutcome:
    record = checked.record
    return SourceOutcome(
        **(
            vars(outcome)
            | {
                "deliveries": [*outcome.deliveries, record.name],
                "rows_in": outcome.rows_in + record.rows_in,
                "rows_valid": outcome.rows_valid + record.rows_valid,
                "rows_quarantined": outcome.rows_quarantined + record.rows_quarantined,
                "redactions": outcome.redactions + checked.redactions,
            }
        )
    )
